/// Word lists for a plausible Chinese city: districts, streets, residential compounds,
/// landmarks, hospitals, people and complaints. Everything here is invented.
enum CityWords {
    static let districts = ["东城区", "西城区", "南湖区", "北岗区", "滨江区", "高新区", "经开区", "新城区"]

    static let stationNames = [
        "中心急救站", "人民医院分站", "中医院分站", "城东分站", "城西分站", "城南分站", "城北分站", "开发区分站",
        "高新区分站", "滨江分站", "火车站分站", "机场路分站", "大学城分站", "湖滨分站", "港口分站", "新区分站",
        "工业园分站", "体育中心分站", "老城分站", "东湖分站", "西山分站", "南湖分站", "北岗分站", "科技园分站",
    ]

    static let streets = [
        "人民路", "解放路", "中山路", "建设路", "和平街", "朝阳路", "长江路", "黄河路", "文化路", "新华路", "胜利路",
        "青年路", "光明街", "友谊路", "学府路", "滨江大道", "环城东路", "环城西路", "工业大道", "花园街", "东风路",
        "五一路", "民主路", "北京路", "上海路", "迎宾大道", "湖滨路", "春晖街", "育才路", "金桥路",
    ]

    static let compounds = [
        "幸福小区", "阳光花园", "锦绣华庭", "翠湖苑", "金色家园", "碧水蓝天", "丽景湾", "和谐家园", "书香门第",
        "枫林雅居", "学府小区", "电力宿舍", "纺织厂宿舍", "铁路新村", "滨江一号", "凤凰城", "东方明珠花园",
        "世纪华庭", "梧桐苑", "春江花月", "绿地新都会", "康乐新村", "桃源居", "紫荆花园",
    ]

    static let landmarks = [
        "中心广场", "人民公园", "火车站", "长途汽车站", "体育中心", "万达广场", "第三中学", "实验小学", "农贸市场",
        "公交总站", "市图书馆", "工人文化宫", "国际会展中心", "滨江公园", "市政府", "大润发超市", "中国银行",
        "加油站", "科技大学", "湖心公园", "老街步行街", "建材市场", "高铁站", "市第五中学",
    ]

    static let hospitals = [
        "市第一人民医院", "市第二人民医院", "市中医院", "市中心医院", "医科大学附属第一医院", "市第三人民医院",
        "南湖区人民医院", "滨江医院",
    ]

    /// Births and gynaecological emergencies go here.
    static let maternityHospital = "市妇幼保健院"

    static let surnames = [
        "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "林", "高", "罗",
        "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹",
    ]

    static let givenNames = [
        "伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超",
        "秀兰", "霞", "平", "刚", "桂英", "建国", "建华", "志强", "淑珍", "玉兰", "海燕", "国庆", "子涵", "浩然", "雨桐",
        "德明", "春梅", "文华", "小红", "永福", "金凤", "宏伟",
    ]

    static let dispatcherNames = [
        "刘晓燕", "陈静", "王海涛", "李娜", "张蕾", "赵敏", "孙丽华", "周婷", "吴迪", "郑雪", "黄丹", "何琳",
    ]

    static let plateLetters = ["A", "B", "C", "D", "E", "F", "G", "H", "J", "K"]

    static let emptyRunReasonsEnRoute = ["呼救方取消", "病人已自行就医", "恶作剧", "车辆故障"]
    static let emptyRunReasonsAtScene = ["病人拒绝送院", "现场未见病人", "病人已死亡", "现场处理后无需送院"]

    static let maintenanceReasons = ["保养", "洗消", "加油", "维修"]

    struct Complaint {
        let text: String
        let priority: Int
    }

    /// Category, share of valid calls, and complaints with their priority (1 危重, 2 急, 3 一般).
    static let categories: [(name: String, weight: Double, complaints: [Complaint])] = [
        ("疾病", 60, [
            Complaint(text: "胸痛伴大汗1小时", priority: 1), Complaint(text: "突发意识不清", priority: 1),
            Complaint(text: "呼吸困难，口唇发紫", priority: 1), Complaint(text: "心跳呼吸骤停", priority: 1),
            Complaint(text: "突发言语不清伴右侧肢体无力", priority: 1), Complaint(text: "腹痛半天，伴呕吐", priority: 2),
            Complaint(text: "发热三天，精神差", priority: 3), Complaint(text: "头晕伴呕吐", priority: 2),
            Complaint(text: "抽搐一次，现已停止", priority: 2), Complaint(text: "血压高，头痛剧烈", priority: 2),
            Complaint(text: "老人跌倒后不能起身", priority: 3), Complaint(text: "咳嗽气喘加重", priority: 2),
            Complaint(text: "糖尿病患者昏迷", priority: 1), Complaint(text: "呕血", priority: 1),
            Complaint(text: "心慌胸闷", priority: 2), Complaint(text: "腰痛不能行走", priority: 3),
        ]),
        ("创伤", 12, [
            Complaint(text: "高处坠落，头部出血", priority: 1), Complaint(text: "摔伤致右腿疼痛，不能行走", priority: 2),
            Complaint(text: "刀伤，手臂出血不止", priority: 2), Complaint(text: "头部外伤，意识清楚", priority: 2),
            Complaint(text: "打架受伤，面部出血", priority: 3), Complaint(text: "烫伤，面积较大", priority: 2),
        ]),
        ("车祸", 10, [
            Complaint(text: "电动车与小汽车相撞，一人受伤", priority: 2), Complaint(text: "行人被车撞倒，昏迷", priority: 1),
            Complaint(text: "两车追尾，司机胸痛", priority: 2), Complaint(text: "摩托车侧翻，腿部骨折", priority: 2),
        ]),
        ("中毒", 4, [
            Complaint(text: "疑似一氧化碳中毒", priority: 1), Complaint(text: "误服农药", priority: 1),
            Complaint(text: "醉酒后呕吐，意识模糊", priority: 2), Complaint(text: "服用大量安眠药", priority: 1),
            Complaint(text: "食物中毒，腹痛腹泻", priority: 2),
        ]),
        ("溺水", 1, [Complaint(text: "河边溺水，已被救起", priority: 1)]),
        ("触电", 1, [Complaint(text: "工地触电，倒地不起", priority: 1)]),
        ("分娩", 4, [
            Complaint(text: "孕39周，腹痛见红", priority: 2), Complaint(text: "孕妇破水", priority: 2),
            Complaint(text: "孕妇阴道大量出血", priority: 1),
        ]),
        ("其他", 8, [
            Complaint(text: "精神异常，情绪躁动", priority: 3), Complaint(text: "醉酒卧地", priority: 3),
            Complaint(text: "过敏，全身皮疹", priority: 2), Complaint(text: "狗咬伤", priority: 3),
        ]),
    ]

    /// Incidents that need several vehicles.
    static let massCasualties: [(category: String, text: String)] = [
        ("成批伤员", "大巴侧翻，多人受伤"), ("成批伤员", "多车连环相撞，多人受伤"), ("成批伤员", "工地脚手架坍塌，多人受伤"),
        ("成批伤员", "餐馆燃气爆炸，多人受伤"), ("中毒", "工厂食堂集体食物中毒"),
    ]

    /// Relative call volume for each local hour 0–23: quiet before dawn, peaks mid-morning and evening.
    static let hourlyCallProfile: [Double] = [
        0.60, 0.50, 0.42, 0.38, 0.38, 0.45, 0.62, 0.85, 1.10, 1.30, 1.35, 1.30,
        1.15, 1.10, 1.15, 1.20, 1.20, 1.25, 1.30, 1.35, 1.30, 1.20, 1.00, 0.78,
    ]
}

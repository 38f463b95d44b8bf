import Testing
@testable import WallboardLayout

@Suite struct FreeTextScrubberTests {
    static let publicBoard = FreeTextScrubber(names: ["张三丰"], numbers: ["13912345678", "81234"], redaction: .remove)
    static let internalBoard = FreeTextScrubber(names: ["张三丰"], numbers: ["13912345678", "81234"], redaction: .mask)

    @Test(arguments: [
        ("联系家属13812345678", "联系家属***"),
        ("回拨 138-1234-5678 谢谢", "回拨 *** 谢谢"),
        ("+86 138 1234 5678", "***"),
        ("＋86-138-1234-5678", "***"),
        ("0086-13812345678", "***"),
        ("013812345678", "***"),
        ("家属（020）8765-4321", "家属***"),
        ("(0755) 8765 4321", "***"),
        ("020-87654321", "***"),
        ("0755 8765 4321", "***"),
        ("+86 20 8765 4321", "***"),
        ("座机8765-4321", "座机***"),
        ("座机 876 5432", "座机 ***"),
        ("１３８１２３４５６７８", "***"),
        ("138，1234，5678", "***"),
        ("138、1234、5678", "***"),
        ("138.1234.5678。", "***。"),
        ("1 3 8 1 2 3 4 5 6 7 8", "***"),
        ("身份证11010519900307123X", "身份证***"),
        ("身份证110105199003071234", "身份证***"),
        ("身份证 110105 19900307 1234", "身份证 ***"),
        ("老证110105900307123", "老证***"),
        ("分机8-1234", "分机***"),
        ("12:34 13812345678", "12:34 ***"),
        ("电话：13812345678", "电话：***"),
        ("Tel13812345678", "Tel***"),
        ("粤A·39705 13812345678", "粤A·39705 ***"),
        ("张三丰家楼下", "***家楼下"),
        ("找三丰", "找***"),
        ("张 三丰", "张 ***"),
    ])
    func publicBoardsGetOneMarkPerSpan(text: String, expected: String) {
        #expect(Self.publicBoard.scrub(text) == expected)
    }

    @Test(arguments: [
        "中山五路219号", "G15沈海高速", "粤A·86961", "12:34", "0:23", "急救13号", "2026-12-01", "2026.12.1",
        "12月1日", "3人受伤", "2201-2202室", "3栋2单元1201室", "胸痛2小时伴大汗", "第12345678号", "三楼", "邮编518000",
        "京B 12345", "车速80-100", "95120", "400-123-4567", "粤A·39705 16:20", "粤A·39705 16:20:05 急救68号", "G48 1038公里",
    ])
    func ordinaryTextComesThroughUnchanged(text: String) {
        #expect(Self.publicBoard.scrub(text) == text)
        #expect(Self.internalBoard.scrub(text) == text)
    }

    @Test(arguments: [
        ("联系家属13812345678", "联系家属138****5678"),
        ("张三丰家楼下", "张**家楼下"),
        ("找三丰", "找**"),
        ("+86 138 1234 5678", "861******5678"),
    ])
    func internalBoardsMaskTheSameSpans(text: String, expected: String) {
        #expect(Self.internalBoard.scrub(text) == expected)
    }

    @Test func compoundSurnamesLeaveTheGivenName() {
        let scrubber = FreeTextScrubber(names: ["欧阳娜娜"], numbers: [], redaction: .remove)
        #expect(scrubber.scrub("欧阳娜娜的女儿") == "***的女儿")
        #expect(scrubber.scrub("娜娜在门口") == "***在门口")
        #expect(scrubber.scrub("阳台") == "阳台")
    }

    @Test func aOneCharacterGivenNameIsNotLookedForAlone() {
        let scrubber = FreeTextScrubber(names: ["张三"], numbers: [], redaction: .remove)
        #expect(scrubber.scrub("张三在三楼") == "***在三楼")
    }
}

import WallboardRender

extension BenchCatalog {
    static let render: [BenchCase] = [
        BenchCase(name: "render-fill-1920x1080-rgb") {
            var canvas = Canvas(width: 1920, height: 1080, format: .rgb)
            var shade: UInt8 = 0
            return measureThroughput {
                shade &+= 1
                canvas.clear(.rgb(RGB(shade, 0, 0)))
            }
        },
    ]
}

// swift-tools-version:6.0
// Baseline server for `make bench-http`: the smallest Hummingbird 2 app that
// answers GET /health with "ok". Built separately from RDV so that RDV itself
// never depends on SwiftNIO.
//
// The folder is deliberately NOT called `hummingbird`: SwiftPM names a root
// package after its folder, and a root package called `hummingbird` collides
// with the `hummingbird` dependency ("product 'Hummingbird' ... not found").
import PackageDescription

let package = Package(
    name: "HelloHummingbird",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird", exact: "2.28.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.14.0"),
    ],
    targets: [
        .executableTarget(
            name: "HelloHummingbird",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ]
        )
    ],
    swiftLanguageModes: [.v6]
)

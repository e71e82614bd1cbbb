// swift-tools-version:6.0
// Peer server for `make bench-app`: Hummingbird 2 + GRDB 7 answering the availability API's
// motif lookup (`GET /api/v1/creneaux?motif_id=N` → 404 JSON for an unknown motif) on the
// same SQLite file as RDV. Built separately so that RDV itself never depends on SwiftNIO.
// (Not called `hummingbird`: a root package named like a dependency collides with it.)
import PackageDescription

let package = Package(
    name: "HummingbirdGRDB",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird", exact: "2.28.1"),
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.14.0"),
    ],
    targets: [
        .executableTarget(
            name: "HummingbirdGRDB",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ]
        )
    ],
    swiftLanguageModes: [.v6]
)

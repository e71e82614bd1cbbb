// swift-tools-version:6.1
import PackageDescription

// Every target is compiled in Swift 6 language mode (tools-version 6.x) with the two upcoming
// features the style guide asks for.
let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "rdv",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "rdv", targets: ["rdv"]),
        .executable(name: "FuzzHTTP", targets: ["FuzzHTTP"]),
    ],
    dependencies: [
        // Pinned exactly: the local package mirror holds these versions (docs/decisions).
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", exact: "1.16.2"),
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", exact: "2.1.1"),
    ],
    targets: [
        // Linux-only syscalls that Swift's Glibc module does not import (epoll, accept4, eventfd).
        .target(name: "CPosix"),
        .target(name: "Sockets", dependencies: ["CPosix"], swiftSettings: strict),
        .target(
            name: "HTTP",
            dependencies: ["Sockets", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict
        ),
        // libssl/libcrypto from the system (apt: libssl-dev).
        .systemLibrary(name: "COpenSSL", pkgConfig: "openssl", providers: [.apt(["libssl-dev"])]),
        .target(name: "Cryptography", dependencies: ["COpenSSL"], swiftSettings: strict),
        // zlib from the system (apt: zlib1g-dev): the deflate of XLSX files.
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        // XLSX (Office Open XML) and CSV writers, streamed to disk: Foundation and zlib only.
        .target(name: "Spreadsheet", dependencies: ["CZlib"], swiftSettings: strict),
        // Pure values and rules: Foundation only (style.md §2).
        .target(name: "Domain", swiftSettings: strict),
        .target(
            name: "Persistence",
            dependencies: ["Domain", "Cryptography", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strict
        ),
        // The address service (contracts.md §6): the BAN file import, the embedded index's and the
        // remote back end's searches behind one service.
        .target(
            name: "Geocoding",
            dependencies: ["Domain", "Persistence", "CZlib", "Outbound"],
            swiftSettings: strict
        ),
        .target(
            name: "Web",
            dependencies: [
                "HTTP", "Domain", "Persistence", "Cryptography", "Geocoding", "Spreadsheet",
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: strict
        ),
        // Outbound connections to hosts administrators name: HTTP(S) with the SSRF guard, TLS.
        .target(name: "Outbound", dependencies: ["Sockets", "COpenSSL"], swiftSettings: strict),
        .target(
            name: "Notifications",
            dependencies: [
                "Domain", "Persistence", "Sockets", "Cryptography", "COpenSSL", "Outbound",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // The export job (admin.md §8): « Liste des RDV » as XLSX or CSV, run by the outbox scheduler.
        .target(
            name: "Exports",
            dependencies: [
                "Domain", "Persistence", "Spreadsheet", "Notifications", .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // `rdv import-api`: an organisation pulled through any API v1 into rdv-import/1.
        .target(
            name: "APIImport", dependencies: ["Domain", "Persistence", "Geocoding", "Outbound"], swiftSettings: strict),
        .target(
            name: "App",
            dependencies: [
                "HTTP", "CPosix", "Domain", "Persistence", "Web", "Notifications", "Exports", "Geocoding", "APIImport",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "rdv",
            dependencies: ["App"],
            swiftSettings: strict
        ),
        // `make bench-slots`: slot searches and bookings timed on the département data set.
        .executableTarget(
            name: "SlotBench",
            dependencies: ["Domain", "Persistence", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strict
        ),
        // libFuzzer target for the request parser (`make fuzz`); without -DFUZZING it replays
        // files through the parser, so it also builds in an ordinary `swift build`.
        .executableTarget(
            name: "FuzzHTTP",
            dependencies: ["HTTP"],
            swiftSettings: strict + [.unsafeFlags(["-parse-as-library"])]
        ),
        .target(
            name: "HTTPTestSupport", dependencies: ["Sockets"], path: "Tests/HTTPTestSupport", swiftSettings: strict),
        .target(
            name: "DatabaseTestSupport", dependencies: ["Persistence"], path: "Tests/DatabaseTestSupport",
            swiftSettings: strict),
        .testTarget(name: "HTTPTests", dependencies: ["HTTP", "Sockets", "HTTPTestSupport"], swiftSettings: strict),
        .testTarget(name: "DomainTests", dependencies: ["Domain"], swiftSettings: strict),
        .testTarget(
            name: "GeocodingTests",
            dependencies: [
                "Geocoding", "Persistence", "Domain", "HTTP", "DatabaseTestSupport",
                .product(name: "GRDB", package: "GRDB.swift"), .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "ExportsTests",
            dependencies: [
                "Exports", "Spreadsheet", "Persistence", "Domain", "Notifications", "DatabaseTestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ],
            exclude: ["Fixtures"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "NotificationsTests",
            dependencies: [
                "Notifications", "Outbound", "Persistence", "Domain", "Sockets", "HTTP", "Cryptography", "HTTPTestSupport",
                "DatabaseTestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ],
            exclude: ["Fixtures"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "WebTests",
            dependencies: [
                "Web", "HTTP", "Persistence", "Domain", "Cryptography", "HTTPTestSupport", "DatabaseTestSupport",
                "Exports", "Notifications", "Spreadsheet", "APIImport",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ],
            exclude: ["Golden"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "PersistenceTests",
            dependencies: [
                "Persistence", "Domain", "Cryptography", "DatabaseTestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            exclude: ["Fixtures"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "AppTests",
            dependencies: [
                "App", "HTTP", "Sockets", "HTTPTestSupport", "Persistence", "DatabaseTestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: strict
        ),
    ]
)

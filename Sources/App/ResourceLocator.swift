import Foundation

/// Finds the product's data directories (`Migrations/`, later `Templates/` and `Public/`).
///
/// The binary is run from the repository (`make run`, tests) or installed next to a copy of these
/// folders. Looked up in order: `$RDV_ROOT`, the working directory, then each ancestor of the
/// executable's real path.
public enum ResourceLocator {
    public struct NotFound: Error, CustomStringConvertible {
        public let folder: String
        public var description: String {
            "cannot find the \(folder)/ folder: run rdv from the project directory or set RDV_ROOT"
        }
    }

    public static func directory(_ folder: String, environment: [String: String] = ProcessInfo.processInfo.environment)
        throws -> URL
    {
        var candidates: [URL] = []
        if let root = environment["RDV_ROOT"] { candidates.append(URL(fileURLWithPath: root)) }
        candidates.append(URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
        if let executable = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            var url = URL(fileURLWithPath: executable).deletingLastPathComponent()
            while url.path != "/" {
                candidates.append(url)
                url.deleteLastPathComponent()
            }
        }
        for root in candidates {
            let url = root.appendingPathComponent(folder, isDirectory: true)
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue {
                return url
            }
        }
        throw NotFound(folder: folder)
    }
}

import ArgumentParser
import Foundation
import GRDB
@_spi(RawDatabase) import Persistence

/// `rdv durability-probe`: commits one row per transaction forever and prints each number once
/// its commit returned. The durability test kills it with SIGKILL and checks that every printed
/// row survived (issue #3). Hidden from the help.
struct DurabilityProbeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "durability-probe", abstract: "Write acknowledged rows until killed.", shouldDisplay: false)

    @OptionGroup var database: DatabaseOptions

    func run() throws {
        let db = try database.open()
        var i = 0
        while true {
            i += 1
            let name = "probe-\(i)"
            try db.writer.write { conn in
                try conn.execute(sql: "INSERT INTO services (name, short_name) VALUES (?, ?)", arguments: [name, name])
            }
            FileHandle.standardOutput.write(Data("\(i)\n".utf8))  // unbuffered: the acknowledgement
        }
    }
}

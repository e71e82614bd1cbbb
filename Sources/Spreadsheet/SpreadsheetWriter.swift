import Foundation

/// One cell of an exported table. Dates and times stay typed so the XLSX file holds real date
/// and time cells (sortable, filterable) and the CSV file their French text.
public enum SpreadsheetCell: Sendable, Equatable {
    case text(String)
    case number(Int)
    case date(year: Int, month: Int, day: Int)
    case time(hour: Int, minute: Int)
    case empty
}

/// A table written row by row to a file: the header first, then the data rows, then `finish()`.
/// Writers stream: a row is on its way to disk once appended.
public protocol SpreadsheetWriter: AnyObject {
    func appendHeader(_ titles: [String]) throws
    func append(_ row: [SpreadsheetCell]) throws
    func finish() throws
}

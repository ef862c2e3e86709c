import CXlsxWriter
import Foundation

/// An Excel workbook written by libxlsxwriter: sheets of strings and numbers, each number with
/// a number format (`0`, `0.00`, `0.00%`), written to a file when closed. Our one wrapper over
/// the library, as `Postgres` is over libpq.
public final class Workbook {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// The number formats a cell can carry.
    public enum NumberFormat: Hashable, Sendable {
        case integer
        /// Two decimals (万元).
        case twoDecimals
        /// A fraction shown as a percentage with two decimals (0.9591 → 95.91%).
        case percent
        case text
    }

    private var handle: UnsafeMutablePointer<lxw_workbook>?
    private var formats: [NumberFormat: UnsafeMutablePointer<lxw_format>] = [:]
    private var header: UnsafeMutablePointer<lxw_format>?
    public let path: String

    /// A new workbook that will be written to `path` when closed.
    public init(path: String) throws {
        self.path = path
        guard let handle = workbook_new(path) else { throw Failure(description: "cannot create the workbook \(path)") }
        self.handle = handle
        for (format, code) in [(NumberFormat.integer, "0"), (.twoDecimals, "0.00"), (.percent, "0.00%"), (.text, "@")] {
            let cell = workbook_add_format(handle)
            format_set_num_format(cell, code)
            formats[format] = cell
        }
        header = workbook_add_format(handle)
        format_set_bold(header)
    }

    deinit {
        if let handle { _ = workbook_close(handle) }
    }

    /// A sheet of the workbook, rows and columns counted from 0.
    public struct Sheet {
        fileprivate let handle: UnsafeMutablePointer<lxw_worksheet>
        fileprivate unowned let workbook: Workbook

        public func header(_ row: Int, _ column: Int, _ text: String) {
            worksheet_write_string(handle, lxw_row_t(row), lxw_col_t(column), text, workbook.header)
        }

        public func text(_ row: Int, _ column: Int, _ text: String) {
            worksheet_write_string(handle, lxw_row_t(row), lxw_col_t(column), text, workbook.formats[.text])
        }

        public func number(_ row: Int, _ column: Int, _ value: Double, _ format: NumberFormat) {
            worksheet_write_number(handle, lxw_row_t(row), lxw_col_t(column), value, workbook.formats[format])
        }

        /// Column `column`'s width in characters.
        public func width(_ column: Int, _ characters: Double) {
            worksheet_set_column(handle, lxw_col_t(column), lxw_col_t(column), characters, nil)
        }

        /// Keeps the first `rows` rows in view when scrolling.
        public func freeze(rows: Int) {
            worksheet_freeze_panes(handle, lxw_row_t(rows), 0)
        }
    }

    /// A new sheet named `name` (at most 31 characters, as Excel allows).
    public func sheet(_ name: String) throws -> Sheet {
        guard let handle, let sheet = workbook_add_worksheet(handle, name) else {
            throw Failure(description: "cannot add the sheet \(name)")
        }
        return Sheet(handle: sheet, workbook: self)
    }

    /// Writes the file; the workbook is finished after this.
    public func close() throws {
        guard let handle else { return }
        self.handle = nil
        let status = workbook_close(handle)
        guard status == LXW_NO_ERROR else {
            throw Failure(description: "writing \(path) failed: \(String(cString: lxw_strerror(status)))")
        }
    }
}

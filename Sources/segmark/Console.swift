import Foundation
import SegmarkKit

/// Output of the command line: results to stdout, diagnostics to stderr.
/// Control characters from content never reach the terminal raw: every one but the line
/// breaks and tabs the program writes itself is shown escaped (`\x1b`).
enum Console {
    static func out(_ text: String) {
        FileHandle.standardOutput.write(Data(Text.terminalSafe(text.hasSuffix("\n") || text.isEmpty ? text : text + "\n").utf8))
    }

    static func error(_ text: String) {
        FileHandle.standardError.write(Data(Text.terminalSafe(text.hasSuffix("\n") ? text : text + "\n").utf8))
    }

    /// A single value shown on one line: line breaks escaped too.
    static func escaped(_ value: String) -> String { Text.escapingControls(value, keepLineBreaks: false) }

    /// Takes the workspace lock, saying so when another build or log holds it.
    static func lock(_ root: String) throws -> WorkspaceLock {
        try WorkspaceLock(root: root) {
            error("waiting for another segmark build, log or cancel in this workspace to finish…")
        }
    }

    static func diagnostics(_ diagnostics: [Diagnostic]) {
        guard !diagnostics.isEmpty else { return }
        error(diagnostics.map(\.description).joined(separator: "\n"))
    }
}

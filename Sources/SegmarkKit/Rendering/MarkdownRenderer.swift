import Ccmark
#if canImport(Glibc)
import Glibc
#endif

/// The one file that calls libcmark (R71): Markdown bodies to HTML in cmark's safe mode
/// (default options: raw HTML and `javascript:`/`data:` links are removed).
public struct MarkdownRenderer: Sendable {
    public init() {}

    public func html(_ markdown: String) -> String {
        let options = CMARK_OPT_DEFAULT
        let length = markdown.utf8.count
        guard let out = markdown.withCString({ cmark_markdown_to_html($0, length, options) }) else { return "" }
        defer { free(out) }
        return String(cString: out)
    }
}

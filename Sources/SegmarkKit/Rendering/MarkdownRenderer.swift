import Ccmark
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The one file that calls libcmark: Markdown bodies to HTML in cmark's safe mode (default
/// options: raw HTML and `javascript:`/`vbscript:`/`file:`/`data:` links are removed), and to
/// Markdown for the `.md` reports with the same removals, so a body cannot carry HTML or an
/// unsafe link into either format.
public struct MarkdownRenderer: Sendable {
    public init() {}

    /// The body as CommonMark again, with raw HTML removed and unsafe link targets emptied.
    public func markdown(_ markdown: String) -> String {
        let length = markdown.utf8.count
        guard let document = markdown.withCString({ cmark_parse_document($0, length, CMARK_OPT_DEFAULT) }) else { return "" }
        defer { cmark_node_free(document) }
        var doomed: [OpaquePointer] = []
        if let iterator = cmark_iter_new(document) {
            while cmark_iter_next(iterator) != CMARK_EVENT_DONE {
                guard let node = cmark_iter_get_node(iterator) else { continue }
                switch cmark_node_get_type(node) {
                case CMARK_NODE_HTML_BLOCK, CMARK_NODE_HTML_INLINE:
                    if cmark_iter_get_event_type(iterator) == CMARK_EVENT_ENTER { doomed.append(node) }
                case CMARK_NODE_LINK, CMARK_NODE_IMAGE:
                    if let url = cmark_node_get_url(node), Self.isUnsafe(String(cString: url)) { cmark_node_set_url(node, "") }
                default:
                    break
                }
            }
            cmark_iter_free(iterator)
        }
        for node in doomed {
            cmark_node_unlink(node)
            cmark_node_free(node)
        }
        guard let out = cmark_render_commonmark(document, CMARK_OPT_DEFAULT, 0) else { return "" }
        defer { free(out) }
        return String(cString: out)
    }

    /// cmark's own rule for safe mode: these schemes are removed, except images as data URLs.
    static func isUnsafe(_ url: String) -> Bool {
        let u = url.trimmingCharacters(in: .whitespaces).lowercased()
        if u.hasPrefix("data:") {
            return !["data:image/png", "data:image/gif", "data:image/jpeg", "data:image/webp"].contains { u.hasPrefix($0) }
        }
        return u.hasPrefix("javascript:") || u.hasPrefix("vbscript:") || u.hasPrefix("file:")
    }

    public func html(_ markdown: String) -> String {
        let options = CMARK_OPT_DEFAULT
        let length = markdown.utf8.count
        guard let out = markdown.withCString({ cmark_markdown_to_html($0, length, options) }) else { return "" }
        defer { free(out) }
        return String(cString: out)
    }
}

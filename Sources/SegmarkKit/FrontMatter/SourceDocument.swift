/// A content file split into its front matter (as YAML nodes with positions) and its Markdown body.
public struct SourceDocument: Sendable {
    /// Path relative to the workspace root, with `/` separators.
    public var path: String
    /// The front matter's root node; nil when the file has none or it is empty.
    public var frontMatter: YAMLNode?
    /// The Markdown body after the closing fence (or the whole file without front matter).
    public var body: String
    /// The 1-based line where the body starts.
    public var bodyLine: Int

    public init(path: String, frontMatter: YAMLNode?, body: String, bodyLine: Int) {
        self.path = path
        self.frontMatter = frontMatter
        self.body = body
        self.bodyLine = bodyLine
    }

    public var start: SourceLocation { SourceLocation(path: path, line: 1, column: 1) }
}

import Foundation

/// Stage 1–2: reads a workspace folder into a `Model` plus every diagnostic of the files on
/// their own (YAML, types, unknown keys). Cross-record rules are the `ModelValidator`'s.
public struct WorkspaceLoader: Sendable {
    let fileSystem: FileSystem

    public init(fileSystem: FileSystem) { self.fileSystem = fileSystem }

    public struct Result: Sendable {
        public var model: Model
        public var diagnostics: [Diagnostic]
        public var fileCount: Int
    }

    enum Decoded: Sendable {
        case contact(Contact), segment(Segment), campaign(Campaign), template(InteractionTemplate), batch(InteractionBatch)
    }

    /// segmark.yml (R3), or the defaults when there is none.
    public func loadSettings(root: String) -> (Settings, [Diagnostic]) {
        let settingsPath = root + "/segmark.yml"
        guard fileSystem.kind(of: settingsPath) != nil else { return (Settings(), []) }
        let (node, d) = readYAMLFile(settingsPath, relative: "segmark.yml")
        let (s, sd) = SettingsDecoder().decode(node, path: "segmark.yml")
        return (s, d + sd)
    }

    public func load(root: String) -> Result {
        var (settings, diagnostics) = loadSettings(root: root)
        let content = settings.content
        var codes = Codes()
        let codesRelative = content + "/codes.yml"
        if fileSystem.kind(of: root + "/" + codesRelative) != nil {
            let (node, d) = readYAMLFile(root + "/" + codesRelative, relative: codesRelative)
            diagnostics += d
            let (c, cd) = CodesDecoder().decode(node, path: codesRelative)
            codes = c
            diagnostics += cd
        }
        // Every content file, in a stable order, decoded in parallel.
        let walker = ContentWalker(fileSystem: fileSystem, root: root)
        var jobs: [(kind: RecordKind, path: String)] = []
        for kind in RecordKind.allCases {
            let listing = walker.markdownFiles(under: content + "/" + kind.folder)
            diagnostics += listing.diagnostics
            jobs += listing.files.map { (kind, $0) }
        }
        let fs = fileSystem
        let jobList = jobs
        let results: [(Decoded?, [Diagnostic])] = parallelMap(jobs.count) { i in
            let (kind, path) = jobList[i]
            return Self.decodeFile(kind: kind, path: path, root: root, fileSystem: fs)
        }
        var contacts: [Contact] = [], segments: [Segment] = [], campaigns: [Campaign] = []
        var templates: [InteractionTemplate] = [], batches: [InteractionBatch] = []
        for (decoded, d) in results {
            diagnostics += d
            switch decoded {
            case .contact(let c)?: contacts.append(c)
            case .segment(let s)?: segments.append(s)
            case .campaign(let c)?: campaigns.append(c)
            case .template(let t)?: templates.append(t)
            case .batch(let b)?: batches.append(b)
            case nil: break
            }
        }
        let model = Model(root: root, settings: settings, codes: codes, contacts: contacts, segments: segments,
                          campaigns: campaigns, templates: templates, batches: batches)
        return Result(model: model, diagnostics: diagnostics, fileCount: jobs.count)
    }

    static func decodeFile(kind: RecordKind, path: String, root: String, fileSystem: FileSystem) -> (Decoded?, [Diagnostic]) {
        let bytes: [UInt8]
        do {
            bytes = try fileSystem.read(root + "/" + path)
        } catch {
            return (nil, [.error("cannot read file: \(error)", at: SourceLocation(path: path, line: 1, column: 1))])
        }
        let document: SourceDocument
        switch FrontMatterParser().parse(bytes, path: path) {
        case .failure(let d): return (nil, [d])
        case .success(let doc): document = doc
        }
        let fileName = String(path.split(separator: "/").last ?? "")
        switch kind {
        case .contact:
            let (c, d) = ContactDecoder().decode(document, fileName: fileName)
            return (.contact(c), d)
        case .segment:
            let (s, d) = SegmentDecoder().decode(document, fileName: fileName)
            return (.segment(s), d)
        case .campaign:
            let (c, d) = CampaignDecoder().decode(document, fileName: fileName)
            return (.campaign(c), d)
        case .interactionTemplate:
            let (t, d) = InteractionTemplateDecoder().decode(document, fileName: fileName)
            return (.template(t), d)
        case .batch:
            let (b, d) = InteractionBatchDecoder().decode(document, fileName: fileName)
            return (.batch(b), d)
        }
    }

    /// A whole-file YAML document (segmark.yml, codes.yml).
    func readYAMLFile(_ absolute: String, relative: String) -> (YAMLNode?, [Diagnostic]) {
        guard let bytes = try? fileSystem.read(absolute) else {
            return (nil, [.error("cannot read file", at: SourceLocation(path: relative, line: 1, column: 1))])
        }
        var slice = bytes[...]
        if slice.starts(with: [0xEF, 0xBB, 0xBF]) { slice = slice.dropFirst(3) }
        if let problem = FrontMatterParser.encodingProblem(slice) {
            return (nil, [.error(problem.message, at: SourceLocation(path: relative, line: problem.line, column: problem.column))])
        }
        let text = String(decoding: slice, as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n")
        switch YAMLReader().read(text, path: relative, lineOffset: 0) {
        case .success(let node): return (node, [])
        case .failure(let d): return (nil, [d])
        }
    }
}

/// The templates of one build: the built-in ones, each overridden by a file of the same
/// path in the workspace's Templates/ folder. Broken templates are diagnostics with positions.
public struct TemplateLibrary: Sendable {
    public static let pageKinds = ["index", "segment", "campaign", "contact", "contacts", "batch", "letters"]

    public var html: TemplateSet
    public var md: TemplateSet
    /// Non-template files (assets/…), path → bytes.
    public var assets: [(path: String, bytes: [UInt8])]
    /// Names a template uses that no page of its kind has (for `check`).
    public var warnings: [Diagnostic] = []
    /// Every template and asset in effect (built-in or overriding), hashed in path order.
    public var fingerprint: UInt64 = 0
    /// Where each template comes from (`html/contact.html` → `Templates/html/contact.html`,
    /// or `(built-in) Templates/html/contact.html`), for errors found while rendering.
    var origins: [String: String] = [:]

    public static func load(root: String, settings: Settings, fileSystem: FileSystem) -> Result<TemplateLibrary, ContentErrors> {
        var files: [String: (text: String, origin: String)] = [:]
        for (path, text) in BuiltinTemplates.files { files[path] = (text, "(built-in) Templates/" + path) }
        var diagnostics: [Diagnostic] = []
        let folder = settings.templates
        if let problem = Confinement(fileSystem: fileSystem, root: root).readableFolderProblem(folder, setting: "templates") {
            return .failure(ContentErrors([.error(problem, at: SourceLocation(path: "segmark.yml", line: 1, column: 1))]))
        }
        let walker = ContentWalker(fileSystem: fileSystem, root: root)
        let confinement = Confinement(fileSystem: fileSystem, root: root)
        for sub in ["html", "md", "assets"] {
            if let problem = confinement.readableFolderProblem(folder + "/" + sub, setting: "templates") {
                diagnostics.append(.error(problem, at: SourceLocation(path: folder + "/" + sub, line: 1, column: 1)))
                continue
            }
            let listing = walker.allFiles(under: folder + "/" + sub)
            diagnostics += listing.diagnostics
            for relative in listing.files {
                let key = String(relative.dropFirst(folder.count + 1))
                guard let bytes = try? fileSystem.read(root + "/" + relative) else { continue }
                if let problem = FrontMatterParser.encodingProblem(bytes[...]) {
                    diagnostics.append(.error(problem.message, at: SourceLocation(path: relative, line: problem.line, column: problem.column)))
                    continue
                }
                files[key] = (String(decoding: bytes, as: UTF8.self), relative)
            }
        }
        var html = TemplateSet(contentType: .html)
        var md = TemplateSet(contentType: .text)
        var origins: [String: String] = [:]
        var broken: [String: Set<String>] = [:]  // format → names of templates that did not parse
        var assets: [(String, [UInt8])] = []
        var fingerprint = Fingerprint()
        for key in files.keys.sorted(by: Text.codePointLess) {
            let (text, origin) = files[key]!
            fingerprint.add(key)
            fingerprint.add(text)
            let parts = key.split(separator: "/", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { continue }
            if parts[0] == "assets" { assets.append((key, Array(text.utf8))); continue }
            let ext = parts[0]
            guard parts[1].hasSuffix("." + ext) else { continue }
            let name = String(parts[1].dropLast(ext.count + 1))
            origins[key] = origin
            do {
                if ext == "html" { try html.add(name, source: text) } else { try md.add(name, source: text) }
            } catch {
                broken[ext, default: []].insert(name)
                diagnostics.append(.error(error.message, at: SourceLocation(path: origin, line: error.line, column: error.column)))
            }
        }
        let unknownPartials = [("html", html.resolvePartials(broken: broken["html", default: []])), ("md", md.resolvePartials(broken: broken["md", default: []]))]
        for (ext, unknown) in unknownPartials {
            for (template, error) in unknown {
                let origin = origins["\(ext)/\(template).\(ext)"] ?? "\(folder)/\(ext)/\(template).\(ext)"
                diagnostics.append(.error(error.message, at: SourceLocation(path: origin, line: error.line, column: error.column)))
            }
        }
        for kind in pageKinds {
            if !html.contains(kind) && !broken["html", default: []].contains(kind) && settings.formats.contains(.html) {
                diagnostics.append(.error("missing template html/\(kind).html", at: SourceLocation(path: folder + "/html/\(kind).html", line: 1, column: 1)))
            }
            if !md.contains(kind) && !broken["md", default: []].contains(kind) && settings.formats.contains(.md) {
                diagnostics.append(.error("missing template md/\(kind).md", at: SourceLocation(path: folder + "/md/\(kind).md", line: 1, column: 1)))
            }
        }
        if !diagnostics.isEmpty { return .failure(ContentErrors(diagnostics)) }
        var warnings: [Diagnostic] = []
        for (ext, set) in [("html", html), ("md", md)] {
            for template in set.templateNames {
                let known = PageSchema.names[template] ?? PageSchema.any
                for use in set.names(in: template) where !known.contains(use.name) {
                    let origin = origins["\(ext)/\(template).\(ext)"] ?? "\(folder)/\(ext)/\(template).\(ext)"
                    warnings.append(.warning("no \(PageSchema.names[template] == nil ? "page" : template + " page") has a value named '\(use.name)', so it renders empty"
                                             + Text.didYouMean(use.name, known.sorted()), at: SourceLocation(path: origin, line: use.line, column: use.column)))
                }
            }
        }
        var library = TemplateLibrary(html: html, md: md, assets: assets)
        library.origins = origins
        library.warnings = warnings
        library.fingerprint = fingerprint.value
        return .success(library)
    }

    /// The problems `load` would report for this workspace's templates, for `segmark check`.
    public static func check(root: String, fileSystem: FileSystem = LocalFileSystem()) -> [Diagnostic] {
        let (settings, _) = WorkspaceLoader(fileSystem: fileSystem).loadSettings(root: root)
        switch load(root: root, settings: settings, fileSystem: fileSystem) {
        case .failure(let errors): return errors.diagnostics
        case .success(let library): return library.warnings
        }
    }

    /// The page at `page` (its path in the output folder, made only for an error), from
    /// template `kind` of `format`.
    func render(_ context: TemplateValue, kind: String, format: Settings.Format, memo: FragmentMemo? = nil, splice: RowSplice? = nil,
                page: @autoclosure () -> String) throws -> [UInt8] {
        do {
            return try (format == .html ? html : md).render(kind, context, memo: memo, splice: splice) ?? []
        } catch {
            throw problem(error, format: format, page: page())
        }
    }

    /// A page that overran, as an error at the template (or the partial) that ran away.
    func problem(_ overrun: TemplateSet.Overrun, format: Settings.Format, page: String) -> ContentErrors {
        let key = format.rawValue + "/" + (overrun.partial ?? overrun.template) + "." + format.rawValue
        return ContentErrors([.error(overrun.message(page: page), at: SourceLocation(path: origins[key] ?? "Templates/" + key, line: 1, column: 1))])
    }
}

extension ContentWalker {
    /// Every file below a folder (not only Markdown), sorted, skipping hidden names; a
    /// symbolic link is an error and is not followed.
    public func allFiles(under relativeFolder: String) -> Listing {
        var listing = Listing()
        guard fileSystem.kind(of: root + "/" + relativeFolder) == .directory,
              let entries = try? fileSystem.entries(in: root + "/" + relativeFolder) else { return listing }
        for e in entries where !e.name.hasPrefix(".") {
            let path = relativeFolder + "/" + e.name
            switch e.kind {
            case .directory:
                let inner = allFiles(under: path)
                listing.files += inner.files
                listing.diagnostics += inner.diagnostics
            case .file:
                listing.files.append(path)
            case .symlink:
                listing.diagnostics.append(.error("symbolic link; templates are read from real files only, so it is not followed",
                                                  at: SourceLocation(path: path, line: 1, column: 1)))
            }
        }
        return listing
    }
}

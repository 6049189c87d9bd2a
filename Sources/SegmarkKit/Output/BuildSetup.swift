/// What every page depends on besides the content files, settled before any content file is
/// read: segmark.yml, the templates, the as-of date and the formats. `build` and `serve` start
/// from it alike.
struct BuildSetup {
    let settings: Settings
    let templates: TemplateLibrary
    let asOf: Day
    let formats: [Settings.Format]

    /// Reads segmark.yml and the templates; a template that does not parse throws its errors.
    /// The as-of date and formats given on the command line win over segmark.yml's; the as-of
    /// date falls back to today.
    init(root: String, asOf: Day?, today: Day, formats: [Settings.Format]?, fileSystem: FileSystem) throws {
        let (settings, _) = WorkspaceLoader(fileSystem: fileSystem).loadSettings(root: root)
        self.settings = settings
        templates = try TemplateLibrary.load(root: root, settings: settings, fileSystem: fileSystem).get()
        self.asOf = asOf ?? settings.asOf ?? today
        self.formats = formats ?? settings.formats
    }

    /// The fingerprint of all of this, with the program and the file history shown on sheets
    /// (each page may show them); it joins the content files' own fingerprint.
    func fingerprint(tool: String = "", history: [String: FileChange] = [:]) -> Fingerprint {
        var context = Fingerprint()
        context.add(tool)
        context.combine(templates.fingerprint)
        context.add(asOf.description)
        context.add(formats.map(\.rawValue).joined(separator: ","))
        for path in history.keys.sorted(by: Text.codePointLess) {
            let change = history[path]!
            context.add(path + "\t" + change.date + "\t" + change.commit + "\t" + change.subject)
        }
        return context
    }
}

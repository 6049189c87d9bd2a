import Foundation

/// The whole `build` pipeline: load → validate → evaluate → render → write, returning values.
public struct SiteBuilder {
    public let fileSystem: FileSystem

    public init(fileSystem: FileSystem = LocalFileSystem()) { self.fileSystem = fileSystem }

    public struct Options: Sendable {
        public var asOf: Day?
        public var today: Day
        public var output: String?
        public var formats: [Settings.Format]?
        /// Shows file history on sheets even when segmark.yml does not ask for it (`--history`).
        public var history: Bool
        /// Reads the last change of the files under the given workspace folders (git).
        public var historySource: (@Sendable ([String]) -> [String: FileChange])?

        public init(asOf: Day? = nil, today: Day, output: String? = nil, formats: [Settings.Format]? = nil,
                    history: Bool = false, historySource: (@Sendable ([String]) -> [String: FileChange])? = nil) {
            self.asOf = asOf
            self.today = today
            self.output = output
            self.formats = formats
            self.history = history
            self.historySource = historySource
        }
    }

    public struct Report: Sendable {
        public var summary: OutputWriter.Summary
        public var warnings: [Diagnostic]
        public var asOf: Day
        public var outputDirectory: String
        public var timings: [(phase: String, seconds: Double)]
    }

    public func build(root: String, options: Options) throws -> Report {
        var timings: [(String, Double)] = []
        var clock = Date()
        func lap(_ phase: String) {
            let now = Date()
            timings.append((phase, now.timeIntervalSince(clock)))
            clock = now
        }
        let check = WorkspaceCheck(root: root, fileSystem: fileSystem)
        lap("read, parse and validate")
        if check.hasErrors { throw ContentErrors(check.diagnostics.filter { $0.severity == .error }) }
        let model = check.model
        let templates: TemplateLibrary
        switch TemplateLibrary.load(root: root, settings: model.settings, fileSystem: fileSystem) {
        case .failure(let errors): throw errors
        case .success(let t): templates = t
        }
        let asOf = options.asOf ?? model.settings.asOf ?? options.today
        let evaluation = SegmentEvaluator(model: model, asOf: asOf).evaluate()
        lap("evaluate")
        let outputFolder = options.output ?? model.settings.output
        let outputDirectory = outputFolder.hasPrefix("/") ? outputFolder : root + "/" + outputFolder
        try fileSystem.createDirectory(outputDirectory)
        let writer = OutputWriter(fileSystem: fileSystem, directory: outputDirectory)
        var history: [String: FileChange] = [:]
        if options.history || model.settings.history, let source = options.historySource {
            let content = model.settings.content
            history = source([content + "/" + RecordKind.segment.folder, content + "/" + RecordKind.campaign.folder])
        }
        let renderer = SiteRenderer(model: model, evaluation: evaluation, templates: templates,
                                    formats: options.formats ?? model.settings.formats, history: history)
        do {
            try renderer.render { path, bytes in try writer.add(path, bytes) }
            lap("render")
            let summary = try writer.commit()
            lap("write")
            return Report(summary: summary, warnings: check.diagnostics, asOf: asOf, outputDirectory: outputDirectory, timings: timings)
        } catch {
            writer.abort()
            throw error
        }
    }
}

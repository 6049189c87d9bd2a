/// The record the last successful build left in the output folder (`.segmark-state`): the
/// fingerprints of the inputs it was made from, and its pages. It answers whether a build has
/// anything to do before any content is parsed.
struct LastBuild: Sendable {
    let path: String
    /// The fingerprints and folders only (they come first in the file); `state()` reads the pages.
    let fingerprints: BuildState
    /// When the record was written: a file changed in the same clock tick proves nothing by its time.
    let written: Int64
    private let fileSystem: FileSystem

    init(directory: String, fileSystem: FileSystem) {
        path = directory + "/" + SiteBuilder.stateName
        self.fileSystem = fileSystem
        written = fileSystem.modificationTime(path) ?? .min
        fingerprints = Self.read(path, fileSystem: fileSystem, pages: false)
    }

    /// The whole record, with a line per page (784,692 at L: half a second).
    func state() -> BuildState { Self.read(path, fileSystem: fileSystem, pages: true) }

    /// The same files with the same sizes and modification times as the last build (`stat`
    /// holds them), none changed in the tick the record was written ("racy", as git calls it:
    /// then only the bytes can tell).
    func hasSameFiles(_ stat: Fingerprint, newest: Int64) -> Bool {
        fingerprints.stat == stat.hex && newest < written
    }

    /// The same bytes in every input as the last build.
    func hasSameInputs(_ inputs: Fingerprint) -> Bool {
        fingerprints.inputs == inputs.hex
    }

    /// The last build's pages kept as they are, under the new fingerprint of the files' times
    /// (files touched but not changed).
    func restamp(_ stat: Fingerprint) {
        var kept = state()
        kept.stat = stat.hex
        try? fileSystem.writeAtomically(kept.bytes, to: path)
    }

    /// Output/ is about to change: the old record no longer describes it.
    func remove() throws { try fileSystem.remove(path) }

    func write(_ state: BuildState) throws { try fileSystem.writeAtomically(state.bytes, to: path) }

    private static func read(_ path: String, fileSystem: FileSystem, pages: Bool) -> BuildState {
        guard fileSystem.kind(of: path) == .file, let bytes = try? fileSystem.read(path) else { return BuildState() }
        return BuildState(bytes, pages: pages)
    }
}

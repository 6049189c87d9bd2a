/// How long each phase of a build took, for `--timings` and serve's log. The clock is
/// injected (monotonic seconds); these figures never reach the output.
struct Laps {
    private let clock: @Sendable () -> Double
    /// When the last phase ended (or the laps began).
    private(set) var last: Double
    private(set) var phases: [(phase: String, seconds: Double)] = []

    init(clock: @escaping @Sendable () -> Double) {
        self.clock = clock
        last = clock()
    }

    /// Ends a phase now.
    mutating func lap(_ phase: String) {
        let now = clock()
        phases.append((phase, now - last))
        last = now
    }

    mutating func append(_ more: [(phase: String, seconds: Double)]) { phases += more }

    var now: Double { clock() }
}

import Foundation
import SegmarkKit

// Built two ways. With `make fuzz` (-sanitize=fuzzer -DSEGMARK_FUZZ) libFuzzer drives
// LLVMFuzzerTestOneInput and the target is chosen by SEGMARK_FUZZ_TARGET. In a normal build it
// is a replay tool: `segmark-fuzz TARGET FILE...` runs the target once per file.

func selectedTarget() -> @Sendable ([UInt8]) -> Void {
    let name = ProcessInfo.processInfo.environment["SEGMARK_FUZZ_TARGET"] ?? "frontmatter"
    guard let target = FuzzEntry.targets.first(where: { $0.name == name }) else {
        fatalError("unknown SEGMARK_FUZZ_TARGET '\(name)'; one of: \(FuzzEntry.targets.map(\.name).joined(separator: ", "))")
    }
    return target.run
}

#if SEGMARK_FUZZ
let fuzzTarget = selectedTarget()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { fuzzTarget([]); return 0 }
    fuzzTarget(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}

@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt

// SwiftPM renames an executable's entry point to <module>_main; libFuzzer's driver runs from it.
@_cdecl("segmark_fuzz_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var vector = argv
    return LLVMFuzzerRunDriver(&count, &vector) { data, size in fuzzOne(data, size) }
}
#else
@main
struct Replay {
    static func main() throws {
        let args = CommandLine.arguments.dropFirst()
        guard let name = args.first, let target = FuzzEntry.targets.first(where: { $0.name == name }) else {
            FileHandle.standardError.write(Data("usage: segmark-fuzz frontmatter|plainyaml|filter FILE...\n".utf8))
            exit(2)
        }
        for file in args.dropFirst() {
            target.run([UInt8](try Data(contentsOf: URL(fileURLWithPath: file))))
        }
    }
}
#endif

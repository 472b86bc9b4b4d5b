import Testing
@testable import SwvmCore

@Test func valueTypesRoundTrip() {
    #expect(ValueType.i32.encoding == [0x7F])
}

private func loadError(_ bytes: [UInt8]) -> WasmError? {
    do { _ = try Module.load(bytes) } catch { return error }
    return nil
}

/// `Module.load` reads the function bodies once, in validation (ModuleLoading.swift); a
/// malformed encoding must still be reported as such when an earlier body is invalid, as if
/// the whole binary had been decoded first.
@Test func aMalformedBodyWinsOverAnEarlierInvalidOne() throws {
    var b = ModuleBuilder()
    b.function("invalid", [], [.i32], [])  // no result on the stack: invalid
    b.function("malformed", [], [], [0x06])  // legacy `try`: an illegal opcode
    let both = loadError(b.build())
    #expect(both?.kind == .malformed)
    #expect(both?.functionIndex == 1)
    b.functions[1].body = []
    #expect(loadError(b.build())?.kind == .invalid)
    #expect(try Module.decode(b.build()).codes.count == 2)  // decoding alone does not validate

    // data.drop in the code with a data section and no data count section: malformed, even
    // behind an invalid body.
    var d = ModuleBuilder()
    d.memoryPages = (1, nil)
    d.function("invalid", [], [.i32], [])
    d.function("drop", [], [], [0xFC, 0x09, 0x00])
    d.data = [(0, [1])]
    let e = loadError(d.build())
    #expect(e?.kind == .malformed && e?.message.contains("data count") == true)
}

/// The validator reads the packed form; the translator and tests the readable one.
@Test func packedNumericSignaturesAgreeWithTheTable() {
    for op in Opcode.allCases {
        let shape = op.numericShape
        guard let sig = op.numericSignature else {
            #expect(shape == 0, "\(op.name)")
            continue
        }
        #expect(Int(shape & 0xF) == sig.params.count, "\(op.name)")
        for (i, p) in sig.params.enumerated() {
            #expect(UInt32(p.kind.rawValue) == (shape >> UInt32(4 + 4 * i)) & 0xF, "\(op.name)")
        }
        #expect(UInt32(sig.result.kind.rawValue) == (shape >> 16) & 0xF, "\(op.name)")
    }
}

import Testing
@testable import SwvmCore

// Wasm 3.0's memory proposals where the spec suite is thin: bounds checks at the top of the
// 64-bit address space, lazy address-space reservation for 64-bit memories, the memarg's
// memory-index encoding, and extended constant expressions.

/// A module from raw sections: (id, payload).
private func module(_ sections: [(UInt8, [UInt8])]) -> [UInt8] {
    var out: [UInt8] = [0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00]
    for (id, payload) in sections { out += [id] + W.u(UInt64(payload.count)) + payload }
    return out
}
private func vector(_ items: [[UInt8]]) -> [UInt8] { W.u(UInt64(items.count)) + items.flatMap { $0 } }
private func body(_ code: [UInt8], locals: [UInt8] = [0x00]) -> [UInt8] {
    let b = locals + code + [0x0B]
    return W.u(UInt64(b.count)) + b
}
private func exportFunc(_ name: String, _ index: UInt32) -> [UInt8] { W.name(name) + [0x00] + W.u(UInt64(index)) }

private func loadError(_ bytes: [UInt8], features: Features = .all) -> WasmError? {
    do { _ = try Module.load(bytes, features: features) } catch let e as WasmError { return e } catch { return nil }
    return nil
}
private func instantiate(_ bytes: [UInt8]) throws -> Instance {
    try Linker(store: keptStore()).instantiate(try Module.load(bytes))
}
private func trapMessage(_ f: Function, _ args: [Value]) -> String? {
    do { _ = try f.call(args) } catch let e as WasmError { return e.message } catch { return "\(error)" }
    return nil
}

/// One page of 64-bit memory; load(addr) = i32.load offset=`offset` of addr,
/// store(addr, v) = i64.store offset=`offset`; fill/copy with 64-bit operands.
private func memory64Module(offset: UInt64) -> [UInt8] {
    module([
        (1, vector([[0x60, 0x01, 0x7E, 0x01, 0x7F], [0x60, 0x02, 0x7E, 0x7E, 0x00], [0x60, 0x03, 0x7E, 0x7F, 0x7E, 0x00],
                    [0x60, 0x03, 0x7E, 0x7E, 0x7E, 0x00]])),
        (3, vector([[0x00], [0x01], [0x02], [0x03]])),
        (5, vector([[0x05, 0x01, 0x04]])),  // i64 memory, 1..4 pages
        (7, vector([exportFunc("load", 0), exportFunc("store", 1), exportFunc("fill", 2), exportFunc("copy", 3),
                    W.name("memory") + [0x02, 0x00]])),
        (10, vector([
            body(W.get(0) + [0x28, 0x02] + W.u(offset)),
            body(W.get(0) + W.get(1) + [0x37, 0x03] + W.u(offset)),
            body(W.get(0) + W.get(1) + W.get(2) + [0xFC, 0x0B, 0x00]),
            body(W.get(0) + W.get(1) + W.get(2) + [0xFC, 0x0A, 0x00, 0x00]),
        ])),
    ])
}

@Test func memory64AccessesNearTheTopOfTheAddressSpaceTrapInsteadOfWrapping() throws {
    let oob = Trap.outOfBoundsMemoryAccess.description
    // address + offset wraps past 2^64 to a small in-bounds value: must trap, not read there.
    let wrapping = try instantiate(memory64Module(offset: 8))
    let load = wrapping.function("load")!, store = wrapping.function("store")!
    #expect(trapMessage(load, [.i64(UInt64.max - 7)]) == oob)  // + 8 wraps to 0
    #expect(trapMessage(load, [.i64(UInt64.max)]) == oob)
    #expect(trapMessage(store, [.i64(UInt64.max - 3), .i64(1)]) == oob)
    #expect(try load.call([.i64(65536 - 12)]) == [.i32(0)])  // 65532..65535: the last word
    #expect(trapMessage(load, [.i64(65536 - 11)]) == oob)
    // The largest offset with address 0 and 1.
    let top = try instantiate(memory64Module(offset: UInt64.max))
    #expect(trapMessage(top.function("load")!, [.i64(0)]) == oob)
    #expect(trapMessage(top.function("load")!, [.i64(1)]) == oob)
    // Bulk operations: start + count would wrap.
    let fill = wrapping.function("fill")!, copy = wrapping.function("copy")!
    #expect(trapMessage(fill, [.i64(1), .i32(0xAA), .i64(UInt64.max)]) == oob)
    #expect(trapMessage(fill, [.i64(UInt64.max), .i32(0xAA), .i64(2)]) == oob)
    #expect(trapMessage(copy, [.i64(0), .i64(UInt64.max), .i64(2)]) == oob)
    #expect(trapMessage(copy, [.i64(UInt64.max - 1), .i64(0), .i64(3)]) == oob)
    // Nothing was written by the trapping operations.
    #expect(wrapping.memory("memory")!.read(offset: 0, count: 16) == [UInt8](repeating: 0, count: 16))
    #expect(try fill.call([.i64(65535), .i32(7), .i64(1)]) == [])
    #expect(wrapping.memory("memory")!.read(offset: 65535, count: 1) == [7])
}

@Test func memory64ReservesAddressSpaceLazilyAndGrowsBeyondFourGiB() throws {
    // A maximum of 2^48 pages (2^64 bytes) is not reserved up front.
    let m = try Memory(type: MemoryType(limits: Limits(min: 1, max: 1 << 48), is64: true))
    #expect(m.reservedBytes <= 1 << 32)
    #expect(m.write(offset: 100, bytes: [1, 2, 3]))
    // Past 4 GiB: the reservation grows (the mapping may move), the contents stay.
    let pages: UInt64 = 70_000  // 4.27 GiB
    #expect(m.grow(by: pages - 1) == 1)
    #expect(m.pageCount == pages)
    #expect(m.byteSize == pages * 65536)
    #expect(m.reservedBytes >= Int(pages) * 65536)
    #expect(m.read(offset: 100, count: 3) == [1, 2, 3])
    let last = Int(pages) * 65536 - 1
    #expect(m.write(offset: last, bytes: [9]))
    #expect(m.read(offset: last, count: 1) == [9])
    #expect(m.read(offset: last, count: 2) == nil)
    // Growth that cannot fit fails without touching the memory.
    #expect(m.grow(by: UInt64.max) == nil)
    #expect(m.grow(by: 1 << 48) == nil)
    #expect(m.pageCount == pages)
    // A 32-bit memory still reserves its whole maximum, so its base never moves.
    let m32 = try Memory(type: MemoryType(limits: Limits(min: 1, max: 65536)))
    #expect(m32.reservedBytes == 1 << 32)
    let base = m32.baseAddress
    #expect(m32.grow(by: 10) == 1)
    #expect(m32.baseAddress == base)
}

@Test func memory64GrowAndSizeAreSixtyFourBitInWasm() throws {
    // size() -> i64; grow(i64) -> i64, -1 as i64 on failure.
    let bytes = module([
        (1, vector([[0x60, 0x00, 0x01, 0x7E], [0x60, 0x01, 0x7E, 0x01, 0x7E]])),
        (3, vector([[0x00], [0x01]])),
        (5, vector([[0x05, 0x01, 0x03]])),
        (7, vector([exportFunc("size", 0), exportFunc("grow", 1)])),
        (10, vector([body([0x3F, 0x00]), body(W.get(0) + [0x40, 0x00])])),
    ])
    let inst = try instantiate(bytes)
    #expect(try inst.function("grow")!.call([.i64(2)]) == [.i64(1)])
    #expect(try inst.function("size")!.call([]) == [.i64(3)])
    #expect(try inst.function("grow")!.call([.i64(1)]) == [.i64(UInt64.max)])
    #expect(try inst.function("grow")!.call([.i64(UInt64.max)]) == [.i64(UInt64.max)])
}

/// Two memories of one page; store1(addr, v) writes memory 1 with the memarg's index bit,
/// load0/load1 read each, copy10 copies from memory 1 to memory 0.
private func twoMemories() -> [UInt8] {
    module([
        (1, vector([[0x60, 0x02, 0x7F, 0x7F, 0x00], [0x60, 0x01, 0x7F, 0x01, 0x7F], [0x60, 0x03, 0x7F, 0x7F, 0x7F, 0x00]])),
        (3, vector([[0x00], [0x01], [0x01], [0x02]])),
        (5, vector([[0x00, 0x01], [0x00, 0x01]])),
        (7, vector([exportFunc("store1", 0), exportFunc("load0", 1), exportFunc("load1", 2), exportFunc("copy10", 3)])),
        (10, vector([
            // flags 0x42: alignment 2 with bit 6 set, then memory index 1
            body(W.get(0) + W.get(1) + [0x36, 0x42, 0x01, 0x00]),
            body(W.get(0) + [0x28, 0x02, 0x00]),
            // the index written overlong (0x81 0x00 is 1): still index 1
            body(W.get(0) + [0x28, 0x42, 0x81, 0x00, 0x00]),
            body(W.get(0) + W.get(1) + W.get(2) + [0xFC, 0x0A, 0x00, 0x01]),
        ])),
    ])
}

@Test func memargMemoryIndexSelectsTheMemory() throws {
    let inst = try instantiate(twoMemories())
    #expect(try inst.function("store1")!.call([.i32(8), .i32(0x1234_5678)]) == [])
    #expect(try inst.function("load1")!.call([.i32(8)]) == [.i32(0x1234_5678)])
    #expect(try inst.function("load0")!.call([.i32(8)]) == [.i32(0)])
    #expect(try inst.function("copy10")!.call([.i32(100), .i32(8), .i32(4)]) == [])
    #expect(try inst.function("load0")!.call([.i32(100)]) == [.i32(0x1234_5678)])
    #expect(trapMessage(inst.function("copy10")!, [.i32(65534), .i32(8), .i32(4)]) == Trap.outOfBoundsMemoryAccess.description)
    // Wasm 2.0 has no index bit and one memory.
    #expect(loadError(twoMemories(), features: .wasm2)?.kind == .malformed)
}

@Test func memoryIndexEncodingsAreCheckedPerFeatureSet() throws {
    func sizeModule(_ index: [UInt8]) -> [UInt8] {
        module([
            (1, vector([[0x60, 0x00, 0x01, 0x7F]])), (3, vector([[0x00]])), (5, vector([[0x00, 0x01]])),
            (10, vector([body([0x3F] + index)])),
        ])
    }
    // 3.0: memory.size's immediate is a memory index, overlong LEB128 allowed.
    #expect(loadError(sizeModule([0x00])) == nil)
    #expect(loadError(sizeModule([0x80, 0x00])) == nil)
    #expect(loadError(sizeModule([0x01]))?.message == "unknown memory 1")
    // 2.0: a zero byte.
    #expect(loadError(sizeModule([0x80, 0x00]), features: .wasm2)?.message == "zero byte expected")
    // A memarg naming a memory that does not exist; flags of 128 and above.
    let badIndex = module([
        (1, vector([[0x60, 0x00, 0x01, 0x7F]])), (3, vector([[0x00]])), (5, vector([[0x00, 0x01]])),
        (10, vector([body(W.i32(0) + [0x28, 0x42, 0x02, 0x00])])),
    ])
    #expect(loadError(badIndex)?.message == "unknown memory 2")
    let badFlags = module([
        (1, vector([[0x60, 0x00, 0x01, 0x7F]])), (3, vector([[0x00]])), (5, vector([[0x00, 0x01]])),
        (10, vector([body(W.i32(0) + [0x28, 0x80, 0x01, 0x00])])),
    ])
    #expect(loadError(badFlags)?.kind == .malformed)
    // A 32-bit memory's offset must fit in 32 bits, though the memarg reads 64.
    let bigOffset = module([
        (1, vector([[0x60, 0x00, 0x01, 0x7F]])), (3, vector([[0x00]])), (5, vector([[0x00, 0x01]])),
        (10, vector([body(W.i32(0) + [0x28, 0x02] + W.u(1 << 32))])),
    ])
    #expect(loadError(bigOffset)?.kind == .invalid)
}

@Test func extendedConstantExpressionsInGlobalsAndSegments() throws {
    // g0 = 10 (imported-free: a defined immutable global); g1 = g0 * 3 + 1 = 31;
    // g2 (i64) = 5 - 7 = -2; data segment at g1 + 1 = 32; element segment at g0 - 10 = 0.
    let bytes = module([
        (1, vector([[0x60, 0x00, 0x01, 0x7F]])),
        (3, vector([[0x00]])),
        (4, vector([[0x70, 0x00, 0x01]])),
        (5, vector([[0x00, 0x01]])),
        (6, vector([
            [0x7F, 0x00] + W.i32(10) + [0x0B],
            [0x7F, 0x00] + W.globalGet(0) + W.i32(3) + [0x6C] + W.i32(1) + [0x6A, 0x0B],
            [0x7E, 0x00] + W.i64(5) + W.i64(7) + [0x7D, 0x0B],
        ])),
        (7, vector([exportFunc("f", 0), W.name("g1") + [0x03, 0x01], W.name("g2") + [0x03, 0x02], W.name("memory") + [0x02, 0x00]])),
        (9, vector([[0x00] + W.globalGet(0) + W.i32(10) + [0x6B, 0x0B] + vector([[0x00]])])),
        (10, vector([body(W.i32(42))])),
        (11, vector([[0x00] + W.globalGet(1) + W.i32(1) + [0x6A, 0x0B] + W.vec([0xAB])])),
    ])
    let inst = try instantiate(bytes)
    #expect(inst.global("g1")!.value == .i32(31))
    #expect(inst.global("g2")!.value == .i64(UInt64(bitPattern: -2)))
    #expect(inst.memory("memory")!.read(offset: 32, count: 1) == [0xAB])
    #expect(try inst.tables[0].get(0) != .funcref(nil))
    #expect(loadError(bytes, features: .wasm2)?.kind == .invalid)

    func globals(_ inits: [[UInt8]], type: UInt8 = 0x7F, mutable: Bool = false) -> [UInt8] {
        module([(6, vector(inits.map { [type, mutable ? 1 : 0] + $0 + [0x0B] }))])
    }
    // A global may read only earlier, immutable globals.
    #expect(loadError(globals([W.globalGet(1), W.i32(1)]))?.message == "unknown global 1")
    #expect(loadError(globals([W.globalGet(0)]))?.message == "unknown global 0")
    #expect(loadError(module([(6, vector([[0x7F, 0x01] + W.i32(1) + [0x0B], [0x7F, 0x00] + W.globalGet(0) + [0x0B]]))]))?
        .message == "constant expression required")
    // Operand types, counts, and operators that are not constant.
    #expect(loadError(globals([W.i32(1) + W.i64(1) + [0x6A]]))?.kind == .invalid)
    #expect(loadError(globals([W.i32(1) + [0x6A]]))?.kind == .invalid)
    #expect(loadError(globals([W.i32(1) + W.i32(2)]))?.kind == .invalid)
    #expect(loadError(globals([W.i32(6) + W.i32(2) + [0x6D]]))?.message == "constant expression required")  // i32.div_s
}

@Test func simdAccessesAndTailCallsUseTheWholeSixtyFourBitAddress() throws {
    // Found by differential fuzzing after SIMD, memory64 and tail calls met: a SIMD access to a
    // 64-bit memory, and return_call_indirect through a 64-bit table, took only the index's low
    // 32 bits (2^32 read address 0), and the validator wanted an i32 index for the latter.
    let bytes = module([
        (1, vector([[0x60, 0x01, 0x7E, 0x01, 0x7F], [0x60, 0x00, 0x01, 0x7F], [0x60, 0x01, 0x7E, 0x00]])),
        (3, vector([[0x00], [0x00], [0x02]])),
        (4, vector([[0x70, 0x04, 0x01]])),  // funcref table, i64, 1 element
        (5, vector([[0x04, 0x01]])),  // i64 memory, 1 page
        (7, vector([exportFunc("tail", 0), exportFunc("vload", 1), exportFunc("vstore", 2)])),
        (10, vector([
            body(W.get(0) + [0x13, 0x01, 0x00]),
            body(W.get(0) + [0xFD, 0x00, 0x00, 0x00] + [0xFD, 0x1B, 0x00]),
            body(W.get(0) + [0xFD, 0x0C] + [UInt8](repeating: 0x11, count: 16) + [0xFD, 0x0B, 0x00, 0x00]),
        ])),
    ])
    let inst = try instantiate(bytes)
    let oob = Trap.outOfBoundsMemoryAccess.description
    let vload = inst.function("vload")!, vstore = inst.function("vstore")!
    #expect(trapMessage(vload, [.i64(1 << 32)]) == oob)
    #expect(trapMessage(vstore, [.i64(1 << 32)]) == oob)
    #expect(trapMessage(vstore, [.i64(65536 - 15)]) == oob)
    #expect(try vstore.call([.i64(65536 - 16)]) == [])
    #expect(try vload.call([.i64(65536 - 16)]) == [.i32(0x1111_1111)])
    #expect(try vload.call([.i64(0)]) == [.i32(0)])  // address 2^32 wrote nothing at 0
    #expect(trapMessage(inst.function("tail")!, [.i64(1 << 32)]) == Trap.undefinedElement.description)
    #expect(trapMessage(inst.function("tail")!, [.i64(0)])?.hasPrefix(Trap.uninitializedElement.description) == true)
}

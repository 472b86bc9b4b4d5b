// Instructions that act on whole runtime objects (memory growth, bulk memory, tables,
// segments). They are rare on hot paths, so they call into the runtime's Swift code through
// an unretained instance or memory reference held in a node field.

@inline(__always) func instance(_ word: UInt64) -> Instance {
    Unmanaged<Instance>.fromOpaque(word.raw).takeUnretainedValue()
}
@inline(__always) func memoryState(_ word: UInt64) -> UnsafeMutablePointer<MemoryState> {
    UnsafeMutablePointer<MemoryState>(bitPattern: UInt(truncatingIfNeeded: word)).unsafelyUnwrapped
}
@inline(__always) func i32(_ w: UInt64) -> UInt64 { UInt64(UInt32(truncatingIfNeeded: w)) }

/// An address-typed operand (offset, index, size) of a 32-bit (`wide` false: the word's low
/// half) or 64-bit memory or table. Each node below exists in both forms; `wide` is a
/// constant in each, so the 32-bit forms are what they were before 64-bit memories.
@inline(__always) func address(_ w: UInt64, _ wide: Bool) -> UInt64 { wide ? w : i32(w) }

/// a = memory state (any memory, either width: the page count is the result either way).
func memorySizeNode(_ n: NodeP, _ fp: Frame, _ c: Ctx) -> UInt64 {
    memoryState(n.pointee.a).pointee.byteSize / UInt64(Memory.pageSize)
}
/// a = instance, b = memory index, c = delta expression. Grows only if nothing trapped: it is an
/// expression with an effect. Failure is -1 of the memory's address type.
@inline(__always) func memoryGrow(_ n: NodeP, _ fp: Frame, _ c: Ctx, wide: Bool) -> UInt64 {
    let delta = address(eval(n.pointee.c, fp, c), wide)
    if trapped(c) { return 0 }
    let old = instance(n.pointee.a).memories[n.pointee.b.int].grow(by: delta)
    return old ?? (wide ? UInt64.max : 0xFFFF_FFFF)
}
func memoryGrowNode(_ n: NodeP, _ fp: Frame, _ c: Ctx) -> UInt64 { memoryGrow(n, fp, c, wide: false) }
func memoryGrow64Node(_ n: NodeP, _ fp: Frame, _ c: Ctx) -> UInt64 { memoryGrow(n, fp, c, wide: true) }

/// memory.fill: a = memory state, b = destination, c = value, d = count (expressions).
@inline(__always) func memoryFill(_ n: NodeP, _ fp: Frame, _ c: Ctx, wide: Bool) -> UInt64 {
    let dst = address(eval(n.pointee.b, fp, c), wide)
    let value = UInt8(truncatingIfNeeded: eval(n.pointee.c, fp, c))
    let count = address(eval(n.pointee.d, fp, c), wide)
    if trapped(c) { return 0 }
    let m = memoryState(n.pointee.a)
    guard inBounds(dst, count, m.pointee.byteSize) else { return raise(.outOfBoundsMemoryAccess, c) }
    (m.pointee.base + Int(dst)).initializeMemory(as: UInt8.self, repeating: value, count: Int(count))
    return proceed(n, fp, c)
}
func memoryFillNode(_ n: NodeP, _ fp: Frame, _ c: Ctx) -> UInt64 { memoryFill(n, fp, c, wide: false) }
func memoryFill64Node(_ n: NodeP, _ fp: Frame, _ c: Ctx) -> UInt64 { memoryFill(n, fp, c, wide: true) }

/// memory.copy within one 32-bit memory: a = memory state, b = destination, c = source,
/// d = count (expressions).
func memoryCopyNode(_ n: NodeP, _ fp: Frame, _ c: Ctx) -> UInt64 {
    let dst = i32(eval(n.pointee.b, fp, c))
    let src = i32(eval(n.pointee.c, fp, c))
    let count = i32(eval(n.pointee.d, fp, c))
    if trapped(c) { return 0 }
    let m = memoryState(n.pointee.a)
    guard inBounds(dst, count, m.pointee.byteSize), inBounds(src, count, m.pointee.byteSize) else {
        return raise(.outOfBoundsMemoryAccess, c)
    }
    // memmove semantics: overlapping ranges copy as if through a temporary buffer.
    (m.pointee.base + Int(dst)).copyMemory(from: m.pointee.base + Int(src), byteCount: Int(count))
    return proceed(n, fp, c)
}
/// memory.copy in general (between memories, or of a 64-bit one): a = arena record
/// [destination state, source state, destination is 64-bit, source is 64-bit]; b, c, d =
/// destination, source, count. The count is 64-bit only if both memories are.
func memoryCopyAnyNode(_ n: NodeP, _ fp: Frame, _ c: Ctx) -> UInt64 {
    let r = UnsafePointer<UInt64>(bitPattern: UInt(truncatingIfNeeded: n.pointee.a)).unsafelyUnwrapped
    let dstWide = r[2] != 0, srcWide = r[3] != 0
    let dst = address(eval(n.pointee.b, fp, c), dstWide)
    let src = address(eval(n.pointee.c, fp, c), srcWide)
    let count = address(eval(n.pointee.d, fp, c), dstWide && srcWide)
    if trapped(c) { return 0 }
    let d = memoryState(r[0]), s = memoryState(r[1])
    guard inBounds(dst, count, d.pointee.byteSize), inBounds(src, count, s.pointee.byteSize) else {
        return raise(.outOfBoundsMemoryAccess, c)
    }
    (d.pointee.base + Int(dst)).copyMemory(from: s.pointee.base + Int(src), byteCount: Int(count))
    return proceed(n, fp, c)
}

/// The three operands of a bulk instruction that needs its instance: an arena record
/// [instance, immediate 1, immediate 2] at field a; the operands in b, c, d.
@inline(__always) func bulkRecord(_ n: NodeP) -> (Instance, Int, Int) {
    let p = UnsafePointer<UInt64>(bitPattern: UInt(truncatingIfNeeded: n.pointee.a)).unsafelyUnwrapped
    return (instance(p[0]), p[1].int, p[2].int)
}

/// memory.init: record [instance, segment, memory]; b, c, d = destination (address-typed),
/// source, count (i32).
@inline(__always) func memoryInit(_ n: NodeP, _ fp: Frame, _ c: Ctx, wide: Bool) -> UInt64 {
    let dst = address(eval(n.pointee.b, fp, c), wide)
    let src = i32(eval(n.pointee.c, fp, c))
    let count = i32(eval(n.pointee.d, fp, c))
    if trapped(c) { return 0 }
    let (inst, segment, memory) = bulkRecord(n)
    do throws(Trap) { try inst.memoryInit(memory: memory, segment: segment, dst: dst, src: src, count: count) }
    catch { return raise(error, c) }
    return proceed(n, fp, c)
}
func memoryInitNode(_ n: NodeP, _ fp: Frame, _ c: Ctx) -> UInt64 { memoryInit(n, fp, c, wide: false) }
func memoryInit64Node(_ n: NodeP, _ fp: Frame, _ c: Ctx) -> UInt64 { memoryInit(n, fp, c, wide: true) }

/// data.drop: a = instance, b = segment.
func dataDropNode(_ n: NodeP, _ fp: Frame, _ c: Ctx) -> UInt64 {
    instance(n.pointee.a).dataSegments[n.pointee.b.int] = 0..<0
    return proceed(n, fp, c)
}
/// table.init: record [instance, segment, table]; b, c, d = destination (address-typed),
/// source, count (i32).
@inline(__always) func tableInit(_ n: NodeP, _ fp: Frame, _ c: Ctx, wide: Bool) -> UInt64 {
    let dst = address(eval(n.pointee.b, fp, c), wide)
    let src = i32(eval(n.pointee.c, fp, c))
    let count = i32(eval(n.pointee.d, fp, c))
    if trapped(c) { return 0 }
    let (inst, segment, table) = bulkRecord(n)
    do throws(Trap) { try inst.tableInit(table: table, segment: segment, dst: dst, src: src, count: count) }
    catch { return raise(error, c) }
    return proceed(n, fp, c)
}
func tableInitNode(_ n: NodeP, _ fp: Frame, _ c: Ctx) -> UInt64 { tableInit(n, fp, c, wide: false) }
func tableInit64Node(_ n: NodeP, _ fp: Frame, _ c: Ctx) -> UInt64 { tableInit(n, fp, c, wide: true) }

/// elem.drop: a = instance, b = segment.
func elemDropNode(_ n: NodeP, _ fp: Frame, _ c: Ctx) -> UInt64 {
    instance(n.pointee.a).elementSegments[n.pointee.b.int] = nil
    return proceed(n, fp, c)
}
/// table.copy: record [instance, destination table, source table]; b, c, d = destination,
/// source, count, each as wide as its table's address type (the count 64-bit only if both
/// tables are).
func tableCopyNode(_ n: NodeP, _ fp: Frame, _ c: Ctx) -> UInt64 {
    let (inst, dt, st) = bulkRecord(n)
    let dstWide = inst.tables[dt].type.is64, srcWide = inst.tables[st].type.is64
    let dst = address(eval(n.pointee.b, fp, c), dstWide)
    let src = address(eval(n.pointee.c, fp, c), srcWide)
    let count = address(eval(n.pointee.d, fp, c), dstWide && srcWide)
    if trapped(c) { return 0 }
    let d = inst.tables[dt].state, s = inst.tables[st].state
    guard inBounds(dst, count, d.pointee.size), inBounds(src, count, s.pointee.size) else { return raise(.outOfBoundsTableAccess, c) }
    (d.pointee.elements + Int(dst)).update(from: s.pointee.elements + Int(src), count: Int(count))
    return proceed(n, fp, c)
}
/// table.fill: record [instance, table, 0]; b, c, d = index, value, count.
@inline(__always) func tableFill(_ n: NodeP, _ fp: Frame, _ c: Ctx, wide: Bool) -> UInt64 {
    let i = address(eval(n.pointee.b, fp, c), wide)
    let value = eval(n.pointee.c, fp, c)
    let count = address(eval(n.pointee.d, fp, c), wide)
    if trapped(c) { return 0 }
    let (inst, t, _) = bulkRecord(n)
    let s = inst.tables[t].state
    guard inBounds(i, count, s.pointee.size) else { return raise(.outOfBoundsTableAccess, c) }
    (s.pointee.elements + Int(i)).update(repeating: value, count: Int(count))
    return proceed(n, fp, c)
}
func tableFillNode(_ n: NodeP, _ fp: Frame, _ c: Ctx) -> UInt64 { tableFill(n, fp, c, wide: false) }
func tableFill64Node(_ n: NodeP, _ fp: Frame, _ c: Ctx) -> UInt64 { tableFill(n, fp, c, wide: true) }

/// table.get: a = table state, b = index expression.
@inline(__always) func tableGet(_ n: NodeP, _ fp: Frame, _ c: Ctx, wide: Bool) -> UInt64 {
    let i = address(eval(n.pointee.b, fp, c), wide)
    let s = UnsafeMutablePointer<TableState>(bitPattern: UInt(truncatingIfNeeded: n.pointee.a)).unsafelyUnwrapped
    guard i < s.pointee.size else { return raise(.outOfBoundsTableAccess, c) }
    return s.pointee.elements[Int(i)]
}
func tableGetNode(_ n: NodeP, _ fp: Frame, _ c: Ctx) -> UInt64 { tableGet(n, fp, c, wide: false) }
func tableGet64Node(_ n: NodeP, _ fp: Frame, _ c: Ctx) -> UInt64 { tableGet(n, fp, c, wide: true) }

/// table.set: a = table state, b = index, c = value (expressions).
@inline(__always) func tableSet(_ n: NodeP, _ fp: Frame, _ c: Ctx, wide: Bool) -> UInt64 {
    let i = address(eval(n.pointee.b, fp, c), wide)
    let v = eval(n.pointee.c, fp, c)
    if trapped(c) { return 0 }
    let s = UnsafeMutablePointer<TableState>(bitPattern: UInt(truncatingIfNeeded: n.pointee.a)).unsafelyUnwrapped
    guard i < s.pointee.size else { return raise(.outOfBoundsTableAccess, c) }
    s.pointee.elements[Int(i)] = v
    return proceed(n, fp, c)
}
func tableSetNode(_ n: NodeP, _ fp: Frame, _ c: Ctx) -> UInt64 { tableSet(n, fp, c, wide: false) }
func tableSet64Node(_ n: NodeP, _ fp: Frame, _ c: Ctx) -> UInt64 { tableSet(n, fp, c, wide: true) }

/// table.size: a = table state.
func tableSizeNode(_ n: NodeP, _ fp: Frame, _ c: Ctx) -> UInt64 {
    UnsafeMutablePointer<TableState>(bitPattern: UInt(truncatingIfNeeded: n.pointee.a)).unsafelyUnwrapped.pointee.size
}
/// table.grow: a = instance, b = table index, c = initial value, d = delta (expressions).
/// Grows only if nothing trapped, as memory.grow.
@inline(__always) func tableGrow(_ n: NodeP, _ fp: Frame, _ c: Ctx, wide: Bool) -> UInt64 {
    let value = eval(n.pointee.c, fp, c)
    let delta = address(eval(n.pointee.d, fp, c), wide)
    if trapped(c) { return 0 }
    let old = instance(n.pointee.a).tables[n.pointee.b.int].grow(by: delta, word: value)
    return old ?? (wide ? UInt64.max : 0xFFFF_FFFF)
}
func tableGrowNode(_ n: NodeP, _ fp: Frame, _ c: Ctx) -> UInt64 { tableGrow(n, fp, c, wide: false) }
func tableGrow64Node(_ n: NodeP, _ fp: Frame, _ c: Ctx) -> UInt64 { tableGrow(n, fp, c, wide: true) }
/// ref.is_null: a = expression.
func refIsNullNode(_ n: NodeP, _ fp: Frame, _ c: Ctx) -> UInt64 {
    eval(n.pointee.a, fp, c) == 0 ? 1 : 0
}

/// a = reference expression: 1 if it is not null (br_on_non_null's condition; a reference's
/// low 32 bits alone may be zero, so an i32 test of the word would not do).
func refIsNonNullNode(_ n: NodeP, _ fp: Frame, _ c: Ctx) -> UInt64 {
    eval(n.pointee.a, fp, c) != 0 ? 1 : 0
}

/// ref.as_non_null: a = reference expression; traps on null, else is the reference.
func refAsNonNullNode(_ n: NodeP, _ fp: Frame, _ c: Ctx) -> UInt64 {
    let w = eval(n.pointee.a, fp, c)
    if w == 0 && !trapped(c) { return raise(.nullReference, c) }
    return w
}

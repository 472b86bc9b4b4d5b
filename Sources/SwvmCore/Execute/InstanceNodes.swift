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

/// a = memory state.
func memorySizeNode(_ n: NodeP, _ fp: Frame, _ c: Ctx) -> UInt64 {
    memoryState(n.pointee.a).pointee.byteSize / UInt64(Memory.pageSize)
}
/// a = instance, b = memory index, c = delta expression. Grows only if nothing trapped: it is an
/// expression with an effect.
func memoryGrowNode(_ n: NodeP, _ fp: Frame, _ c: Ctx) -> UInt64 {
    let delta = i32(eval(n.pointee.c, fp, c))
    if trapped(c) { return 0 }
    let old = instance(n.pointee.a).memories[n.pointee.b.int].grow(by: delta)
    return old.map { UInt64($0) } ?? 0xFFFF_FFFF
}
/// memory.fill: a = memory state, b = destination, c = value, d = count (expressions).
func memoryFillNode(_ n: NodeP, _ fp: Frame, _ c: Ctx) -> UInt64 {
    let dst = i32(eval(n.pointee.b, fp, c))
    let value = UInt8(truncatingIfNeeded: eval(n.pointee.c, fp, c))
    let count = i32(eval(n.pointee.d, fp, c))
    if trapped(c) { return 0 }
    let m = memoryState(n.pointee.a)
    guard dst + count <= m.pointee.byteSize else { return raise(.outOfBoundsMemoryAccess, c) }
    (m.pointee.base + Int(dst)).initializeMemory(as: UInt8.self, repeating: value, count: Int(count))
    return proceed(n, fp, c)
}
/// memory.copy: a = memory state, b = destination, c = source, d = count (expressions).
func memoryCopyNode(_ n: NodeP, _ fp: Frame, _ c: Ctx) -> UInt64 {
    let dst = i32(eval(n.pointee.b, fp, c))
    let src = i32(eval(n.pointee.c, fp, c))
    let count = i32(eval(n.pointee.d, fp, c))
    if trapped(c) { return 0 }
    let m = memoryState(n.pointee.a)
    guard dst + count <= m.pointee.byteSize, src + count <= m.pointee.byteSize else { return raise(.outOfBoundsMemoryAccess, c) }
    // memmove semantics: overlapping ranges copy as if through a temporary buffer.
    (m.pointee.base + Int(dst)).copyMemory(from: m.pointee.base + Int(src), byteCount: Int(count))
    return proceed(n, fp, c)
}

/// The three operands of a bulk instruction that needs its instance: an arena record
/// [instance, immediate 1, immediate 2] at field a; the operands in b, c, d.
@inline(__always) func bulkRecord(_ n: NodeP) -> (Instance, Int, Int) {
    let p = UnsafePointer<UInt64>(bitPattern: UInt(truncatingIfNeeded: n.pointee.a)).unsafelyUnwrapped
    return (instance(p[0]), p[1].int, p[2].int)
}

/// memory.init: record [instance, segment, memory]; b, c, d = destination, source, count.
func memoryInitNode(_ n: NodeP, _ fp: Frame, _ c: Ctx) -> UInt64 {
    let dst = i32(eval(n.pointee.b, fp, c))
    let src = i32(eval(n.pointee.c, fp, c))
    let count = i32(eval(n.pointee.d, fp, c))
    if trapped(c) { return 0 }
    let (inst, segment, memory) = bulkRecord(n)
    do throws(Trap) { try inst.memoryInit(memory: memory, segment: segment, dst: dst, src: src, count: count) }
    catch { return raise(error, c) }
    return proceed(n, fp, c)
}
/// data.drop: a = instance, b = segment.
func dataDropNode(_ n: NodeP, _ fp: Frame, _ c: Ctx) -> UInt64 {
    instance(n.pointee.a).dataSegments[n.pointee.b.int] = 0..<0
    return proceed(n, fp, c)
}
/// table.init: record [instance, segment, table]; b, c, d = destination, source, count.
func tableInitNode(_ n: NodeP, _ fp: Frame, _ c: Ctx) -> UInt64 {
    let dst = i32(eval(n.pointee.b, fp, c))
    let src = i32(eval(n.pointee.c, fp, c))
    let count = i32(eval(n.pointee.d, fp, c))
    if trapped(c) { return 0 }
    let (inst, segment, table) = bulkRecord(n)
    do throws(Trap) { try inst.tableInit(table: table, segment: segment, dst: dst, src: src, count: count) }
    catch { return raise(error, c) }
    return proceed(n, fp, c)
}
/// elem.drop: a = instance, b = segment.
func elemDropNode(_ n: NodeP, _ fp: Frame, _ c: Ctx) -> UInt64 {
    instance(n.pointee.a).elementSegments[n.pointee.b.int] = nil
    return proceed(n, fp, c)
}
/// table.copy: record [instance, destination table, source table]; b, c, d = destination,
/// source, count.
func tableCopyNode(_ n: NodeP, _ fp: Frame, _ c: Ctx) -> UInt64 {
    let dst = i32(eval(n.pointee.b, fp, c))
    let src = i32(eval(n.pointee.c, fp, c))
    let count = i32(eval(n.pointee.d, fp, c))
    if trapped(c) { return 0 }
    let (inst, dt, st) = bulkRecord(n)
    let d = inst.tables[dt].state, s = inst.tables[st].state
    guard dst + count <= d.pointee.size, src + count <= s.pointee.size else { return raise(.outOfBoundsTableAccess, c) }
    (d.pointee.elements + Int(dst)).update(from: s.pointee.elements + Int(src), count: Int(count))
    return proceed(n, fp, c)
}
/// table.fill: record [instance, table, 0]; b, c, d = index, value, count.
func tableFillNode(_ n: NodeP, _ fp: Frame, _ c: Ctx) -> UInt64 {
    let i = i32(eval(n.pointee.b, fp, c))
    let value = eval(n.pointee.c, fp, c)
    let count = i32(eval(n.pointee.d, fp, c))
    if trapped(c) { return 0 }
    let (inst, t, _) = bulkRecord(n)
    let s = inst.tables[t].state
    guard i + count <= s.pointee.size else { return raise(.outOfBoundsTableAccess, c) }
    (s.pointee.elements + Int(i)).update(repeating: value, count: Int(count))
    return proceed(n, fp, c)
}
/// table.get: a = table state, b = index expression.
func tableGetNode(_ n: NodeP, _ fp: Frame, _ c: Ctx) -> UInt64 {
    let i = i32(eval(n.pointee.b, fp, c))
    let s = UnsafeMutablePointer<TableState>(bitPattern: UInt(truncatingIfNeeded: n.pointee.a)).unsafelyUnwrapped
    guard i < s.pointee.size else { return raise(.outOfBoundsTableAccess, c) }
    return s.pointee.elements[Int(i)]
}
/// table.set: a = table state, b = index, c = value (expressions).
func tableSetNode(_ n: NodeP, _ fp: Frame, _ c: Ctx) -> UInt64 {
    let i = i32(eval(n.pointee.b, fp, c))
    let v = eval(n.pointee.c, fp, c)
    if trapped(c) { return 0 }
    let s = UnsafeMutablePointer<TableState>(bitPattern: UInt(truncatingIfNeeded: n.pointee.a)).unsafelyUnwrapped
    guard i < s.pointee.size else { return raise(.outOfBoundsTableAccess, c) }
    s.pointee.elements[Int(i)] = v
    return proceed(n, fp, c)
}
/// table.size: a = table state.
func tableSizeNode(_ n: NodeP, _ fp: Frame, _ c: Ctx) -> UInt64 {
    UnsafeMutablePointer<TableState>(bitPattern: UInt(truncatingIfNeeded: n.pointee.a)).unsafelyUnwrapped.pointee.size
}
/// table.grow: a = instance, b = table index, c = initial value, d = delta (expressions).
/// Grows only if nothing trapped, as memory.grow.
func tableGrowNode(_ n: NodeP, _ fp: Frame, _ c: Ctx) -> UInt64 {
    let value = eval(n.pointee.c, fp, c)
    let delta = i32(eval(n.pointee.d, fp, c))
    if trapped(c) { return 0 }
    let old = instance(n.pointee.a).tables[n.pointee.b.int].grow(by: delta, word: value)
    return old ?? 0xFFFF_FFFF
}
/// ref.is_null: a = expression.
func refIsNullNode(_ n: NodeP, _ fp: Frame, _ c: Ctx) -> UInt64 {
    eval(n.pointee.a, fp, c) == 0 ? 1 : 0
}

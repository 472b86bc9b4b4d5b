import CSwvmSupport

// Control flow. A statement returns 0 to continue or k > 0 to leave k labels; a block turns
// k = 1 (a branch to itself) into normal completion, a loop turns it into another iteration.
// Statement lists are arena arrays of node words: field a points at them, field b counts them.

@inline(__always)
func runStatements(_ list: UInt64, _ count: UInt64, _ fp: Frame, _ c: Ctx) throws(Trap) -> Int {
    let p = UnsafePointer<UInt64>(bitPattern: UInt(truncatingIfNeeded: list)).unsafelyUnwrapped
    var i = 0
    let n = count.int
    while i < n {
        let code = try exec(p[i], fp, c)
        if code != 0 { return code }
        i &+= 1
    }
    return 0
}

func blockNode(_ n: NodeP, _ fp: Frame, _ c: Ctx) throws(Trap) -> Int {
    let code = try runStatements(n.pointee.a, n.pointee.b, fp, c)
    return code == 0 ? 0 : code &- 1
}

/// Blocks nested as the first statement of their parent, flattened: `block_m { ... block_2 {
/// block_1 { seg0 } seg1 } ... seg_{m-1} }`. Segment s runs inside block_{s+1}; finishing it
/// leaves block_{s+1} (next: segment s+1), a branch code k leaves block_{s+k} (next: segment
/// s+k). This is clang's switch shape (br_table into nested blocks): a branch to case k costs
/// one step here instead of k native returns through nested block nodes.
/// a = table of [list, count] pairs, b = m.
func blockChainNode(_ n: NodeP, _ fp: Frame, _ c: Ctx) throws(Trap) -> Int {
    let table = UnsafePointer<UInt64>(bitPattern: UInt(truncatingIfNeeded: n.pointee.a)).unsafelyUnwrapped
    let m = n.pointee.b.int
    var s = 0
    while s < m {
        let code = try runStatements(table[2 &* s], table[2 &* s &+ 1], fp, c)
        s &+= code == 0 ? 1 : code
    }
    return s &- m
}

/// The fuel cost a loop body or function body carries in front of its statement list.
@inline(__always) func listCost(_ list: UInt64) -> UInt64 {
    UnsafePointer<UInt64>(bitPattern: UInt(truncatingIfNeeded: list)).unsafelyUnwrapped[-1]
}

/// Each iteration is charged the body's cost: fuel, and the interrupt check, live here.
func loopNode(_ n: NodeP, _ fp: Frame, _ c: Ctx) throws(Trap) -> Int {
    let cost = listCost(n.pointee.a)
    while true {
        try charge(cost, c)
        let code = try runStatements(n.pointee.a, n.pointee.b, fp, c)
        if code != 1 { return code == 0 ? 0 : code &- 1 }
    }
}

/// if/else: c = condition expression; a, b = then list; d = the else list as a two-word arena
/// record [address, count].
func ifNode(_ n: NodeP, _ fp: Frame, _ c: Ctx) throws(Trap) -> Int {
    let code: Int
    if UInt32(truncatingIfNeeded: try eval(n.pointee.c, fp, c)) != 0 {
        code = try runStatements(n.pointee.a, n.pointee.b, fp, c)
    } else {
        let e = UnsafePointer<UInt64>(bitPattern: UInt(truncatingIfNeeded: n.pointee.d)).unsafelyUnwrapped
        code = try runStatements(e[0], e[1], fp, c)
    }
    return code == 0 ? 0 : code &- 1
}

/// An if with no else: c = condition; a, b = then list.
func ifThenNode(_ n: NodeP, _ fp: Frame, _ c: Ctx) throws(Trap) -> Int {
    if UInt32(truncatingIfNeeded: try eval(n.pointee.c, fp, c)) != 0 {
        let code = try runStatements(n.pointee.a, n.pointee.b, fp, c)
        return code == 0 ? 0 : code &- 1
    }
    return 0
}

/// br with its values already moved: returns the code in a.
func brNode(_ n: NodeP, _ fp: Frame, _ c: Ctx) throws(Trap) -> Int {
    n.pointee.a.int
}

/// br_if with no values to move: a = condition, b = code.
func brIfNode(_ n: NodeP, _ fp: Frame, _ c: Ctx) throws(Trap) -> Int {
    UInt32(truncatingIfNeeded: try eval(n.pointee.a, fp, c)) != 0 ? n.pointee.b.int : 0
}

/// Copies `count` slots from `src` to `dst` (the operands of a taken branch to their label).
@inline(__always) func moveSlots(_ fp: Frame, _ dst: Int, _ src: Int, _ count: Int) {
    if dst == src { return }
    var i = 0
    while i < count {
        fp[dst &+ i] = fp[src &+ i]
        i &+= 1
    }
}

/// br_if carrying values: a = condition, b = code, c = source slot, d = destination slot |
/// count << 32.
func brIfMoveNode(_ n: NodeP, _ fp: Frame, _ c: Ctx) throws(Trap) -> Int {
    if UInt32(truncatingIfNeeded: try eval(n.pointee.a, fp, c)) == 0 { return 0 }
    let d = n.pointee.d
    moveSlots(fp, Int(d & 0xFFFF_FFFF), n.pointee.c.int, Int(d >> 32))
    return n.pointee.b.int
}

/// br_table: a = index expression, b = table of [code, destination slot] pairs (default
/// last), c = number of non-default targets, d = source slot | count << 32.
func brTableNode(_ n: NodeP, _ fp: Frame, _ c: Ctx) throws(Trap) -> Int {
    let i = UInt64(UInt32(truncatingIfNeeded: try eval(n.pointee.a, fp, c)))
    let k = Int(Swift.min(i, n.pointee.c))
    let table = UnsafePointer<UInt64>(bitPattern: UInt(truncatingIfNeeded: n.pointee.b)).unsafelyUnwrapped
    let d = n.pointee.d
    let count = Int(d >> 32)
    if count > 0 { moveSlots(fp, table[2 &* k &+ 1].int, Int(d & 0xFFFF_FFFF), count) }
    return table[2 &* k].int
}

func unreachableNode(_ n: NodeP, _ fp: Frame, _ c: Ctx) throws(Trap) -> Int {
    throw .unreachable
}

/// A statement that only evaluates an expression (drop, or an expression with side effects
/// whose value is unused): a = expression.
func evalNode(_ n: NodeP, _ fp: Frame, _ c: Ctx) throws(Trap) -> Int {
    _ = try eval(n.pointee.a, fp, c)
    return 0
}

/// The entry of a compiled function. a, b = body statements; c = frame size | result count
/// << 32; d = parameter count | declared local count << 32. Results end in the slots right
/// after the locals; they are returned in a register (one result) or moved to the first
/// slots (several).
func functionEntryNode(_ n: NodeP, _ fp: Frame, _ c: Ctx) throws(Trap) -> UInt64 {
    try enterFrame(n, fp, c)
    let code = try runStatements(n.pointee.a, n.pointee.b, fp, c)
    _ = code
    return leaveFrame(n, fp, c)
}

/// As functionEntryNode, for a body that ends with its single result as an expression (the
/// usual shape): a, b = the statements before it; the expression is the word after them.
func functionEntryExprNode(_ n: NodeP, _ fp: Frame, _ c: Ctx) throws(Trap) -> UInt64 {
    try enterFrame(n, fp, c)
    let code = try runStatements(n.pointee.a, n.pointee.b, fp, c)
    if code != 0 { return leaveFrame(n, fp, c) }
    let p = UnsafePointer<UInt64>(bitPattern: UInt(truncatingIfNeeded: n.pointee.a)).unsafelyUnwrapped
    let v = try eval(p[n.pointee.b.int], fp, c)
    c.pointee.depth &-= 1
    return v
}

@inline(__always) func enterFrame(_ n: NodeP, _ fp: Frame, _ c: Ctx) throws(Trap) {
    let frameSize = Int(n.pointee.c & 0xFFFF_FFFF)
    if swvm_frame_address() < c.pointee.nativeLimit || fp + frameSize > c.pointee.stackEnd
        || c.pointee.depth >= c.pointee.maxDepth {
        throw .callStackExhausted
    }
    try charge(listCost(n.pointee.a), c)
    c.pointee.depth &+= 1
    let d = n.pointee.d
    let locals = Int(d >> 32)
    if locals > 0 { (fp + Int(d & 0xFFFF_FFFF)).update(repeating: 0, count: locals) }
}

@inline(__always) func leaveFrame(_ n: NodeP, _ fp: Frame, _ c: Ctx) -> UInt64 {
    c.pointee.depth &-= 1
    let results = Int(n.pointee.c >> 32)
    if results == 0 { return 0 }
    let d = n.pointee.d
    let base = Int(d & 0xFFFF_FFFF) &+ Int(d >> 32)
    if results > 1 { moveSlots(fp, 0, base, results) }
    return fp[base]
}

/// Re-checks the native stack inside deeply nested labels (see FunctionCompiler).
func stackCheckNode(_ n: NodeP, _ fp: Frame, _ c: Ctx) throws(Trap) -> Int {
    if swvm_frame_address() < c.pointee.nativeLimit { throw .callStackExhausted }
    return 0
}

/// br carrying one value: fp[a] = fp[b], then the code in c.
func brMoveSlotNode(_ n: NodeP, _ fp: Frame, _ c: Ctx) throws(Trap) -> Int {
    fp[n.pointee.a.int] = fp[n.pointee.b.int]
    return n.pointee.c.int
}
/// br carrying one constant: fp[a] = b, then the code in c.
func brMoveConstNode(_ n: NodeP, _ fp: Frame, _ c: Ctx) throws(Trap) -> Int {
    fp[n.pointee.a.int] = n.pointee.b
    return n.pointee.c.int
}
/// br carrying one computed value: fp[a] = eval(b), then the code in c.
func brMoveExprNode(_ n: NodeP, _ fp: Frame, _ c: Ctx) throws(Trap) -> Int {
    fp[n.pointee.a.int] = try eval(n.pointee.b, fp, c)
    return n.pointee.c.int
}

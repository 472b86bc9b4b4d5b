// The numeric semantics of Wasm that are more than one Swift operator: trapping integer
// division, float min/max/copysign with the spec's NaN and signed-zero rules, and trapping or
// saturating float-to-int truncation. Everything is inlined into the generated nodes.

import CSwvmSupport

@inline(__always) func divS(_ a: UInt32, _ b: UInt32) throws(Trap) -> UInt32 {
    if b == 0 { throw .integerDivideByZero }
    let x = Int32(bitPattern: a), y = Int32(bitPattern: b)
    if x == .min && y == -1 { throw .integerOverflow }
    return UInt32(bitPattern: x / y)
}
@inline(__always) func divS(_ a: UInt64, _ b: UInt64) throws(Trap) -> UInt64 {
    if b == 0 { throw .integerDivideByZero }
    let x = Int64(bitPattern: a), y = Int64(bitPattern: b)
    if x == .min && y == -1 { throw .integerOverflow }
    return UInt64(bitPattern: x / y)
}
@inline(__always) func divU<T: FixedWidthInteger & UnsignedInteger>(_ a: T, _ b: T) throws(Trap) -> T {
    if b == 0 { throw .integerDivideByZero }
    return a / b
}
@inline(__always) func remS(_ a: UInt32, _ b: UInt32) throws(Trap) -> UInt32 {
    if b == 0 { throw .integerDivideByZero }
    let y = Int32(bitPattern: b)
    if y == -1 { return 0 }
    return UInt32(bitPattern: Int32(bitPattern: a) % y)
}
@inline(__always) func remS(_ a: UInt64, _ b: UInt64) throws(Trap) -> UInt64 {
    if b == 0 { throw .integerDivideByZero }
    let y = Int64(bitPattern: b)
    if y == -1 { return 0 }
    return UInt64(bitPattern: Int64(bitPattern: a) % y)
}
@inline(__always) func remU<T: FixedWidthInteger & UnsignedInteger>(_ a: T, _ b: T) throws(Trap) -> T {
    if b == 0 { throw .integerDivideByZero }
    return a % b
}
@inline(__always) func shrS(_ a: UInt32, _ b: UInt32) -> UInt32 {
    UInt32(bitPattern: Int32(bitPattern: a) &>> Int32(bitPattern: b))
}
@inline(__always) func shrS(_ a: UInt64, _ b: UInt64) -> UInt64 {
    UInt64(bitPattern: Int64(bitPattern: a) &>> Int64(bitPattern: b))
}
@inline(__always) func rotl<T: FixedWidthInteger & UnsignedInteger>(_ a: T, _ b: T) -> T {
    (a &<< b) | (a &>> (T(T.bitWidth) &- b))
}
@inline(__always) func rotr<T: FixedWidthInteger & UnsignedInteger>(_ a: T, _ b: T) -> T {
    (a &>> b) | (a &<< (T(T.bitWidth) &- b))
}

// Float operations that must not touch NaN payloads work on the sign bit directly.
@inline(__always) func abs(_ a: Float) -> Float { Float(bitPattern: a.bitPattern & 0x7FFF_FFFF) }
@inline(__always) func abs(_ a: Double) -> Double { Double(bitPattern: a.bitPattern & 0x7FFF_FFFF_FFFF_FFFF) }
@inline(__always) func neg(_ a: Float) -> Float { Float(bitPattern: a.bitPattern ^ 0x8000_0000) }
@inline(__always) func neg(_ a: Double) -> Double { Double(bitPattern: a.bitPattern ^ 0x8000_0000_0000_0000) }
@inline(__always) func copysign(_ a: Float, _ b: Float) -> Float {
    Float(bitPattern: (a.bitPattern & 0x7FFF_FFFF) | (b.bitPattern & 0x8000_0000))
}
@inline(__always) func copysign(_ a: Double, _ b: Double) -> Double {
    Double(bitPattern: (a.bitPattern & 0x7FFF_FFFF_FFFF_FFFF) | (b.bitPattern & 0x8000_0000_0000_0000))
}

/// Square root in one instruction, without libm's errno path (swvm_support.h).
@inline(__always) func wasmSqrt(_ a: Double) -> Double { swvm_sqrt(a) }
@inline(__always) func wasmSqrt(_ a: Float) -> Float { swvm_sqrtf(a) }

/// min: NaN if either operand is NaN; -0 is less than +0.
@inline(__always) func wasmMin<F: BinaryFloatingPoint>(_ a: F, _ b: F) -> F {
    if a.isNaN || b.isNaN { return a + b }
    if a == b { return a.sign == .minus ? a : b }
    return a < b ? a : b
}
/// max: NaN if either operand is NaN; +0 is greater than -0.
@inline(__always) func wasmMax<F: BinaryFloatingPoint>(_ a: F, _ b: F) -> F {
    if a.isNaN || b.isNaN { return a + b }
    if a == b { return a.sign == .plus ? a : b }
    return a > b ? a : b
}

/// 2^exponent, exactly representable in every float type used here.
@inline(__always) func power2<F: BinaryFloatingPoint>(_ exponent: Int, _: F.Type) -> F {
    F(sign: .plus, exponent: F.Exponent(exponent), significand: 1)
}

@inline(__always) func truncS<F: BinaryFloatingPoint, I: FixedWidthInteger & SignedInteger>(_ x: F, to: I.Type) throws(Trap) -> I.Magnitude {
    if x.isNaN { throw .invalidConversionToInteger }
    let t = x.rounded(.towardZero)
    let limit = power2(I.bitWidth - 1, F.self)
    guard t >= -limit && t < limit else { throw .integerOverflow }
    return I.Magnitude(truncatingIfNeeded: I(t))
}
@inline(__always) func truncU<F: BinaryFloatingPoint, U: FixedWidthInteger & UnsignedInteger>(_ x: F, to: U.Type) throws(Trap) -> U {
    if x.isNaN { throw .invalidConversionToInteger }
    let t = x.rounded(.towardZero)
    guard t >= 0 && t < power2(U.bitWidth, F.self) else { throw .integerOverflow }
    return U(t)
}
@inline(__always) func truncSatS<F: BinaryFloatingPoint, I: FixedWidthInteger & SignedInteger>(_ x: F, to: I.Type) -> I.Magnitude {
    if x.isNaN { return 0 }
    let t = x.rounded(.towardZero)
    let limit = power2(I.bitWidth - 1, F.self)
    if t < -limit { return I.Magnitude(truncatingIfNeeded: I.min) }
    if t >= limit { return I.Magnitude(truncatingIfNeeded: I.max) }
    return I.Magnitude(truncatingIfNeeded: I(t))
}
@inline(__always) func truncSatU<F: BinaryFloatingPoint, U: FixedWidthInteger & UnsignedInteger>(_ x: F, to: U.Type) -> U {
    if x.isNaN || x <= -1 { return 0 }
    let t = x.rounded(.towardZero)
    if t >= power2(U.bitWidth, F.self) { return U.max }
    if t < 0 { return 0 }
    return U(t)
}

/// The host address of a `size`-byte access at `address` + the node's static offset (field d)
/// in the memory whose state is field c; nil when any byte is out of bounds.
@inline(__always) func effectiveAddress(_ address: UInt64, _ n: NodeP, _ size: UInt64) -> UnsafeMutableRawPointer? {
    let mem = UnsafeMutablePointer<MemoryState>(bitPattern: UInt(truncatingIfNeeded: n.pointee.c)).unsafelyUnwrapped
    let ea = UInt64(UInt32(truncatingIfNeeded: address)) &+ n.pointee.d
    guard ea < mem.pointee.end(forSize: size) else { return nil }
    return mem.pointee.base + Int(truncatingIfNeeded: ea)
}

/// The address of an access of `size` bytes in a 64-bit memory: address and offset are both
/// 64-bit, so their sum may wrap, which is out of bounds (not a wrap to a low address).
@inline(__always) func effectiveAddress64(_ address: UInt64, _ n: NodeP, _ size: UInt64) -> UnsafeMutableRawPointer? {
    let mem = UnsafeMutablePointer<MemoryState>(bitPattern: UInt(truncatingIfNeeded: n.pointee.c)).unsafelyUnwrapped
    let (ea, overflow) = address.addingReportingOverflow(n.pointee.d)
    guard !overflow, inBounds(ea, size, mem.pointee.byteSize) else { return nil }
    return mem.pointee.base + Int(truncatingIfNeeded: ea)
}

/// As `effectiveAddress`, for an address `slot + constant` (kind p): the constant is the high
/// half of field d, the static offset its low half.
@inline(__always) func effectiveAddressPlus(_ address: UInt64, _ n: NodeP, _ size: UInt64) -> UnsafeMutableRawPointer? {
    let mem = UnsafeMutablePointer<MemoryState>(bitPattern: UInt(truncatingIfNeeded: n.pointee.c)).unsafelyUnwrapped
    let ea = address &+ (n.pointee.d & 0xFFFF_FFFF)
    guard ea < mem.pointee.end(forSize: size) else { return nil }
    return mem.pointee.base + Int(truncatingIfNeeded: ea)
}

/// Function-pointer sets of one operator's specialisations (see scripts/gen-nodes.py).
struct BinaryNodes {
    var ss, sc, se, es, ec, ee: NodeFn
    var commutative: Bool
    /// A constant left operand and a slot, for operators that cannot swap their operands.
    var cs: NodeFn? = nil
}
struct UnaryNodes {
    var s, e: NodeFn
}
/// Loads by address kind: a slot, an expression, or a slot plus a constant (p); w is a 64-bit
/// memory's address (an expression).
struct LoadNodes {
    var s, e, p, w, x, y, k: NodeFn
}
struct StoreNodes {
    var ss, sc, se, es, ec, ee, ps, pc, pe, ws, wc, we, xs, xc, xe, ys, yc, ye, ks, kc, ke: NodeFn
}
/// The statements a fused condition (a compare of slot/constant operands) can end: a branch,
/// a branch back to a loop that charges the loop's cost, and `if (cond) return x` with x a
/// slot or a constant.
struct BranchNodes {
    var brIf, brIfLoop, returnIfSlot, returnIfConst: NodeFn
    /// The if form: taken (to c) when the condition does not hold, so that the then-arm is
    /// the statement laid out next.
    var brUnless: NodeFn
    /// For an integer compare whose left operand is a slot: the back edge that first adds to
    /// that slot (see `CounterNodes`).
    var counter: CounterNodes?
}
/// `x += k; br_if loop (x cmp y)` as one node: `add` takes k from the wide field e, `inc` is
/// k = 1, `addSlot` adds the slot named by e (a stride in a local). `width32` tells which add
/// (i32 or i64) the compare's type pairs with. `incSelf` and `addSelf` close a loop that is
/// nothing but this node: they iterate inside it. `storeSelf` (i32 counters) closes a loop
/// that is one store and this node (`StoreLoop`); `limitIsSlot` tells whether the compare's
/// second operand (field b) is a slot or a constant.
struct CounterNodes {
    var add, inc, addSlot, incSelf, addSelf: NodeFn
    var storeSelf: NodeFn?
    var limitIsSlot: Bool
    var width32: Bool
    init(add: NodeFn, inc: NodeFn, addSlot: NodeFn, incSelf: NodeFn, addSelf: NodeFn, storeSelf: NodeFn?,
         limitIsSlot: Bool, width32: Bool) {
        self.add = add; self.inc = inc; self.addSlot = addSlot
        self.incSelf = incSelf; self.addSelf = addSelf; self.storeSelf = storeSelf
        self.limitIsSlot = limitIsSlot; self.width32 = width32
    }
    init(add: NodeFn, inc: NodeFn, addSlot: NodeFn, incSelf: NodeFn, addSelf: NodeFn, storeSelf: NodeFn?,
         limitIsSlot: Bool, width64: Bool) {
        self.init(add: add, inc: inc, addSlot: addSlot, incSelf: incSelf, addSelf: addSelf, storeSelf: storeSelf,
                  limitIsSlot: limitIsSlot, width32: !width64)
    }
}

/// The statement form of an expression node that stores its value in a frame slot: the
/// compiler turns `local.set (op ...)` into one node instead of a set node calling the op.
struct SetVariant {
    /// b, c or d; `bHigh`, the high half of b, for a call node, whose b (the callee frame's
    /// base slot) and other fields are all taken.
    enum Field { case b, c, d, bHigh }
    var fn: NodeFn
    /// The field of the op's node that is free to hold the destination slot.
    var slotField: Field
    /// What evaluating the node itself (not its children) may do besides computing a value.
    var effect: Effect
    /// For an operation with one expression operand, its form reading that operand from a slot.
    var slotForm: SlotForm? = nil
}

/// The form of an operation with one expression operand that reads the operand from a slot
/// instead: binary es → ss, ec → sc, se → ss; unary e → s; a 32-bit memory's load e → s. The
/// translator evaluates the operand into the statement's own slot first
/// (`FunctionTranslator.operandFirst`). `operandInB`: the operand is field b (else a);
/// `otherIsSlot`: the other field is a slot, which the operand's statement must not overwrite.
struct SlotForm {
    var fn: NodeFn
    var operandInB: Bool
    var otherIsSlot: Bool
}

/// What an expression may do besides computing its value, for moving its evaluation ahead of
/// pending expressions below it (`FunctionTranslator.evaluatesEarly`). Ordered: a tree's effect
/// is the greatest of its nodes'.
enum Effect: Int, Comparable {
    /// Reads slots and constants only; cannot trap.
    case pure
    /// Also reads memory or globals; the only trap is an out-of-bounds memory access (a load).
    /// Two such expressions give the same result and the same trap in either order.
    case read
    /// Anything else: other traps, calls, writes.
    case other

    static func < (a: Effect, b: Effect) -> Bool { a.rawValue < b.rawValue }

    /// Whether evaluating one before the other is unobservable.
    func commutes(with o: Effect) -> Bool { self == .pure || o == .pure || (self == .read && o == .read) }
}

/// Lookup tables keyed by node function address, built once (a global's lazy initialisation
/// is thread-safe). Concrete rather than generic: an unspecialised generic build of a few
/// thousand entries is slow in unoptimised builds.
func setVariantTable(_ pairs: [(NodeFn, SetVariant)]) -> [UInt: SetVariant] {
    var table: [UInt: SetVariant] = [:]
    table.reserveCapacity(pairs.count)
    for i in pairs.indices { table[UInt(bitPattern: fnWord(pairs[i].0))] = pairs[i].1 }
    return table
}
func branchVariantTable(_ pairs: [(NodeFn, BranchNodes)]) -> [UInt: BranchNodes] {
    var table: [UInt: BranchNodes] = [:]
    table.reserveCapacity(pairs.count)
    for i in pairs.indices { table[UInt(bitPattern: fnWord(pairs[i].0))] = pairs[i].1 }
    return table
}

/// Every set variant, keyed by the expression function it replaces.
let setVariants = setVariantTable(numericSetVariants + loadSetVariants + callSetVariants + loadOperandSetVariants)

/// Statements that evaluate an expression and discard its value, keyed by the expression's
/// function: a call with no result or a dropped one runs as one statement, not as an
/// `evalNode` calling the call node (19 instructions, with registers saved).
let discardVariants: [UInt: NodeFn] = {
    var table: [UInt: NodeFn] = [:]
    for (e, s) in callDiscardVariants + computedCallDiscardVariants { table[UInt(bitPattern: fnWord(e))] = s }
    return table
}()

/// The fused branch statements of each compare, keyed by the compare's expression function.
let branchVariants = branchVariantTable(branchVariantList)

/// The fused pairs (`f64MulAdd_l`, `i32RotlXor_cl`, ...; scripts/gen-nodes.py, `pairs`), keyed
/// by the outer operator's `ss` function and the inner operation's function (`ss` or `sc`).
struct ChainKey: Hashable {
    var outer: UInt
    var inner: UInt
    init(outer: UnsafeRawPointer, inner: UnsafeRawPointer) {
        self.outer = UInt(bitPattern: outer)
        self.inner = UInt(bitPattern: inner)
    }
}
let chainNodes: [ChainKey: (left: NodeFn, right: NodeFn)] = {
    var table: [ChainKey: (left: NodeFn, right: NodeFn)] = [:]
    for e in chainNodeList { table[ChainKey(outer: fnWord(e.outer), inner: fnWord(e.inner))] = (e.left, e.right) }
    return table
}()

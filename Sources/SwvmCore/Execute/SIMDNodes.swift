// Fixed-width SIMD (Wasm 2.0's v128 instructions, and relaxed SIMD with one fixed choice each).
//
// A v128 lives in two consecutive frame slots, low half first, and never in the return
// register (docs/engine.md, "v128 values"). So every operation that produces a v128 is a
// *statement*: it reads its v128 operands from their slot pairs, evaluates its scalar
// operands (child expressions), writes the result to its destination pair and tail-calls
// `next`. Operations that produce a scalar from v128 operands (extract_lane, any_true,
// all_true, bitmask) are ordinary expressions.
//
// The lanes are Swift SIMD types, so an optimised build computes them with SSE instructions
// (docs/engine.md lists what the hot ones compile to). Frames are 8-byte aligned, so pairs are
// read and written unaligned (movdqu).

typealias I8x16 = SIMD16<Int8>
typealias U8x16 = SIMD16<UInt8>
typealias I16x8 = SIMD8<Int16>
typealias U16x8 = SIMD8<UInt16>
typealias I32x4 = SIMD4<Int32>
typealias U32x4 = SIMD4<UInt32>
typealias I64x2 = SIMD2<Int64>
typealias U64x2 = SIMD2<UInt64>
typealias F32x4 = SIMD4<Float>
typealias F64x2 = SIMD2<Double>

/// The v128 in the slot pair starting at `slot`, viewed as lanes of `T`.
@inline(__always) func vload<T: SIMD>(_ fp: Frame, _ slot: UInt64, _: T.Type = T.self) -> T {
    UnsafeRawPointer(fp + slot.int).loadUnaligned(as: T.self)
}
@inline(__always) func vstore<T: SIMD>(_ fp: Frame, _ slot: UInt64, _ v: T) {
    UnsafeMutableRawPointer(fp + slot.int).storeBytes(of: v, as: T.self)
}
/// The same 128 bits as other lanes.
@inline(__always) func lanes<T: SIMD, R: SIMD>(_ v: T, _: R.Type = R.self) -> R { unsafeBitCast(v, to: R.self) }

/// A lane mask as all-ones / all-zeros lanes, the form Wasm comparisons produce.
/// (A mask's storage is exactly that: lanes of -1 or 0.)
@inline(__always) func ones<M>(_ m: SIMDMask<M>) -> M { unsafeBitCast(m, to: M.self) }

// MARK: - Statement shapes

/// v → v: a = operand, b = destination.
@inline(__always) func unaryV<A: SIMD, R: SIMD>(_ n: NodeP, _ fp: Frame, _ c: Ctx, _ f: (A) -> R) -> UInt64 {
    vstore(fp, n.pointee.b, f(vload(fp, n.pointee.a)))
    return proceed(n, fp, c)
}
/// v, v → v: a, b = operands, c = destination.
@inline(__always) func binaryV<A: SIMD, R: SIMD>(_ n: NodeP, _ fp: Frame, _ c: Ctx, _ f: (A, A) -> R) -> UInt64 {
    let x: A = vload(fp, n.pointee.a), y: A = vload(fp, n.pointee.b)
    vstore(fp, n.pointee.c, f(x, y))
    return proceed(n, fp, c)
}
/// v, v, v → v: a, b, c = operands, d = destination.
@inline(__always) func ternaryV<A: SIMD, R: SIMD>(_ n: NodeP, _ fp: Frame, _ c: Ctx, _ f: (A, A, A) -> R) -> UInt64 {
    let x: A = vload(fp, n.pointee.a), y: A = vload(fp, n.pointee.b), z: A = vload(fp, n.pointee.c)
    vstore(fp, n.pointee.d, f(x, y, z))
    return proceed(n, fp, c)
}
/// scalar → v (splat): a = operand expression, b = destination.
@inline(__always) func fromScalarV<R: SIMD>(_ n: NodeP, _ fp: Frame, _ c: Ctx, _ f: (UInt64) -> R) -> UInt64 {
    let x = eval(n.pointee.a, fp, c)
    if trapped(c) { return 0 }
    vstore(fp, n.pointee.b, f(x))
    return proceed(n, fp, c)
}
/// v, scalar → v (replace_lane, shifts): a = v128 operand, b = scalar expression,
/// c = destination, d = lane.
@inline(__always) func withScalarV<A: SIMD, R: SIMD>(_ n: NodeP, _ fp: Frame, _ c: Ctx, _ f: (A, UInt64, Int) -> R) -> UInt64 {
    let s = eval(n.pointee.b, fp, c)
    if trapped(c) { return 0 }
    vstore(fp, n.pointee.c, f(vload(fp, n.pointee.a), s, n.pointee.d.int))
    return proceed(n, fp, c)
}
/// v → scalar, an expression: a = operand, b = lane.
@inline(__always) func toScalar<A: SIMD>(_ n: NodeP, _ fp: Frame, _ f: (A, Int) -> UInt64) -> UInt64 {
    f(vload(fp, n.pointee.a), n.pointee.b.int)
}

/// Applies `f` to each lane (operations with no vector instruction, or with Wasm-specific
/// NaN and range rules).
@inline(__always) func map<A: SIMD, R: SIMD>(_ x: A, _ f: (A.Scalar) -> R.Scalar) -> R where A.Scalar: SIMDScalar, R.Scalar: SIMDScalar {
    var r = R()
    for i in 0..<Swift.min(x.scalarCount, r.scalarCount) { r[i] = f(x[i]) }
    return r
}
@inline(__always) func map2<A: SIMD>(_ x: A, _ y: A, _ f: (A.Scalar, A.Scalar) -> A.Scalar) -> A {
    var r = A()
    for i in 0..<x.scalarCount { r[i] = f(x[i], y[i]) }
    return r
}

// MARK: - Lane helpers

// Lanes of a wider integer vector, saturated to a narrower lane type: a max and a min, then a
// truncation, which the optimiser turns into vector instructions (the standard library's
// `init(clamping:)` stays a generic, lane-by-lane call). The wider lanes are signed, so the
// narrow type's minimum (negative, or 0 for unsigned lanes) converts exactly.
extension SIMD16 where Scalar: FixedWidthInteger {
    @inline(__always) init<W: FixedWidthInteger & SIMDScalar>(clamp x: SIMD16<W>) {
        let lo = SIMD16<W>(repeating: W(truncatingIfNeeded: Scalar.min)), hi = SIMD16<W>(repeating: W(truncatingIfNeeded: Scalar.max))
        self.init(truncatingIfNeeded: pointwiseMin(pointwiseMax(x, lo), hi))
    }
}
extension SIMD8 where Scalar: FixedWidthInteger {
    @inline(__always) init<W: FixedWidthInteger & SIMDScalar>(clamp x: SIMD8<W>) {
        let lo = SIMD8<W>(repeating: W(truncatingIfNeeded: Scalar.min)), hi = SIMD8<W>(repeating: W(truncatingIfNeeded: Scalar.max))
        self.init(truncatingIfNeeded: pointwiseMin(pointwiseMax(x, lo), hi))
    }
}
extension SIMD4 where Scalar: FixedWidthInteger {
    @inline(__always) init<W: FixedWidthInteger & SIMDScalar>(clamp x: SIMD4<W>) {
        let lo = SIMD4<W>(repeating: W(truncatingIfNeeded: Scalar.min)), hi = SIMD4<W>(repeating: W(truncatingIfNeeded: Scalar.max))
        self.init(truncatingIfNeeded: pointwiseMin(pointwiseMax(x, lo), hi))
    }
}

@inline(__always) func popcount(_ x: U8x16) -> U8x16 {
    var v = x &- ((x &>> 1) & 0x55)
    v = (v & 0x33) &+ ((v &>> 2) & 0x33)
    return (v &+ (v &>> 4)) & 0x0F
}

@inline(__always) func bitmask<T: SIMD>(_ x: T) -> UInt64 where T.Scalar: FixedWidthInteger & SignedInteger {
    var m: UInt64 = 0
    for i in 0..<x.scalarCount where x[i] < 0 { m |= 1 << UInt64(i) }
    return m
}

/// Wasm's f32x4/f64x2 min and max: NaN if either lane is NaN, -0 below +0.
@inline(__always) func vmin<T: SIMD>(_ x: T, _ y: T) -> T where T.Scalar: BinaryFloatingPoint { map2(x, y, wasmMin) }
@inline(__always) func vmax<T: SIMD>(_ x: T, _ y: T) -> T where T.Scalar: BinaryFloatingPoint { map2(x, y, wasmMax) }

@inline(__always) func q15mulr(_ x: I16x8, _ y: I16x8) -> I16x8 {
    let p = (SIMD8<Int32>(truncatingIfNeeded: x) &* SIMD8<Int32>(truncatingIfNeeded: y) &+ 0x4000) &>> 15
    return I16x8(clamp: p)
}

/// relaxed i16x8.dot_i8x16_i7x16_s: both operands taken as signed (this engine's choice).
@inline(__always) func dotI8(_ x: I8x16, _ y: I8x16) -> I16x8 {
    let p = SIMD16<Int16>(truncatingIfNeeded: x) &* SIMD16<Int16>(truncatingIfNeeded: y)
    return p.evenHalf &+ p.oddHalf
}

@inline(__always) func truncSat4S(_ x: F32x4) -> I32x4 { map(x) { Int32(bitPattern: truncSatS($0, to: Int32.self)) } }
@inline(__always) func truncSat4U(_ x: F32x4) -> U32x4 { map(x) { truncSatU($0, to: UInt32.self) } }
@inline(__always) func truncSat2S(_ x: F64x2) -> I32x4 {
    I32x4(Int32(bitPattern: truncSatS(x[0], to: Int32.self)), Int32(bitPattern: truncSatS(x[1], to: Int32.self)), 0, 0)
}
@inline(__always) func truncSat2U(_ x: F64x2) -> U32x4 {
    U32x4(truncSatU(x[0], to: UInt32.self), truncSatU(x[1], to: UInt32.self), 0, 0)
}

/// Fused multiply-add per lane: relaxed madd's fixed choice (one rounding).
@inline(__always) func fma<T: SIMD>(_ a: T, _ b: T, _ c: T) -> T where T.Scalar: FloatingPoint {
    var r = T()
    for i in 0..<a.scalarCount { r[i] = c[i].addingProduct(a[i], b[i]) }
    return r
}

// MARK: - Operation tables

/// v → v operations.
func simdUnaryNode(_ op: Opcode) -> NodeFn? {
    switch op {
    case .v128Not: return { n, fp, c in unaryV(n, fp, c) { (x: U64x2) in ~x } }
    case .i8x16Abs: return { n, fp, c in unaryV(n, fp, c) { (x: I8x16) in x.replacing(with: 0 &- x, where: x .< 0) } }
    case .i16x8Abs: return { n, fp, c in unaryV(n, fp, c) { (x: I16x8) in x.replacing(with: 0 &- x, where: x .< 0) } }
    case .i32x4Abs: return { n, fp, c in unaryV(n, fp, c) { (x: I32x4) in x.replacing(with: 0 &- x, where: x .< 0) } }
    case .i64x2Abs: return { n, fp, c in unaryV(n, fp, c) { (x: I64x2) in x.replacing(with: 0 &- x, where: x .< 0) } }
    case .i8x16Neg: return { n, fp, c in unaryV(n, fp, c) { (x: U8x16) in 0 &- x } }
    case .i16x8Neg: return { n, fp, c in unaryV(n, fp, c) { (x: U16x8) in 0 &- x } }
    case .i32x4Neg: return { n, fp, c in unaryV(n, fp, c) { (x: U32x4) in 0 &- x } }
    case .i64x2Neg: return { n, fp, c in unaryV(n, fp, c) { (x: U64x2) in 0 &- x } }
    case .i8x16Popcnt: return { n, fp, c in unaryV(n, fp, c) { (x: U8x16) in popcount(x) } }
    // Float abs and neg work on the sign bits only: NaN payloads pass unchanged.
    case .f32x4Abs: return { n, fp, c in unaryV(n, fp, c) { (x: U32x4) in x & 0x7FFF_FFFF } }
    case .f64x2Abs: return { n, fp, c in unaryV(n, fp, c) { (x: U64x2) in x & 0x7FFF_FFFF_FFFF_FFFF } }
    case .f32x4Neg: return { n, fp, c in unaryV(n, fp, c) { (x: U32x4) in x ^ 0x8000_0000 } }
    case .f64x2Neg: return { n, fp, c in unaryV(n, fp, c) { (x: U64x2) in x ^ 0x8000_0000_0000_0000 } }
    case .f32x4Sqrt: return { n, fp, c in unaryV(n, fp, c) { (x: F32x4) in x.squareRoot() } }
    case .f64x2Sqrt: return { n, fp, c in unaryV(n, fp, c) { (x: F64x2) in x.squareRoot() } }
    case .f32x4Ceil: return { n, fp, c in unaryV(n, fp, c) { (x: F32x4) in x.rounded(.up) } }
    case .f32x4Floor: return { n, fp, c in unaryV(n, fp, c) { (x: F32x4) in x.rounded(.down) } }
    case .f32x4Trunc: return { n, fp, c in unaryV(n, fp, c) { (x: F32x4) in x.rounded(.towardZero) } }
    case .f32x4Nearest: return { n, fp, c in unaryV(n, fp, c) { (x: F32x4) in x.rounded(.toNearestOrEven) } }
    case .f64x2Ceil: return { n, fp, c in unaryV(n, fp, c) { (x: F64x2) in x.rounded(.up) } }
    case .f64x2Floor: return { n, fp, c in unaryV(n, fp, c) { (x: F64x2) in x.rounded(.down) } }
    case .f64x2Trunc: return { n, fp, c in unaryV(n, fp, c) { (x: F64x2) in x.rounded(.towardZero) } }
    case .f64x2Nearest: return { n, fp, c in unaryV(n, fp, c) { (x: F64x2) in x.rounded(.toNearestOrEven) } }
    case .i16x8ExtaddPairwiseI8x16S:
        return { n, fp, c in unaryV(n, fp, c) { (x: I8x16) in I16x8(truncatingIfNeeded: x.evenHalf) &+ I16x8(truncatingIfNeeded: x.oddHalf) } }
    case .i16x8ExtaddPairwiseI8x16U:
        return { n, fp, c in unaryV(n, fp, c) { (x: U8x16) in U16x8(truncatingIfNeeded: x.evenHalf) &+ U16x8(truncatingIfNeeded: x.oddHalf) } }
    case .i32x4ExtaddPairwiseI16x8S:
        return { n, fp, c in unaryV(n, fp, c) { (x: I16x8) in I32x4(truncatingIfNeeded: x.evenHalf) &+ I32x4(truncatingIfNeeded: x.oddHalf) } }
    case .i32x4ExtaddPairwiseI16x8U:
        return { n, fp, c in unaryV(n, fp, c) { (x: U16x8) in U32x4(truncatingIfNeeded: x.evenHalf) &+ U32x4(truncatingIfNeeded: x.oddHalf) } }
    case .i16x8ExtendLowI8x16S: return { n, fp, c in unaryV(n, fp, c) { (x: I8x16) in I16x8(truncatingIfNeeded: x.lowHalf) } }
    case .i16x8ExtendHighI8x16S: return { n, fp, c in unaryV(n, fp, c) { (x: I8x16) in I16x8(truncatingIfNeeded: x.highHalf) } }
    case .i16x8ExtendLowI8x16U: return { n, fp, c in unaryV(n, fp, c) { (x: U8x16) in U16x8(truncatingIfNeeded: x.lowHalf) } }
    case .i16x8ExtendHighI8x16U: return { n, fp, c in unaryV(n, fp, c) { (x: U8x16) in U16x8(truncatingIfNeeded: x.highHalf) } }
    case .i32x4ExtendLowI16x8S: return { n, fp, c in unaryV(n, fp, c) { (x: I16x8) in I32x4(truncatingIfNeeded: x.lowHalf) } }
    case .i32x4ExtendHighI16x8S: return { n, fp, c in unaryV(n, fp, c) { (x: I16x8) in I32x4(truncatingIfNeeded: x.highHalf) } }
    case .i32x4ExtendLowI16x8U: return { n, fp, c in unaryV(n, fp, c) { (x: U16x8) in U32x4(truncatingIfNeeded: x.lowHalf) } }
    case .i32x4ExtendHighI16x8U: return { n, fp, c in unaryV(n, fp, c) { (x: U16x8) in U32x4(truncatingIfNeeded: x.highHalf) } }
    case .i64x2ExtendLowI32x4S: return { n, fp, c in unaryV(n, fp, c) { (x: I32x4) in I64x2(truncatingIfNeeded: x.lowHalf) } }
    case .i64x2ExtendHighI32x4S: return { n, fp, c in unaryV(n, fp, c) { (x: I32x4) in I64x2(truncatingIfNeeded: x.highHalf) } }
    case .i64x2ExtendLowI32x4U: return { n, fp, c in unaryV(n, fp, c) { (x: U32x4) in U64x2(truncatingIfNeeded: x.lowHalf) } }
    case .i64x2ExtendHighI32x4U: return { n, fp, c in unaryV(n, fp, c) { (x: U32x4) in U64x2(truncatingIfNeeded: x.highHalf) } }
    case .i32x4TruncSatF32x4S, .i32x4RelaxedTruncF32x4S: return { n, fp, c in unaryV(n, fp, c) { (x: F32x4) in truncSat4S(x) } }
    case .i32x4TruncSatF32x4U, .i32x4RelaxedTruncF32x4U: return { n, fp, c in unaryV(n, fp, c) { (x: F32x4) in truncSat4U(x) } }
    case .i32x4TruncSatF64x2SZero, .i32x4RelaxedTruncF64x2SZero: return { n, fp, c in unaryV(n, fp, c) { (x: F64x2) in truncSat2S(x) } }
    case .i32x4TruncSatF64x2UZero, .i32x4RelaxedTruncF64x2UZero: return { n, fp, c in unaryV(n, fp, c) { (x: F64x2) in truncSat2U(x) } }
    case .f32x4ConvertI32x4S: return { n, fp, c in unaryV(n, fp, c) { (x: I32x4) -> F32x4 in map(x) { Float($0) } } }
    case .f32x4ConvertI32x4U: return { n, fp, c in unaryV(n, fp, c) { (x: U32x4) -> F32x4 in map(x) { Float($0) } } }
    case .f64x2ConvertLowI32x4S: return { n, fp, c in unaryV(n, fp, c) { (x: I32x4) in F64x2(Double(x[0]), Double(x[1])) } }
    case .f64x2ConvertLowI32x4U: return { n, fp, c in unaryV(n, fp, c) { (x: U32x4) in F64x2(Double(x[0]), Double(x[1])) } }
    case .f32x4DemoteF64x2Zero: return { n, fp, c in unaryV(n, fp, c) { (x: F64x2) in F32x4(Float(x[0]), Float(x[1]), 0, 0) } }
    case .f64x2PromoteLowF32x4: return { n, fp, c in unaryV(n, fp, c) { (x: F32x4) in F64x2(Double(x[0]), Double(x[1])) } }
    default: return nil
    }
}

/// v, v → v operations.
func simdBinaryNode(_ op: Opcode) -> NodeFn? {
    switch op {
    case .i8x16Swizzle, .i8x16RelaxedSwizzle: return swizzleNode
    case .v128And: return { n, fp, c in binaryV(n, fp, c) { (x: U64x2, y) in x & y } }
    case .v128Andnot: return { n, fp, c in binaryV(n, fp, c) { (x: U64x2, y) in x & ~y } }
    case .v128Or: return { n, fp, c in binaryV(n, fp, c) { (x: U64x2, y) in x | y } }
    case .v128Xor: return { n, fp, c in binaryV(n, fp, c) { (x: U64x2, y) in x ^ y } }

    case .i8x16Add: return { n, fp, c in binaryV(n, fp, c) { (x: U8x16, y) in x &+ y } }
    case .i16x8Add: return { n, fp, c in binaryV(n, fp, c) { (x: U16x8, y) in x &+ y } }
    case .i32x4Add: return { n, fp, c in binaryV(n, fp, c) { (x: U32x4, y) in x &+ y } }
    case .i64x2Add: return { n, fp, c in binaryV(n, fp, c) { (x: U64x2, y) in x &+ y } }
    case .i8x16Sub: return { n, fp, c in binaryV(n, fp, c) { (x: U8x16, y) in x &- y } }
    case .i16x8Sub: return { n, fp, c in binaryV(n, fp, c) { (x: U16x8, y) in x &- y } }
    case .i32x4Sub: return { n, fp, c in binaryV(n, fp, c) { (x: U32x4, y) in x &- y } }
    case .i64x2Sub: return { n, fp, c in binaryV(n, fp, c) { (x: U64x2, y) in x &- y } }
    case .i16x8Mul: return { n, fp, c in binaryV(n, fp, c) { (x: U16x8, y) in x &* y } }
    case .i32x4Mul: return { n, fp, c in binaryV(n, fp, c) { (x: U32x4, y) in x &* y } }
    case .i64x2Mul: return { n, fp, c in binaryV(n, fp, c) { (x: U64x2, y) in x &* y } }

    case .i8x16AddSatS: return { n, fp, c in binaryV(n, fp, c) { (x: I8x16, y) in I8x16(clamp: SIMD16<Int16>(truncatingIfNeeded: x) &+ SIMD16<Int16>(truncatingIfNeeded: y)) } }
    case .i16x8AddSatS: return { n, fp, c in binaryV(n, fp, c) { (x: I16x8, y) in I16x8(clamp: SIMD8<Int32>(truncatingIfNeeded: x) &+ SIMD8<Int32>(truncatingIfNeeded: y)) } }
    case .i8x16SubSatS: return { n, fp, c in binaryV(n, fp, c) { (x: I8x16, y) in I8x16(clamp: SIMD16<Int16>(truncatingIfNeeded: x) &- SIMD16<Int16>(truncatingIfNeeded: y)) } }
    case .i16x8SubSatS: return { n, fp, c in binaryV(n, fp, c) { (x: I16x8, y) in I16x8(clamp: SIMD8<Int32>(truncatingIfNeeded: x) &- SIMD8<Int32>(truncatingIfNeeded: y)) } }
    case .i8x16AddSatU: return { n, fp, c in binaryV(n, fp, c) { (x: U8x16, y) in let s = x &+ y; return s.replacing(with: .max, where: s .< x) } }
    case .i16x8AddSatU: return { n, fp, c in binaryV(n, fp, c) { (x: U16x8, y) in let s = x &+ y; return s.replacing(with: .max, where: s .< x) } }
    case .i8x16SubSatU: return { n, fp, c in binaryV(n, fp, c) { (x: U8x16, y) in (x &- y).replacing(with: 0, where: x .< y) } }
    case .i16x8SubSatU: return { n, fp, c in binaryV(n, fp, c) { (x: U16x8, y) in (x &- y).replacing(with: 0, where: x .< y) } }

    case .i8x16MinS: return { n, fp, c in binaryV(n, fp, c) { (x: I8x16, y) in pointwiseMin(x, y) } }
    case .i8x16MinU: return { n, fp, c in binaryV(n, fp, c) { (x: U8x16, y) in pointwiseMin(x, y) } }
    case .i8x16MaxS: return { n, fp, c in binaryV(n, fp, c) { (x: I8x16, y) in pointwiseMax(x, y) } }
    case .i8x16MaxU: return { n, fp, c in binaryV(n, fp, c) { (x: U8x16, y) in pointwiseMax(x, y) } }
    case .i16x8MinS: return { n, fp, c in binaryV(n, fp, c) { (x: I16x8, y) in pointwiseMin(x, y) } }
    case .i16x8MinU: return { n, fp, c in binaryV(n, fp, c) { (x: U16x8, y) in pointwiseMin(x, y) } }
    case .i16x8MaxS: return { n, fp, c in binaryV(n, fp, c) { (x: I16x8, y) in pointwiseMax(x, y) } }
    case .i16x8MaxU: return { n, fp, c in binaryV(n, fp, c) { (x: U16x8, y) in pointwiseMax(x, y) } }
    case .i32x4MinS: return { n, fp, c in binaryV(n, fp, c) { (x: I32x4, y) in pointwiseMin(x, y) } }
    case .i32x4MinU: return { n, fp, c in binaryV(n, fp, c) { (x: U32x4, y) in pointwiseMin(x, y) } }
    case .i32x4MaxS: return { n, fp, c in binaryV(n, fp, c) { (x: I32x4, y) in pointwiseMax(x, y) } }
    case .i32x4MaxU: return { n, fp, c in binaryV(n, fp, c) { (x: U32x4, y) in pointwiseMax(x, y) } }
    case .i8x16AvgrU: return { n, fp, c in binaryV(n, fp, c) { (x: U8x16, y) in (x | y) &- ((x ^ y) &>> 1) } }
    case .i16x8AvgrU: return { n, fp, c in binaryV(n, fp, c) { (x: U16x8, y) in (x | y) &- ((x ^ y) &>> 1) } }
    case .i16x8Q15mulrSatS, .i16x8RelaxedQ15mulrS: return { n, fp, c in binaryV(n, fp, c) { (x: I16x8, y) in q15mulr(x, y) } }
    case .i32x4DotI16x8S:
        return { n, fp, c in binaryV(n, fp, c) { (x: I16x8, y) in
            let p = SIMD8<Int32>(truncatingIfNeeded: x) &* SIMD8<Int32>(truncatingIfNeeded: y)
            return p.evenHalf &+ p.oddHalf
        } }
    case .i16x8RelaxedDotI8x16I7x16S: return { n, fp, c in binaryV(n, fp, c) { (x: I8x16, y) in dotI8(x, y) } }

    case .i16x8ExtmulLowI8x16S: return { n, fp, c in binaryV(n, fp, c) { (x: I8x16, y) in I16x8(truncatingIfNeeded: x.lowHalf) &* I16x8(truncatingIfNeeded: y.lowHalf) } }
    case .i16x8ExtmulHighI8x16S: return { n, fp, c in binaryV(n, fp, c) { (x: I8x16, y) in I16x8(truncatingIfNeeded: x.highHalf) &* I16x8(truncatingIfNeeded: y.highHalf) } }
    case .i16x8ExtmulLowI8x16U: return { n, fp, c in binaryV(n, fp, c) { (x: U8x16, y) in U16x8(truncatingIfNeeded: x.lowHalf) &* U16x8(truncatingIfNeeded: y.lowHalf) } }
    case .i16x8ExtmulHighI8x16U: return { n, fp, c in binaryV(n, fp, c) { (x: U8x16, y) in U16x8(truncatingIfNeeded: x.highHalf) &* U16x8(truncatingIfNeeded: y.highHalf) } }
    case .i32x4ExtmulLowI16x8S: return { n, fp, c in binaryV(n, fp, c) { (x: I16x8, y) in I32x4(truncatingIfNeeded: x.lowHalf) &* I32x4(truncatingIfNeeded: y.lowHalf) } }
    case .i32x4ExtmulHighI16x8S: return { n, fp, c in binaryV(n, fp, c) { (x: I16x8, y) in I32x4(truncatingIfNeeded: x.highHalf) &* I32x4(truncatingIfNeeded: y.highHalf) } }
    case .i32x4ExtmulLowI16x8U: return { n, fp, c in binaryV(n, fp, c) { (x: U16x8, y) in U32x4(truncatingIfNeeded: x.lowHalf) &* U32x4(truncatingIfNeeded: y.lowHalf) } }
    case .i32x4ExtmulHighI16x8U: return { n, fp, c in binaryV(n, fp, c) { (x: U16x8, y) in U32x4(truncatingIfNeeded: x.highHalf) &* U32x4(truncatingIfNeeded: y.highHalf) } }
    case .i64x2ExtmulLowI32x4S: return { n, fp, c in binaryV(n, fp, c) { (x: I32x4, y) in I64x2(truncatingIfNeeded: x.lowHalf) &* I64x2(truncatingIfNeeded: y.lowHalf) } }
    case .i64x2ExtmulHighI32x4S: return { n, fp, c in binaryV(n, fp, c) { (x: I32x4, y) in I64x2(truncatingIfNeeded: x.highHalf) &* I64x2(truncatingIfNeeded: y.highHalf) } }
    case .i64x2ExtmulLowI32x4U: return { n, fp, c in binaryV(n, fp, c) { (x: U32x4, y) in U64x2(truncatingIfNeeded: x.lowHalf) &* U64x2(truncatingIfNeeded: y.lowHalf) } }
    case .i64x2ExtmulHighI32x4U: return { n, fp, c in binaryV(n, fp, c) { (x: U32x4, y) in U64x2(truncatingIfNeeded: x.highHalf) &* U64x2(truncatingIfNeeded: y.highHalf) } }

    case .i8x16NarrowI16x8S: return { n, fp, c in binaryV(n, fp, c) { (x: I16x8, y) in I8x16(lowHalf: SIMD8<Int8>(clamp: x), highHalf: SIMD8<Int8>(clamp: y)) } }
    case .i8x16NarrowI16x8U: return { n, fp, c in binaryV(n, fp, c) { (x: I16x8, y) in U8x16(lowHalf: SIMD8<UInt8>(clamp: x), highHalf: SIMD8<UInt8>(clamp: y)) } }
    case .i16x8NarrowI32x4S: return { n, fp, c in binaryV(n, fp, c) { (x: I32x4, y) in I16x8(lowHalf: SIMD4<Int16>(clamp: x), highHalf: SIMD4<Int16>(clamp: y)) } }
    case .i16x8NarrowI32x4U: return { n, fp, c in binaryV(n, fp, c) { (x: I32x4, y) in U16x8(lowHalf: SIMD4<UInt16>(clamp: x), highHalf: SIMD4<UInt16>(clamp: y)) } }

    case .i8x16Eq: return { n, fp, c in binaryV(n, fp, c) { (x: U8x16, y) in ones(x .== y) } }
    case .i8x16Ne: return { n, fp, c in binaryV(n, fp, c) { (x: U8x16, y) in ones(x .!= y) } }
    case .i8x16LtS: return { n, fp, c in binaryV(n, fp, c) { (x: I8x16, y) in ones(x .< y) } }
    case .i8x16LtU: return { n, fp, c in binaryV(n, fp, c) { (x: U8x16, y) in ones(x .< y) } }
    case .i8x16GtS: return { n, fp, c in binaryV(n, fp, c) { (x: I8x16, y) in ones(x .> y) } }
    case .i8x16GtU: return { n, fp, c in binaryV(n, fp, c) { (x: U8x16, y) in ones(x .> y) } }
    case .i8x16LeS: return { n, fp, c in binaryV(n, fp, c) { (x: I8x16, y) in ones(x .<= y) } }
    case .i8x16LeU: return { n, fp, c in binaryV(n, fp, c) { (x: U8x16, y) in ones(x .<= y) } }
    case .i8x16GeS: return { n, fp, c in binaryV(n, fp, c) { (x: I8x16, y) in ones(x .>= y) } }
    case .i8x16GeU: return { n, fp, c in binaryV(n, fp, c) { (x: U8x16, y) in ones(x .>= y) } }
    case .i16x8Eq: return { n, fp, c in binaryV(n, fp, c) { (x: U16x8, y) in ones(x .== y) } }
    case .i16x8Ne: return { n, fp, c in binaryV(n, fp, c) { (x: U16x8, y) in ones(x .!= y) } }
    case .i16x8LtS: return { n, fp, c in binaryV(n, fp, c) { (x: I16x8, y) in ones(x .< y) } }
    case .i16x8LtU: return { n, fp, c in binaryV(n, fp, c) { (x: U16x8, y) in ones(x .< y) } }
    case .i16x8GtS: return { n, fp, c in binaryV(n, fp, c) { (x: I16x8, y) in ones(x .> y) } }
    case .i16x8GtU: return { n, fp, c in binaryV(n, fp, c) { (x: U16x8, y) in ones(x .> y) } }
    case .i16x8LeS: return { n, fp, c in binaryV(n, fp, c) { (x: I16x8, y) in ones(x .<= y) } }
    case .i16x8LeU: return { n, fp, c in binaryV(n, fp, c) { (x: U16x8, y) in ones(x .<= y) } }
    case .i16x8GeS: return { n, fp, c in binaryV(n, fp, c) { (x: I16x8, y) in ones(x .>= y) } }
    case .i16x8GeU: return { n, fp, c in binaryV(n, fp, c) { (x: U16x8, y) in ones(x .>= y) } }
    case .i32x4Eq: return { n, fp, c in binaryV(n, fp, c) { (x: U32x4, y) in ones(x .== y) } }
    case .i32x4Ne: return { n, fp, c in binaryV(n, fp, c) { (x: U32x4, y) in ones(x .!= y) } }
    case .i32x4LtS: return { n, fp, c in binaryV(n, fp, c) { (x: I32x4, y) in ones(x .< y) } }
    case .i32x4LtU: return { n, fp, c in binaryV(n, fp, c) { (x: U32x4, y) in ones(x .< y) } }
    case .i32x4GtS: return { n, fp, c in binaryV(n, fp, c) { (x: I32x4, y) in ones(x .> y) } }
    case .i32x4GtU: return { n, fp, c in binaryV(n, fp, c) { (x: U32x4, y) in ones(x .> y) } }
    case .i32x4LeS: return { n, fp, c in binaryV(n, fp, c) { (x: I32x4, y) in ones(x .<= y) } }
    case .i32x4LeU: return { n, fp, c in binaryV(n, fp, c) { (x: U32x4, y) in ones(x .<= y) } }
    case .i32x4GeS: return { n, fp, c in binaryV(n, fp, c) { (x: I32x4, y) in ones(x .>= y) } }
    case .i32x4GeU: return { n, fp, c in binaryV(n, fp, c) { (x: U32x4, y) in ones(x .>= y) } }
    case .i64x2Eq: return { n, fp, c in binaryV(n, fp, c) { (x: I64x2, y) in ones(x .== y) } }
    case .i64x2Ne: return { n, fp, c in binaryV(n, fp, c) { (x: I64x2, y) in ones(x .!= y) } }
    case .i64x2LtS: return { n, fp, c in binaryV(n, fp, c) { (x: I64x2, y) in ones(x .< y) } }
    case .i64x2GtS: return { n, fp, c in binaryV(n, fp, c) { (x: I64x2, y) in ones(x .> y) } }
    case .i64x2LeS: return { n, fp, c in binaryV(n, fp, c) { (x: I64x2, y) in ones(x .<= y) } }
    case .i64x2GeS: return { n, fp, c in binaryV(n, fp, c) { (x: I64x2, y) in ones(x .>= y) } }
    case .f32x4Eq: return { n, fp, c in binaryV(n, fp, c) { (x: F32x4, y) in ones(x .== y) } }
    case .f32x4Ne: return { n, fp, c in binaryV(n, fp, c) { (x: F32x4, y) in ones(x .!= y) } }
    case .f32x4Lt: return { n, fp, c in binaryV(n, fp, c) { (x: F32x4, y) in ones(x .< y) } }
    case .f32x4Gt: return { n, fp, c in binaryV(n, fp, c) { (x: F32x4, y) in ones(x .> y) } }
    case .f32x4Le: return { n, fp, c in binaryV(n, fp, c) { (x: F32x4, y) in ones(x .<= y) } }
    case .f32x4Ge: return { n, fp, c in binaryV(n, fp, c) { (x: F32x4, y) in ones(x .>= y) } }
    case .f64x2Eq: return { n, fp, c in binaryV(n, fp, c) { (x: F64x2, y) in ones(x .== y) } }
    case .f64x2Ne: return { n, fp, c in binaryV(n, fp, c) { (x: F64x2, y) in ones(x .!= y) } }
    case .f64x2Lt: return { n, fp, c in binaryV(n, fp, c) { (x: F64x2, y) in ones(x .< y) } }
    case .f64x2Gt: return { n, fp, c in binaryV(n, fp, c) { (x: F64x2, y) in ones(x .> y) } }
    case .f64x2Le: return { n, fp, c in binaryV(n, fp, c) { (x: F64x2, y) in ones(x .<= y) } }
    case .f64x2Ge: return { n, fp, c in binaryV(n, fp, c) { (x: F64x2, y) in ones(x .>= y) } }

    case .f32x4Add: return { n, fp, c in binaryV(n, fp, c) { (x: F32x4, y) in x + y } }
    case .f32x4Sub: return { n, fp, c in binaryV(n, fp, c) { (x: F32x4, y) in x - y } }
    case .f32x4Mul: return { n, fp, c in binaryV(n, fp, c) { (x: F32x4, y) in x * y } }
    case .f32x4Div: return { n, fp, c in binaryV(n, fp, c) { (x: F32x4, y) in x / y } }
    case .f64x2Add: return { n, fp, c in binaryV(n, fp, c) { (x: F64x2, y) in x + y } }
    case .f64x2Sub: return { n, fp, c in binaryV(n, fp, c) { (x: F64x2, y) in x - y } }
    case .f64x2Mul: return { n, fp, c in binaryV(n, fp, c) { (x: F64x2, y) in x * y } }
    case .f64x2Div: return { n, fp, c in binaryV(n, fp, c) { (x: F64x2, y) in x / y } }
    case .f32x4Min, .f32x4RelaxedMin: return { n, fp, c in binaryV(n, fp, c) { (x: F32x4, y) in vmin(x, y) } }
    case .f32x4Max, .f32x4RelaxedMax: return { n, fp, c in binaryV(n, fp, c) { (x: F32x4, y) in vmax(x, y) } }
    case .f64x2Min, .f64x2RelaxedMin: return { n, fp, c in binaryV(n, fp, c) { (x: F64x2, y) in vmin(x, y) } }
    case .f64x2Max, .f64x2RelaxedMax: return { n, fp, c in binaryV(n, fp, c) { (x: F64x2, y) in vmax(x, y) } }
    // pmin is `y < x ? y : x`, pmax `x < y ? y : x`: the first operand unless the compare holds.
    case .f32x4Pmin: return { n, fp, c in binaryV(n, fp, c) { (x: F32x4, y) in x.replacing(with: y, where: y .< x) } }
    case .f32x4Pmax: return { n, fp, c in binaryV(n, fp, c) { (x: F32x4, y) in x.replacing(with: y, where: x .< y) } }
    case .f64x2Pmin: return { n, fp, c in binaryV(n, fp, c) { (x: F64x2, y) in x.replacing(with: y, where: y .< x) } }
    case .f64x2Pmax: return { n, fp, c in binaryV(n, fp, c) { (x: F64x2, y) in x.replacing(with: y, where: x .< y) } }
    default: return nil
    }
}

/// v, v, v → v operations.
func simdTernaryNode(_ op: Opcode) -> NodeFn? {
    switch op {
    case .v128Bitselect, .i8x16RelaxedLaneselect, .i16x8RelaxedLaneselect, .i32x4RelaxedLaneselect, .i64x2RelaxedLaneselect:
        return { n, fp, c in ternaryV(n, fp, c) { (x: U64x2, y, m) in (x & m) | (y & ~m) } }
    case .f32x4RelaxedMadd: return { n, fp, c in ternaryV(n, fp, c) { (x: F32x4, y, z) in fma(x, y, z) } }
    case .f32x4RelaxedNmadd: return { n, fp, c in ternaryV(n, fp, c) { (x: F32x4, y, z) in fma(-x, y, z) } }
    case .f64x2RelaxedMadd: return { n, fp, c in ternaryV(n, fp, c) { (x: F64x2, y, z) in fma(x, y, z) } }
    case .f64x2RelaxedNmadd: return { n, fp, c in ternaryV(n, fp, c) { (x: F64x2, y, z) in fma(-x, y, z) } }
    case .i32x4RelaxedDotI8x16I7x16AddS:
        return { n, fp, c in ternaryV(n, fp, c) { (x: I8x16, y, z) in
            let d = dotI8(x, y)
            let sum = I32x4(truncatingIfNeeded: d.evenHalf) &+ I32x4(truncatingIfNeeded: d.oddHalf)
            return sum &+ lanes(z, I32x4.self)
        } }
    default: return nil
    }
}

/// v → scalar expressions: a = operand slot, b = lane.
func simdToScalarNode(_ op: Opcode) -> NodeFn? {
    switch op {
    case .v128AnyTrue: return { n, fp, c in toScalar(n, fp) { (x: U64x2, _) in (x[0] | x[1]) != 0 ? 1 : 0 } }
    case .i8x16AllTrue: return { n, fp, c in toScalar(n, fp) { (x: U8x16, _) in all(x .!= 0) ? 1 : 0 } }
    case .i16x8AllTrue: return { n, fp, c in toScalar(n, fp) { (x: U16x8, _) in all(x .!= 0) ? 1 : 0 } }
    case .i32x4AllTrue: return { n, fp, c in toScalar(n, fp) { (x: U32x4, _) in all(x .!= 0) ? 1 : 0 } }
    case .i64x2AllTrue: return { n, fp, c in toScalar(n, fp) { (x: U64x2, _) in all(x .!= 0) ? 1 : 0 } }
    case .i8x16Bitmask: return { n, fp, c in toScalar(n, fp) { (x: I8x16, _) in bitmask(x) } }
    case .i16x8Bitmask: return { n, fp, c in toScalar(n, fp) { (x: I16x8, _) in bitmask(x) } }
    case .i32x4Bitmask: return { n, fp, c in toScalar(n, fp) { (x: I32x4, _) in bitmask(x) } }
    case .i64x2Bitmask: return { n, fp, c in toScalar(n, fp) { (x: I64x2, _) in bitmask(x) } }
    case .i8x16ExtractLaneS: return { n, fp, c in toScalar(n, fp) { (x: I8x16, i) in UInt64(UInt32(bitPattern: Int32(x[i]))) } }
    case .i8x16ExtractLaneU: return { n, fp, c in toScalar(n, fp) { (x: U8x16, i) in UInt64(x[i]) } }
    case .i16x8ExtractLaneS: return { n, fp, c in toScalar(n, fp) { (x: I16x8, i) in UInt64(UInt32(bitPattern: Int32(x[i]))) } }
    case .i16x8ExtractLaneU: return { n, fp, c in toScalar(n, fp) { (x: U16x8, i) in UInt64(x[i]) } }
    case .i32x4ExtractLane, .f32x4ExtractLane: return { n, fp, c in toScalar(n, fp) { (x: U32x4, i) in UInt64(x[i]) } }
    case .i64x2ExtractLane, .f64x2ExtractLane: return { n, fp, c in toScalar(n, fp) { (x: U64x2, i) in x[i] } }
    default: return nil
    }
}

/// scalar → v (splat): a = operand expression, b = destination.
func simdSplatNode(_ op: Opcode) -> NodeFn? {
    switch op {
    case .i8x16Splat: return { n, fp, c in fromScalarV(n, fp, c) { U8x16(repeating: UInt8(truncatingIfNeeded: $0)) } }
    case .i16x8Splat: return { n, fp, c in fromScalarV(n, fp, c) { U16x8(repeating: UInt16(truncatingIfNeeded: $0)) } }
    case .i32x4Splat, .f32x4Splat: return { n, fp, c in fromScalarV(n, fp, c) { U32x4(repeating: UInt32(truncatingIfNeeded: $0)) } }
    case .i64x2Splat, .f64x2Splat: return { n, fp, c in fromScalarV(n, fp, c) { U64x2(repeating: $0) } }
    default: return nil
    }
}

/// v, scalar → v: a = v128 slot, b = scalar expression, c = destination, d = lane.
func simdWithScalarNode(_ op: Opcode) -> NodeFn? {
    switch op {
    case .i8x16ReplaceLane: return { n, fp, c in withScalarV(n, fp, c) { (x: U8x16, s, i) in var r = x; r[i] = UInt8(truncatingIfNeeded: s); return r } }
    case .i16x8ReplaceLane: return { n, fp, c in withScalarV(n, fp, c) { (x: U16x8, s, i) in var r = x; r[i] = UInt16(truncatingIfNeeded: s); return r } }
    case .i32x4ReplaceLane, .f32x4ReplaceLane:
        return { n, fp, c in withScalarV(n, fp, c) { (x: U32x4, s, i) in var r = x; r[i] = UInt32(truncatingIfNeeded: s); return r } }
    case .i64x2ReplaceLane, .f64x2ReplaceLane:
        return { n, fp, c in withScalarV(n, fp, c) { (x: U64x2, s, i) in var r = x; r[i] = s; return r } }
    // Shift counts are taken modulo the lane width (`&<<`, `&>>` mask them the same way).
    case .i8x16Shl: return { n, fp, c in withScalarV(n, fp, c) { (x: U8x16, s, _) in x &<< UInt8(truncatingIfNeeded: s) } }
    case .i8x16ShrS: return { n, fp, c in withScalarV(n, fp, c) { (x: I8x16, s, _) in x &>> Int8(truncatingIfNeeded: s & 7) } }
    case .i8x16ShrU: return { n, fp, c in withScalarV(n, fp, c) { (x: U8x16, s, _) in x &>> UInt8(truncatingIfNeeded: s) } }
    case .i16x8Shl: return { n, fp, c in withScalarV(n, fp, c) { (x: U16x8, s, _) in x &<< UInt16(truncatingIfNeeded: s) } }
    case .i16x8ShrS: return { n, fp, c in withScalarV(n, fp, c) { (x: I16x8, s, _) in x &>> Int16(truncatingIfNeeded: s & 15) } }
    case .i16x8ShrU: return { n, fp, c in withScalarV(n, fp, c) { (x: U16x8, s, _) in x &>> UInt16(truncatingIfNeeded: s) } }
    case .i32x4Shl: return { n, fp, c in withScalarV(n, fp, c) { (x: U32x4, s, _) in x &<< UInt32(truncatingIfNeeded: s) } }
    case .i32x4ShrS: return { n, fp, c in withScalarV(n, fp, c) { (x: I32x4, s, _) in x &>> Int32(truncatingIfNeeded: s & 31) } }
    case .i32x4ShrU: return { n, fp, c in withScalarV(n, fp, c) { (x: U32x4, s, _) in x &>> UInt32(truncatingIfNeeded: s) } }
    case .i64x2Shl: return { n, fp, c in withScalarV(n, fp, c) { (x: U64x2, s, _) in x &<< UInt64(UInt32(truncatingIfNeeded: s)) } }
    case .i64x2ShrS: return { n, fp, c in withScalarV(n, fp, c) { (x: I64x2, s, _) in x &>> Int64(s & 63) } }
    case .i64x2ShrU: return { n, fp, c in withScalarV(n, fp, c) { (x: U64x2, s, _) in x &>> UInt64(UInt32(truncatingIfNeeded: s)) } }
    default: return nil
    }
}

// MARK: - Memory

/// The host address of a SIMD access, or nil when out of bounds. Bit 63 of the wide field e
/// tells a 64-bit memory's access (the whole i64 address) from a 32-bit one's.
@inline(__always) func simdAddress(_ address: UInt64, _ n: NodeP, _ size: UInt64) -> UnsafeMutableRawPointer? {
    n.e >> 63 != 0 ? effectiveAddress64(address, n, size) : effectiveAddress(address, n, size)
}

/// Loads of a whole v128 or of part of one: a = address expression, b = destination,
/// c = memory state, d = static offset (the layout `effectiveAddress` reads), e = bit 63 for
/// a 64-bit memory.
@inline(__always) func loadV<R: SIMD>(_ n: NodeP, _ fp: Frame, _ c: Ctx, _ size: UInt64, _ f: (UnsafeMutableRawPointer) -> R) -> UInt64 {
    let address = eval(n.pointee.a, fp, c)
    if trapped(c) { return 0 }
    guard let p = simdAddress(address, n, size) else { return raise(.outOfBoundsMemoryAccess, c) }
    vstore(fp, n.pointee.b, f(p))
    return proceed(n, fp, c)
}

func simdLoadNode(_ op: Opcode) -> NodeFn? {
    switch op {
    case .v128Load: return { n, fp, c in loadV(n, fp, c, 16) { $0.loadUnaligned(as: U8x16.self) } }
    case .v128Load8x8S: return { n, fp, c in loadV(n, fp, c, 8) { I16x8(truncatingIfNeeded: $0.loadUnaligned(as: SIMD8<Int8>.self)) } }
    case .v128Load8x8U: return { n, fp, c in loadV(n, fp, c, 8) { U16x8(truncatingIfNeeded: $0.loadUnaligned(as: SIMD8<UInt8>.self)) } }
    case .v128Load16x4S: return { n, fp, c in loadV(n, fp, c, 8) { I32x4(truncatingIfNeeded: $0.loadUnaligned(as: SIMD4<Int16>.self)) } }
    case .v128Load16x4U: return { n, fp, c in loadV(n, fp, c, 8) { U32x4(truncatingIfNeeded: $0.loadUnaligned(as: SIMD4<UInt16>.self)) } }
    case .v128Load32x2S: return { n, fp, c in loadV(n, fp, c, 8) { I64x2(truncatingIfNeeded: $0.loadUnaligned(as: SIMD2<Int32>.self)) } }
    case .v128Load32x2U: return { n, fp, c in loadV(n, fp, c, 8) { U64x2(truncatingIfNeeded: $0.loadUnaligned(as: SIMD2<UInt32>.self)) } }
    case .v128Load8Splat: return { n, fp, c in loadV(n, fp, c, 1) { U8x16(repeating: $0.load(as: UInt8.self)) } }
    case .v128Load16Splat: return { n, fp, c in loadV(n, fp, c, 2) { U16x8(repeating: $0.loadUnaligned(as: UInt16.self)) } }
    case .v128Load32Splat: return { n, fp, c in loadV(n, fp, c, 4) { U32x4(repeating: $0.loadUnaligned(as: UInt32.self)) } }
    case .v128Load64Splat: return { n, fp, c in loadV(n, fp, c, 8) { U64x2(repeating: $0.loadUnaligned(as: UInt64.self)) } }
    case .v128Load32Zero: return { n, fp, c in loadV(n, fp, c, 4) { U32x4($0.loadUnaligned(as: UInt32.self), 0, 0, 0) } }
    case .v128Load64Zero: return { n, fp, c in loadV(n, fp, c, 8) { U64x2($0.loadUnaligned(as: UInt64.self), 0) } }
    default: return nil
    }
}

/// load_lane: as the loads, with e = source v128 slot | lane << 32 (and bit 63).
@inline(__always) func loadLaneV<T: SIMD>(_ n: NodeP, _ fp: Frame, _ c: Ctx, _: T.Type) -> UInt64 where T.Scalar: FixedWidthInteger {
    let address = eval(n.pointee.a, fp, c)
    if trapped(c) { return 0 }
    guard let p = simdAddress(address, n, UInt64(T.Scalar.bitWidth / 8)) else { return raise(.outOfBoundsMemoryAccess, c) }
    let e = n.e
    var v: T = vload(fp, e & 0xFFFF_FFFF)
    v[Int((e >> 32) & 0xFF)] = p.loadUnaligned(as: T.Scalar.self)
    vstore(fp, n.pointee.b, v)
    return proceed(n, fp, c)
}

func simdLoadLaneNode(_ op: Opcode) -> NodeFn? {
    switch op {
    case .v128Load8Lane: return { n, fp, c in loadLaneV(n, fp, c, U8x16.self) }
    case .v128Load16Lane: return { n, fp, c in loadLaneV(n, fp, c, U16x8.self) }
    case .v128Load32Lane: return { n, fp, c in loadLaneV(n, fp, c, U32x4.self) }
    case .v128Load64Lane: return { n, fp, c in loadLaneV(n, fp, c, U64x2.self) }
    default: return nil
    }
}

/// v128.store and store_lane: a = address expression, b = value slot, c = memory state,
/// d = static offset, e = lane (store_lane) | bit 63 for a 64-bit memory.
@inline(__always) func storeLaneV<T: SIMD>(_ n: NodeP, _ fp: Frame, _ c: Ctx, _: T.Type) -> UInt64 where T.Scalar: FixedWidthInteger {
    let address = eval(n.pointee.a, fp, c)
    if trapped(c) { return 0 }
    guard let p = simdAddress(address, n, UInt64(T.Scalar.bitWidth / 8)) else { return raise(.outOfBoundsMemoryAccess, c) }
    let v: T = vload(fp, n.pointee.b)
    p.storeBytes(of: v[Int(n.e & 0xFF)], as: T.Scalar.self)
    return proceed(n, fp, c)
}

func v128StoreNode(_ n: NodeP, _ fp: Frame, _ c: Ctx) -> UInt64 {
    let address = eval(n.pointee.a, fp, c)
    if trapped(c) { return 0 }
    guard let p = simdAddress(address, n, 16) else { return raise(.outOfBoundsMemoryAccess, c) }
    p.storeBytes(of: vload(fp, n.pointee.b, U8x16.self), as: U8x16.self)
    return proceed(n, fp, c)
}

func simdStoreLaneNode(_ op: Opcode) -> NodeFn? {
    switch op {
    case .v128Store8Lane: return { n, fp, c in storeLaneV(n, fp, c, U8x16.self) }
    case .v128Store16Lane: return { n, fp, c in storeLaneV(n, fp, c, U16x8.self) }
    case .v128Store32Lane: return { n, fp, c in storeLaneV(n, fp, c, U32x4.self) }
    case .v128Store64Lane: return { n, fp, c in storeLaneV(n, fp, c, U64x2.self) }
    default: return nil
    }
}

// MARK: - Constants, shuffles, variables

/// fp[a...a+1] = (b, c): v128.const.
func v128ConstNode(_ n: NodeP, _ fp: Frame, _ c: Ctx) -> UInt64 {
    vstore(fp, n.pointee.a, U64x2(n.pointee.b, n.pointee.c))
    return proceed(n, fp, c)
}

// Byte permutations. Baseline x86-64 (SSE2) has no byte shuffle (pshufb is SSSE3), so these
// gather bytes: each result byte is one load from the operands' slots in the frame, merged
// into two words in registers and stored at the end (the destination may be an operand's
// slots). Nothing here takes the address of a local: a stack buffer would bring a stack
// protector check after the call to `next`, which then is no longer a tail call.

/// i8x16.shuffle: a, b = operands, c = destination, d and e = the 16 lane indices (a wide node).
func shuffleNode(_ n: NodeP, _ fp: Frame, _ c: Ctx) -> UInt64 {
    let x = UnsafeRawPointer(fp + n.pointee.a.int), y = UnsafeRawPointer(fp + n.pointee.b.int) - 16
    var lo = n.pointee.d, hi = n.e
    var r0: UInt64 = 0, r1: UInt64 = 0
    // Indices are below 32 (validated): 0-15 the first operand's bytes, 16-31 the second's.
    for i in 0..<8 {
        let j = Int(lo & 31), k = Int(hi & 31)
        r0 |= UInt64((j < 16 ? x : y).load(fromByteOffset: j, as: UInt8.self)) << UInt64(8 * i)
        r1 |= UInt64((k < 16 ? x : y).load(fromByteOffset: k, as: UInt8.self)) << UInt64(8 * i)
        lo >>= 8
        hi >>= 8
    }
    vstore(fp, n.pointee.c, U64x2(r0, r1))
    return proceed(n, fp, c)
}

// Shuffles of three shapes compilers emit to widen bytes (clang's loop vectoriser with a zero
// vector as the other operand) have SSE2 forms; the translator recognises them
// (`FunctionTranslator.shuffle`) and passes the operand each part comes from: a = X, the
// operand whose bytes are widened, b = Y, the operand whose bytes stay in place; c =
// destination.

/// out[2k] = X[k], out[2k+1] = Y[2k+1] (k < 8).
func shuffleWidenLow8Node(_ n: NodeP, _ fp: Frame, _ c: Ctx) -> UInt64 {
    let x: U8x16 = vload(fp, n.pointee.a), y: U16x8 = vload(fp, n.pointee.b)
    vstore(fp, n.pointee.c, U16x8(truncatingIfNeeded: x.lowHalf) | (y & 0xFF00))
    return proceed(n, fp, c)
}

/// out[2k] = X[8+k], out[2k+1] = Y[2k+1] (k < 8).
func shuffleWidenHigh8Node(_ n: NodeP, _ fp: Frame, _ c: Ctx) -> UInt64 {
    let x: U8x16 = vload(fp, n.pointee.a), y: U16x8 = vload(fp, n.pointee.b)
    vstore(fp, n.pointee.c, U16x8(truncatingIfNeeded: x.highHalf) | (y & 0xFF00))
    return proceed(n, fp, c)
}

/// out[4k] = X[k], out[4k+j] = Y[4k+j] (k < 4, 0 < j < 4).
func shuffleWidenLow8To32Node(_ n: NodeP, _ fp: Frame, _ c: Ctx) -> UInt64 {
    let x: U8x16 = vload(fp, n.pointee.a), y: U32x4 = vload(fp, n.pointee.b)
    vstore(fp, n.pointee.c, U32x4(truncatingIfNeeded: x.lowHalf.lowHalf) | (y & 0xFFFF_FF00))
    return proceed(n, fp, c)
}

/// i8x16.swizzle (and relaxed_swizzle, the same here): a = operand, b = indices,
/// c = destination. Indices of 16 and above select 0.
func swizzleNode(_ n: NodeP, _ fp: Frame, _ c: Ctx) -> UInt64 {
    let x = UnsafeRawPointer(fp + n.pointee.a.int)
    let s: U64x2 = vload(fp, n.pointee.b)
    var lo = s[0], hi = s[1]
    var r0: UInt64 = 0, r1: UInt64 = 0
    for i in 0..<8 {
        let j = Int(lo & 0xFF), k = Int(hi & 0xFF)
        if j < 16 { r0 |= UInt64(x.load(fromByteOffset: j, as: UInt8.self)) << UInt64(8 * i) }
        if k < 16 { r1 |= UInt64(x.load(fromByteOffset: k, as: UInt8.self)) << UInt64(8 * i) }
        lo >>= 8
        hi >>= 8
    }
    vstore(fp, n.pointee.c, U64x2(r0, r1))
    return proceed(n, fp, c)
}

/// select of v128 values: a, b = operand slots, c = condition expression, d = destination.
func selectV128Node(_ n: NodeP, _ fp: Frame, _ c: Ctx) -> UInt64 {
    let cond = UInt32(truncatingIfNeeded: eval(n.pointee.c, fp, c))
    if trapped(c) { return 0 }
    vstore(fp, n.pointee.d, vload(fp, cond != 0 ? n.pointee.a : n.pointee.b, U64x2.self))
    return proceed(n, fp, c)
}

/// global.get of a v128: a = global cell (two words), b = destination.
func globalGetV128Node(_ n: NodeP, _ fp: Frame, _ c: Ctx) -> UInt64 {
    let cell = UnsafeMutablePointer<UInt64>(bitPattern: UInt(truncatingIfNeeded: n.pointee.a)).unsafelyUnwrapped
    vstore(fp, n.pointee.b, vload(cell, 0, U64x2.self))
    return proceed(n, fp, c)
}

/// global.set of a v128: a = global cell, b = source slot.
func globalSetV128Node(_ n: NodeP, _ fp: Frame, _ c: Ctx) -> UInt64 {
    let cell = UnsafeMutablePointer<UInt64>(bitPattern: UInt(truncatingIfNeeded: n.pointee.a)).unsafelyUnwrapped
    vstore(cell, 0, vload(fp, n.pointee.b, U64x2.self))
    return proceed(n, fp, c)
}

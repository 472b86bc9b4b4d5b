#!/usr/bin/env python3
"""Generates Sources/SwvmCore/Decoder/Opcode.swift: the one description of every Wasm 2.0
instruction, and Wasm 3.0's relaxed SIMD (encoding, text name, immediates, and the operand/result types of the ones whose
types are fixed). The decoder, validator and compiler all read the generated table.

Run from the repository root:  python3 scripts/gen-opcodes.py
"""

OUT = "Sources/SwvmCore/Decoder/Opcode.swift"

# Immediate kinds: see ImmediateKind and InstructionReader.

OPS = []  # (code, text name, immediate kind, signature "params->result" or None)

def op(code, name, imm="none", sig=None):
    OPS.append((code, name, imm, sig))

# Control and parametric
op(0x00, "unreachable"); op(0x01, "nop"); op(0x02, "block", "block"); op(0x03, "loop", "block")
op(0x04, "if", "block"); op(0x05, "else"); op(0x0B, "end"); op(0x0C, "br", "labelIndex")
op(0x08, "throw", "tagIndex"); op(0x0A, "throw_ref"); op(0x1F, "try_table", "tryTable")  # exceptions (3.0)
op(0x0D, "br_if", "labelIndex"); op(0x0E, "br_table", "brTable"); op(0x0F, "return")
op(0x10, "call", "functionIndex"); op(0x11, "call_indirect", "callIndirect")
# Wasm 3.0 tail calls
op(0x12, "return_call", "functionIndex"); op(0x13, "return_call_indirect", "callIndirect")
# Wasm 3.0 typed function references
op(0x14, "call_ref", "typeIndex"); op(0x15, "return_call_ref", "typeIndex")
op(0x1A, "drop"); op(0x1B, "select"); op(0x1C, "select_t", "selectT")
op(0x20, "local.get", "localIndex"); op(0x21, "local.set", "localIndex"); op(0x22, "local.tee", "localIndex")
op(0x23, "global.get", "globalIndex"); op(0x24, "global.set", "globalIndex")
op(0x25, "table.get", "tableIndex"); op(0x26, "table.set", "tableIndex")
# Memory
for code, name in [(0x28, "i32.load"), (0x29, "i64.load"), (0x2A, "f32.load"), (0x2B, "f64.load"),
                   (0x2C, "i32.load8_s"), (0x2D, "i32.load8_u"), (0x2E, "i32.load16_s"), (0x2F, "i32.load16_u"),
                   (0x30, "i64.load8_s"), (0x31, "i64.load8_u"), (0x32, "i64.load16_s"), (0x33, "i64.load16_u"),
                   (0x34, "i64.load32_s"), (0x35, "i64.load32_u"), (0x36, "i32.store"), (0x37, "i64.store"),
                   (0x38, "f32.store"), (0x39, "f64.store"), (0x3A, "i32.store8"), (0x3B, "i32.store16"),
                   (0x3C, "i64.store8"), (0x3D, "i64.store16"), (0x3E, "i64.store32")]:
    op(code, name, "memarg")
op(0x3F, "memory.size", "memoryIndex"); op(0x40, "memory.grow", "memoryIndex")
op(0x41, "i32.const", "i32Const"); op(0x42, "i64.const", "i64Const"); op(0x43, "f32.const", "f32Const"); op(0x44, "f64.const", "f64Const")

def numeric(code, names, sig):
    for i, n in enumerate(names):
        op(code + i, n, "none", sig)

numeric(0x45, ["i32.eqz"], "i32->i32")
numeric(0x46, ["i32." + n for n in "eq ne lt_s lt_u gt_s gt_u le_s le_u ge_s ge_u".split()], "i32 i32->i32")
numeric(0x50, ["i64.eqz"], "i64->i32")
numeric(0x51, ["i64." + n for n in "eq ne lt_s lt_u gt_s gt_u le_s le_u ge_s ge_u".split()], "i64 i64->i32")
numeric(0x5B, ["f32." + n for n in "eq ne lt gt le ge".split()], "f32 f32->i32")
numeric(0x61, ["f64." + n for n in "eq ne lt gt le ge".split()], "f64 f64->i32")
numeric(0x67, ["i32." + n for n in "clz ctz popcnt".split()], "i32->i32")
numeric(0x6A, ["i32." + n for n in "add sub mul div_s div_u rem_s rem_u and or xor shl shr_s shr_u rotl rotr".split()], "i32 i32->i32")
numeric(0x79, ["i64." + n for n in "clz ctz popcnt".split()], "i64->i64")
numeric(0x7C, ["i64." + n for n in "add sub mul div_s div_u rem_s rem_u and or xor shl shr_s shr_u rotl rotr".split()], "i64 i64->i64")
numeric(0x8B, ["f32." + n for n in "abs neg ceil floor trunc nearest sqrt".split()], "f32->f32")
numeric(0x92, ["f32." + n for n in "add sub mul div min max copysign".split()], "f32 f32->f32")
numeric(0x99, ["f64." + n for n in "abs neg ceil floor trunc nearest sqrt".split()], "f64->f64")
numeric(0xA0, ["f64." + n for n in "add sub mul div min max copysign".split()], "f64 f64->f64")
for code, name, sig in [
    (0xA7, "i32.wrap_i64", "i64->i32"), (0xA8, "i32.trunc_f32_s", "f32->i32"), (0xA9, "i32.trunc_f32_u", "f32->i32"),
    (0xAA, "i32.trunc_f64_s", "f64->i32"), (0xAB, "i32.trunc_f64_u", "f64->i32"), (0xAC, "i64.extend_i32_s", "i32->i64"),
    (0xAD, "i64.extend_i32_u", "i32->i64"), (0xAE, "i64.trunc_f32_s", "f32->i64"), (0xAF, "i64.trunc_f32_u", "f32->i64"),
    (0xB0, "i64.trunc_f64_s", "f64->i64"), (0xB1, "i64.trunc_f64_u", "f64->i64"), (0xB2, "f32.convert_i32_s", "i32->f32"),
    (0xB3, "f32.convert_i32_u", "i32->f32"), (0xB4, "f32.convert_i64_s", "i64->f32"), (0xB5, "f32.convert_i64_u", "i64->f32"),
    (0xB6, "f32.demote_f64", "f64->f32"), (0xB7, "f64.convert_i32_s", "i32->f64"), (0xB8, "f64.convert_i32_u", "i32->f64"),
    (0xB9, "f64.convert_i64_s", "i64->f64"), (0xBA, "f64.convert_i64_u", "i64->f64"), (0xBB, "f64.promote_f32", "f32->f64"),
    (0xBC, "i32.reinterpret_f32", "f32->i32"), (0xBD, "i64.reinterpret_f64", "f64->i64"),
    (0xBE, "f32.reinterpret_i32", "i32->f32"), (0xBF, "f64.reinterpret_i64", "i64->f64"),
    (0xC0, "i32.extend8_s", "i32->i32"), (0xC1, "i32.extend16_s", "i32->i32"),
    (0xC2, "i64.extend8_s", "i64->i64"), (0xC3, "i64.extend16_s", "i64->i64"), (0xC4, "i64.extend32_s", "i64->i64")]:
    op(code, name, "none", sig)
op(0xD0, "ref.null", "refType"); op(0xD1, "ref.is_null"); op(0xD2, "ref.func", "functionIndex")
op(0xD4, "ref.as_non_null"); op(0xD5, "br_on_null", "labelIndex"); op(0xD6, "br_on_non_null", "labelIndex")
# 0xFC prefix
FC = 0x100
for i, (name, sig) in enumerate([("i32.trunc_sat_f32_s", "f32->i32"), ("i32.trunc_sat_f32_u", "f32->i32"),
                                 ("i32.trunc_sat_f64_s", "f64->i32"), ("i32.trunc_sat_f64_u", "f64->i32"),
                                 ("i64.trunc_sat_f32_s", "f32->i64"), ("i64.trunc_sat_f32_u", "f32->i64"),
                                 ("i64.trunc_sat_f64_s", "f64->i64"), ("i64.trunc_sat_f64_u", "f64->i64")]):
    op(FC + i, name, "none", sig)
op(FC + 8, "memory.init", "memoryInit"); op(FC + 9, "data.drop", "dataIndex")
op(FC + 10, "memory.copy", "memoryCopy"); op(FC + 11, "memory.fill", "memoryIndex")
op(FC + 12, "table.init", "tableInit"); op(FC + 13, "elem.drop", "elemIndex")
op(FC + 14, "table.copy", "tableCopy"); op(FC + 15, "table.grow", "tableIndex")
op(FC + 16, "table.size", "tableIndex"); op(FC + 17, "table.fill", "tableIndex")

# 0xFD prefix: SIMD
FD = 0x1000
def simd(code, name, imm="none", sig=None):
    op(FD + code, name, imm, sig)

for code, name in [(0x00, "v128.load"), (0x01, "v128.load8x8_s"), (0x02, "v128.load8x8_u"), (0x03, "v128.load16x4_s"),
                   (0x04, "v128.load16x4_u"), (0x05, "v128.load32x2_s"), (0x06, "v128.load32x2_u"),
                   (0x07, "v128.load8_splat"), (0x08, "v128.load16_splat"), (0x09, "v128.load32_splat"),
                   (0x0A, "v128.load64_splat"), (0x0B, "v128.store"), (0x5C, "v128.load32_zero"), (0x5D, "v128.load64_zero")]:
    simd(code, name, "memarg")
simd(0x0C, "v128.const", "v128Const")
simd(0x0D, "i8x16.shuffle", "shuffle", "v128 v128->v128")
simd(0x0E, "i8x16.swizzle", "none", "v128 v128->v128")
for code, shape, t in [(0x0F, "i8x16", "i32"), (0x10, "i16x8", "i32"), (0x11, "i32x4", "i32"), (0x12, "i64x2", "i64"),
                       (0x13, "f32x4", "f32"), (0x14, "f64x2", "f64")]:
    simd(code, shape + ".splat", "none", f"{t}->v128")
for code, name, sig in [(0x15, "i8x16.extract_lane_s", "v128->i32"), (0x16, "i8x16.extract_lane_u", "v128->i32"),
                        (0x17, "i8x16.replace_lane", "v128 i32->v128"), (0x18, "i16x8.extract_lane_s", "v128->i32"),
                        (0x19, "i16x8.extract_lane_u", "v128->i32"), (0x1A, "i16x8.replace_lane", "v128 i32->v128"),
                        (0x1B, "i32x4.extract_lane", "v128->i32"), (0x1C, "i32x4.replace_lane", "v128 i32->v128"),
                        (0x1D, "i64x2.extract_lane", "v128->i64"), (0x1E, "i64x2.replace_lane", "v128 i64->v128"),
                        (0x1F, "f32x4.extract_lane", "v128->f32"), (0x20, "f32x4.replace_lane", "v128 f32->v128"),
                        (0x21, "f64x2.extract_lane", "v128->f64"), (0x22, "f64x2.replace_lane", "v128 f64->v128")]:
    simd(code, name, "lane", sig)
BIN = "v128 v128->v128"
UN = "v128->v128"
def simds(start, names, sig):
    for i, n in enumerate(names):
        simd(start + i, n, "none", sig)
simds(0x23, ["i8x16." + n for n in "eq ne lt_s lt_u gt_s gt_u le_s le_u ge_s ge_u".split()], BIN)
simds(0x2D, ["i16x8." + n for n in "eq ne lt_s lt_u gt_s gt_u le_s le_u ge_s ge_u".split()], BIN)
simds(0x37, ["i32x4." + n for n in "eq ne lt_s lt_u gt_s gt_u le_s le_u ge_s ge_u".split()], BIN)
simds(0x41, ["f32x4." + n for n in "eq ne lt gt le ge".split()], BIN)
simds(0x47, ["f64x2." + n for n in "eq ne lt gt le ge".split()], BIN)
simd(0x4D, "v128.not", "none", UN)
simds(0x4E, ["v128.and", "v128.andnot", "v128.or", "v128.xor"], BIN)
simd(0x52, "v128.bitselect", "none", "v128 v128 v128->v128")
simd(0x53, "v128.any_true", "none", "v128->i32")
for code, name in [(0x54, "v128.load8_lane"), (0x55, "v128.load16_lane"), (0x56, "v128.load32_lane"), (0x57, "v128.load64_lane"),
                   (0x58, "v128.store8_lane"), (0x59, "v128.store16_lane"), (0x5A, "v128.store32_lane"), (0x5B, "v128.store64_lane")]:
    simd(code, name, "memargLane")
simd(0x5E, "f32x4.demote_f64x2_zero", "none", UN)
simd(0x5F, "f64x2.promote_low_f32x4", "none", UN)
SH = "v128 i32->v128"
TEST = "v128->i32"
for code, name, sig in [
    (0x60, "i8x16.abs", UN), (0x61, "i8x16.neg", UN), (0x62, "i8x16.popcnt", UN), (0x63, "i8x16.all_true", TEST),
    (0x64, "i8x16.bitmask", TEST), (0x65, "i8x16.narrow_i16x8_s", BIN), (0x66, "i8x16.narrow_i16x8_u", BIN),
    (0x67, "f32x4.ceil", UN), (0x68, "f32x4.floor", UN), (0x69, "f32x4.trunc", UN), (0x6A, "f32x4.nearest", UN),
    (0x6B, "i8x16.shl", SH), (0x6C, "i8x16.shr_s", SH), (0x6D, "i8x16.shr_u", SH), (0x6E, "i8x16.add", BIN),
    (0x6F, "i8x16.add_sat_s", BIN), (0x70, "i8x16.add_sat_u", BIN), (0x71, "i8x16.sub", BIN),
    (0x72, "i8x16.sub_sat_s", BIN), (0x73, "i8x16.sub_sat_u", BIN), (0x74, "f64x2.ceil", UN), (0x75, "f64x2.floor", UN),
    (0x76, "i8x16.min_s", BIN), (0x77, "i8x16.min_u", BIN), (0x78, "i8x16.max_s", BIN), (0x79, "i8x16.max_u", BIN),
    (0x7A, "f64x2.trunc", UN), (0x7B, "i8x16.avgr_u", BIN),
    (0x7C, "i16x8.extadd_pairwise_i8x16_s", UN), (0x7D, "i16x8.extadd_pairwise_i8x16_u", UN),
    (0x7E, "i32x4.extadd_pairwise_i16x8_s", UN), (0x7F, "i32x4.extadd_pairwise_i16x8_u", UN),
    (0x80, "i16x8.abs", UN), (0x81, "i16x8.neg", UN), (0x82, "i16x8.q15mulr_sat_s", BIN), (0x83, "i16x8.all_true", TEST),
    (0x84, "i16x8.bitmask", TEST), (0x85, "i16x8.narrow_i32x4_s", BIN), (0x86, "i16x8.narrow_i32x4_u", BIN),
    (0x87, "i16x8.extend_low_i8x16_s", UN), (0x88, "i16x8.extend_high_i8x16_s", UN),
    (0x89, "i16x8.extend_low_i8x16_u", UN), (0x8A, "i16x8.extend_high_i8x16_u", UN),
    (0x8B, "i16x8.shl", SH), (0x8C, "i16x8.shr_s", SH), (0x8D, "i16x8.shr_u", SH), (0x8E, "i16x8.add", BIN),
    (0x8F, "i16x8.add_sat_s", BIN), (0x90, "i16x8.add_sat_u", BIN), (0x91, "i16x8.sub", BIN),
    (0x92, "i16x8.sub_sat_s", BIN), (0x93, "i16x8.sub_sat_u", BIN), (0x94, "f64x2.nearest", UN), (0x95, "i16x8.mul", BIN),
    (0x96, "i16x8.min_s", BIN), (0x97, "i16x8.min_u", BIN), (0x98, "i16x8.max_s", BIN), (0x99, "i16x8.max_u", BIN),
    (0x9B, "i16x8.avgr_u", BIN), (0x9C, "i16x8.extmul_low_i8x16_s", BIN), (0x9D, "i16x8.extmul_high_i8x16_s", BIN),
    (0x9E, "i16x8.extmul_low_i8x16_u", BIN), (0x9F, "i16x8.extmul_high_i8x16_u", BIN),
    (0xA0, "i32x4.abs", UN), (0xA1, "i32x4.neg", UN), (0xA3, "i32x4.all_true", TEST), (0xA4, "i32x4.bitmask", TEST),
    (0xA7, "i32x4.extend_low_i16x8_s", UN), (0xA8, "i32x4.extend_high_i16x8_s", UN),
    (0xA9, "i32x4.extend_low_i16x8_u", UN), (0xAA, "i32x4.extend_high_i16x8_u", UN),
    (0xAB, "i32x4.shl", SH), (0xAC, "i32x4.shr_s", SH), (0xAD, "i32x4.shr_u", SH), (0xAE, "i32x4.add", BIN),
    (0xB1, "i32x4.sub", BIN), (0xB5, "i32x4.mul", BIN), (0xB6, "i32x4.min_s", BIN), (0xB7, "i32x4.min_u", BIN),
    (0xB8, "i32x4.max_s", BIN), (0xB9, "i32x4.max_u", BIN), (0xBA, "i32x4.dot_i16x8_s", BIN),
    (0xBC, "i32x4.extmul_low_i16x8_s", BIN), (0xBD, "i32x4.extmul_high_i16x8_s", BIN),
    (0xBE, "i32x4.extmul_low_i16x8_u", BIN), (0xBF, "i32x4.extmul_high_i16x8_u", BIN),
    (0xC0, "i64x2.abs", UN), (0xC1, "i64x2.neg", UN), (0xC3, "i64x2.all_true", TEST), (0xC4, "i64x2.bitmask", TEST),
    (0xC7, "i64x2.extend_low_i32x4_s", UN), (0xC8, "i64x2.extend_high_i32x4_s", UN),
    (0xC9, "i64x2.extend_low_i32x4_u", UN), (0xCA, "i64x2.extend_high_i32x4_u", UN),
    (0xCB, "i64x2.shl", SH), (0xCC, "i64x2.shr_s", SH), (0xCD, "i64x2.shr_u", SH), (0xCE, "i64x2.add", BIN),
    (0xD1, "i64x2.sub", BIN), (0xD5, "i64x2.mul", BIN), (0xD6, "i64x2.eq", BIN), (0xD7, "i64x2.ne", BIN),
    (0xD8, "i64x2.lt_s", BIN), (0xD9, "i64x2.gt_s", BIN), (0xDA, "i64x2.le_s", BIN), (0xDB, "i64x2.ge_s", BIN),
    (0xDC, "i64x2.extmul_low_i32x4_s", BIN), (0xDD, "i64x2.extmul_high_i32x4_s", BIN),
    (0xDE, "i64x2.extmul_low_i32x4_u", BIN), (0xDF, "i64x2.extmul_high_i32x4_u", BIN),
    (0xE0, "f32x4.abs", UN), (0xE1, "f32x4.neg", UN), (0xE3, "f32x4.sqrt", UN), (0xE4, "f32x4.add", BIN),
    (0xE5, "f32x4.sub", BIN), (0xE6, "f32x4.mul", BIN), (0xE7, "f32x4.div", BIN), (0xE8, "f32x4.min", BIN),
    (0xE9, "f32x4.max", BIN), (0xEA, "f32x4.pmin", BIN), (0xEB, "f32x4.pmax", BIN),
    (0xEC, "f64x2.abs", UN), (0xED, "f64x2.neg", UN), (0xEF, "f64x2.sqrt", UN), (0xF0, "f64x2.add", BIN),
    (0xF1, "f64x2.sub", BIN), (0xF2, "f64x2.mul", BIN), (0xF3, "f64x2.div", BIN), (0xF4, "f64x2.min", BIN),
    (0xF5, "f64x2.max", BIN), (0xF6, "f64x2.pmin", BIN), (0xF7, "f64x2.pmax", BIN),
    (0xF8, "i32x4.trunc_sat_f32x4_s", UN), (0xF9, "i32x4.trunc_sat_f32x4_u", UN),
    (0xFA, "f32x4.convert_i32x4_s", UN), (0xFB, "f32x4.convert_i32x4_u", UN),
    (0xFC, "i32x4.trunc_sat_f64x2_s_zero", UN), (0xFD, "i32x4.trunc_sat_f64x2_u_zero", UN),
    (0xFE, "f64x2.convert_low_i32x4_s", UN), (0xFF, "f64x2.convert_low_i32x4_u", UN)]:
    simd(code, name, "none", sig)

# Relaxed SIMD (Wasm 3.0): executed with one fixed choice each (Execute/SIMDNodes.swift).
TERN = "v128 v128 v128->v128"
for code, name, sig in [
    (0x100, "i8x16.relaxed_swizzle", BIN), (0x101, "i32x4.relaxed_trunc_f32x4_s", UN),
    (0x102, "i32x4.relaxed_trunc_f32x4_u", UN), (0x103, "i32x4.relaxed_trunc_f64x2_s_zero", UN),
    (0x104, "i32x4.relaxed_trunc_f64x2_u_zero", UN), (0x105, "f32x4.relaxed_madd", TERN),
    (0x106, "f32x4.relaxed_nmadd", TERN), (0x107, "f64x2.relaxed_madd", TERN), (0x108, "f64x2.relaxed_nmadd", TERN),
    (0x109, "i8x16.relaxed_laneselect", TERN), (0x10A, "i16x8.relaxed_laneselect", TERN),
    (0x10B, "i32x4.relaxed_laneselect", TERN), (0x10C, "i64x2.relaxed_laneselect", TERN),
    (0x10D, "f32x4.relaxed_min", BIN), (0x10E, "f32x4.relaxed_max", BIN), (0x10F, "f64x2.relaxed_min", BIN),
    (0x110, "f64x2.relaxed_max", BIN), (0x111, "i16x8.relaxed_q15mulr_s", BIN),
    (0x112, "i16x8.relaxed_dot_i8x16_i7x16_s", BIN), (0x113, "i32x4.relaxed_dot_i8x16_i7x16_add_s", TERN)]:
    simd(code, name, "none", sig)

SWIFT_KEYWORDS = {"if", "else", "return", "throw"}

def case_name(text):
    if text == "select_t":
        return "selectT"
    parts = text.replace(".", "_").split("_")
    name = parts[0] + "".join(p[:1].upper() + p[1:] for p in parts[1:])
    return f"`{name}`" if name in SWIFT_KEYWORDS else name

def bare(name):
    return name.strip("`")

def sig_swift(sig):
    params, result = sig.split("->")
    ps = ", ".join("." + p for p in params.split())
    return f"([{ps}], .{result.strip()})"

# ValueKind's raw values (Decoder/Types.swift), for the packed signatures.
KIND = {"i32": 0, "i64": 1, "f32": 2, "f64": 3, "v128": 4}

def sig_packed(sig):
    params, result = sig.split("->")
    ps = params.split()
    assert 1 <= len(ps) <= 3
    bits = len(ps) | KIND[result.strip()] << 16 | 1 << 31
    for i, p in enumerate(ps):
        bits |= KIND[p] << (4 + 4 * i)
    return f"0x{bits:08X}"

def main():
    codes = [c for c, *_ in OPS]
    assert len(codes) == len(set(codes)), "duplicate encoding"
    out = ["// Generated by scripts/gen-opcodes.py from its table; edit the table, not this file.\n\n"]
    out.append("/// Every Wasm 2.0 instruction. Raw value: single-byte opcodes as themselves; 0xFC-prefixed\n"
               "/// as 0x100 + subopcode; 0xFD-prefixed (SIMD) as 0x1000 + subopcode.\n")
    out.append("public enum Opcode: UInt16, CaseIterable, Sendable {\n")
    for code, name, imm, sig in OPS:
        out.append(f"    case {case_name(name)} = 0x{code:X}\n")
    out.append("}\n\n")
    out.append("/// What follows an opcode in the binary.\n")
    kinds = sorted({imm for _, _, imm, _ in OPS})
    out.append("public enum ImmediateKind: Sendable {\n    case " + ", ".join(kinds) + "\n}\n\n")
    out.append("extension Opcode {\n")
    out.append("    /// The instruction's name in the text format.\n")
    out.append("    public var name: String {\n        switch self {\n")
    for code, name, imm, sig in OPS:
        out.append(f"        case .{bare(case_name(name))}: return \"{'select' if name == 'select_t' else name}\"\n")
    out.append("        }\n    }\n\n")
    out.append("    public var immediate: ImmediateKind {\n        switch self {\n")
    by_kind = {}
    for code, name, imm, sig in OPS:
        by_kind.setdefault(imm, []).append("." + bare(case_name(name)))
    for imm in kinds:
        if imm == "none":
            continue
        cases = by_kind[imm]
        lines = []
        for i in range(0, len(cases), 6):
            lines.append(", ".join(cases[i:i + 6]))
        out.append("        case " + ",\n             ".join(lines) + f":\n            return .{imm}\n")
    out.append("        default: return .none\n        }\n    }\n\n")
    out.append("    /// Operand and result types of every instruction whose types are fixed and that touches\n"
               "    /// nothing but its operands (numeric, conversion and SIMD lane-wise operators); nil for\n"
               "    /// the rest (control, variables, memory, tables, references).\n")
    out.append("    public var numericSignature: (params: [ValueType], result: ValueType)? {\n        switch self {\n")
    by_sig = {}
    for code, name, imm, sig in OPS:
        if sig:
            by_sig.setdefault(sig, []).append("." + bare(case_name(name)))
    for sig, cases in by_sig.items():
        lines = [", ".join(cases[i:i + 6]) for i in range(0, len(cases), 6)]
        out.append("        case " + ",\n             ".join(lines) + f":\n            return {sig_swift(sig)}\n")
    out.append("        default: return nil\n        }\n    }\n\n")
    out.append("    /// `numericSignature` packed into one word, for the validator, which asks for every\n"
               "    /// instruction (arrays there cost reference counting): 0 for none; else bit 31 set, bits\n"
               "    /// 0-3 the parameter count, bits 4-15 the parameters' `ValueKind`s, 4 bits each, first\n"
               "    /// lowest, bits 16-19 the result's.\n")
    out.append("    public var numericShape: UInt32 {\n        switch self {\n")
    for sig, cases in by_sig.items():
        lines = [", ".join(cases[i:i + 6]) for i in range(0, len(cases), 6)]
        out.append("        case " + ",\n             ".join(lines) + f":\n            return {sig_packed(sig)}\n")
    out.append("        default: return 0\n        }\n    }\n}\n")
    with open(OUT, "w") as f:
        f.write("".join(out))

if __name__ == "__main__":
    main()

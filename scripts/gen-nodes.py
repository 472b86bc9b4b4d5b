#!/usr/bin/env python3
"""Generates the operand-specialised node functions of the compiler.

Run from the repository root:  python3 scripts/gen-nodes.py
Writes Sources/SwvmCore/Execute/Generated/*.swift (committed; a test checks they are current).

Naming convention (stated once, here): a node function is named `<op>_<kinds>`, one letter per
operand, in Wasm operand order:
    s  slot   - the operand is frame slot `fp[word]` (a local or a spilled operand)
    c  const  - the operand is the immediate word itself
    e  expr   - the operand is a child expression node, evaluated by calling it
A binary op has variants ss sc se es ec ee (a constant left operand is turned into an expression
node by the compiler, or swapped for commutative ops). A unary op or load has variants s and e.
A store has address kind s/e/p/x/y/k times value kind s/c/e, where p is an address
`slot + constant`, x, y are indexed addresses `base + (index << k) + constant` and
`(index << k) + constant`, and k a constant address (see ADDRESS below); loads have the same
address kinds. Operand
words are the node's fields a, b. Address kind w is the 64-bit address of a memory64 memory,
an expression (loads `_w`, stores `_ws/_wc/_we`): those memories are rare, so they get one
general form, and the 32-bit forms stay as they are.
Loads and stores keep the memory state pointer in field c and the static offset in field d;
so do the branches on a loaded value (`brIfLoad<bits>_<kind>`), whose taken target is field b,
and the float operations of a slot and a load (`<t><Op>Load<side>_<kind>`), whose slot is b.
A `set_` prefix marks the statement form of an expression node that writes its value to a frame
slot (local.set/tee of the expression, or a spill): the slot is field c for numeric operators,
field b for loads; the other fields are the expression node's own. Statements (set_ forms,
stores, branches) end by tail-calling their successor: `proceed` for the statement laid out
after them, `next` for a branch target (docs/engine.md).
"""
import os
import re

OUT = "Sources/SwvmCore/Execute/Generated"

# Wasm type -> (decode word to Swift value, encode Swift value to word)
DEC = {
    "i32": "UInt32(truncatingIfNeeded: {})",
    "i64": "{}",
    "f32": "Float(bitPattern: UInt32(truncatingIfNeeded: {}))",
    "f64": "Double(bitPattern: {})",
}
ENC = {
    "i32": "UInt64({})",
    "i64": "{}",
    "f32": "UInt64({}.bitPattern)",
    "f64": "{}.bitPattern",
    "bool": "({} ? 1 : 0)",
}

# (name, operand type, result type, swift expression over a, b, commutative)
BINARY = []
def ib(t, name, expr, comm=False, res=None):
    BINARY.append((f"{t}{name}", t, res or t, expr, comm))

for t, S, bits in (("i32", "Int32", 31), ("i64", "Int64", 63)):
    ib(t, "Add", "a &+ b", True)
    ib(t, "Sub", "a &- b")
    ib(t, "Mul", "a &* b", True)
    ib(t, "DivS", f"try divS(a, b)")
    ib(t, "DivU", f"try divU(a, b)")
    ib(t, "RemS", f"try remS(a, b)")
    ib(t, "RemU", f"try remU(a, b)")
    ib(t, "And", "a & b", True)
    ib(t, "Or", "a | b", True)
    ib(t, "Xor", "a ^ b", True)
    ib(t, "Shl", "a &<< b")
    ib(t, "ShrS", f"shrS(a, b)")
    ib(t, "ShrU", "a &>> b")
    ib(t, "Rotl", "rotl(a, b)")
    ib(t, "Rotr", "rotr(a, b)")
    ib(t, "Eq", "a == b", True, "bool")
    ib(t, "Ne", "a != b", True, "bool")
    ib(t, "LtS", f"{S}(bitPattern: a) < {S}(bitPattern: b)", False, "bool")
    ib(t, "LtU", "a < b", False, "bool")
    ib(t, "GtS", f"{S}(bitPattern: a) > {S}(bitPattern: b)", False, "bool")
    ib(t, "GtU", "a > b", False, "bool")
    ib(t, "LeS", f"{S}(bitPattern: a) <= {S}(bitPattern: b)", False, "bool")
    ib(t, "LeU", "a <= b", False, "bool")
    ib(t, "GeS", f"{S}(bitPattern: a) >= {S}(bitPattern: b)", False, "bool")
    ib(t, "GeU", "a >= b", False, "bool")

for t in ("f32", "f64"):
    ib(t, "Add", "a + b", True)
    ib(t, "Sub", "a - b")
    ib(t, "Mul", "a * b", True)
    ib(t, "Div", "a / b")
    ib(t, "Min", "wasmMin(a, b)", True)
    ib(t, "Max", "wasmMax(a, b)", True)
    ib(t, "Copysign", "copysign(a, b)")
    ib(t, "Eq", "a == b", True, "bool")
    ib(t, "Ne", "a != b", True, "bool")
    ib(t, "Lt", "a < b", False, "bool")
    ib(t, "Gt", "a > b", False, "bool")
    ib(t, "Le", "a <= b", False, "bool")
    ib(t, "Ge", "a >= b", False, "bool")

# Bit-field extraction, `(x >> k) & m` with k and m constants (fields b, c) and x a slot
# (field a): the instruction decoders of bytecode interpreters, the bit readers of
# decompressors. One leaf node where the shift would be a node or statement of its own.
# The shift count is taken modulo the width, as i32.shr_u / i64.shr_u do.
# (name, type) ; the set form writes the slot in field d.
SHIFT_AND = [("i32ShrUAnd_s", "i32", "UInt32"), ("i64ShrUAnd_s", "i64", "UInt64")]

# (name, operand type, result type, swift expression over a)
UNARY = []
def iu(name, t, res, expr):
    UNARY.append((name, t, res, expr))

for t in ("i32", "i64"):
    iu(f"{t}Clz", t, t, f"{'UInt32' if t == 'i32' else 'UInt64'}(a.leadingZeroBitCount)")
    iu(f"{t}Ctz", t, t, f"{'UInt32' if t == 'i32' else 'UInt64'}(a.trailingZeroBitCount)")
    iu(f"{t}Popcnt", t, t, f"{'UInt32' if t == 'i32' else 'UInt64'}(a.nonzeroBitCount)")
    iu(f"{t}Eqz", t, "bool", "a == 0")
for t in ("f32", "f64"):
    iu(f"{t}Abs", t, t, "abs(a)")
    iu(f"{t}Neg", t, t, "neg(a)")
    iu(f"{t}Ceil", t, t, "a.rounded(.up)")
    iu(f"{t}Floor", t, t, "a.rounded(.down)")
    iu(f"{t}Trunc", t, t, "a.rounded(.towardZero)")
    iu(f"{t}Nearest", t, t, "a.rounded(.toNearestOrEven)")
    iu(f"{t}Sqrt", t, t, "wasmSqrt(a)")

iu("i32WrapI64", "i64", "i32", "UInt32(truncatingIfNeeded: a)")
iu("i64ExtendI32S", "i32", "i64", "UInt64(bitPattern: Int64(Int32(bitPattern: a)))")
iu("i64ExtendI32U", "i32", "i64", "UInt64(a)")
iu("i32Extend8S", "i32", "i32", "UInt32(bitPattern: Int32(Int8(truncatingIfNeeded: a)))")
iu("i32Extend16S", "i32", "i32", "UInt32(bitPattern: Int32(Int16(truncatingIfNeeded: a)))")
iu("i64Extend8S", "i64", "i64", "UInt64(bitPattern: Int64(Int8(truncatingIfNeeded: a)))")
iu("i64Extend16S", "i64", "i64", "UInt64(bitPattern: Int64(Int16(truncatingIfNeeded: a)))")
iu("i64Extend32S", "i64", "i64", "UInt64(bitPattern: Int64(Int32(truncatingIfNeeded: a)))")
for it, I in (("i32", "Int32"), ("i64", "Int64")):
    U = "U" + I
    for ft in ("f32", "f64"):
        F = ft.upper()
        iu(f"{it}Trunc{F}S", ft, it, f"try truncS(a, to: {I}.self)")
        iu(f"{it}Trunc{F}U", ft, it, f"try truncU(a, to: {U}.self)")
        iu(f"{it}TruncSat{F}S", ft, it, f"truncSatS(a, to: {I}.self)")
        iu(f"{it}TruncSat{F}U", ft, it, f"truncSatU(a, to: {U}.self)")
for ft, FT in (("f32", "Float"), ("f64", "Double")):
    for it, I in (("i32", "Int32"), ("i64", "Int64")):
        IT = it.upper()
        iu(f"{ft}Convert{IT}S", it, ft, f"{FT}({I}(bitPattern: a))")
        iu(f"{ft}Convert{IT}U", it, ft, f"{FT}(a)")
iu("f32DemoteF64", "f64", "f32", "Float(a)")
iu("f64PromoteF32", "f32", "f64", "Double(a)")
# Reinterpretations move bits: operate on the raw word.
REINTERPRET = ["i32ReinterpretF32", "i64ReinterpretF64", "f32ReinterpretI32", "f64ReinterpretI64"]

# (name, Swift storage type, result type, widening expression over the loaded value v, size)
LOADS = [
    ("i32Load", "UInt32", "UInt64(v)", 4),
    ("i64Load", "UInt64", "v", 8),
    ("f32Load", "UInt32", "UInt64(v)", 4),
    ("f64Load", "UInt64", "v", 8),
    ("i32Load8S", "Int8", "UInt64(UInt32(bitPattern: Int32(v)))", 1),
    ("i32Load8U", "UInt8", "UInt64(v)", 1),
    ("i32Load16S", "Int16", "UInt64(UInt32(bitPattern: Int32(v)))", 2),
    ("i32Load16U", "UInt16", "UInt64(v)", 2),
    ("i64Load8S", "Int8", "UInt64(bitPattern: Int64(v))", 1),
    ("i64Load8U", "UInt8", "UInt64(v)", 1),
    ("i64Load16S", "Int16", "UInt64(bitPattern: Int64(v))", 2),
    ("i64Load16U", "UInt16", "UInt64(v)", 2),
    ("i64Load32S", "Int32", "UInt64(bitPattern: Int64(v))", 4),
    ("i64Load32U", "UInt32", "UInt64(v)", 4),
]
# (name, Swift storage type, size)
STORES = [
    ("i32Store", "UInt32", 4),
    ("i64Store", "UInt64", 8),
    ("f32Store", "UInt32", 4),
    ("f64Store", "UInt64", 8),
    ("i32Store8", "UInt8", 1),
    ("i32Store16", "UInt16", 2),
    ("i64Store8", "UInt8", 1),
    ("i64Store16", "UInt16", 2),
    ("i64Store32", "UInt32", 4),
]

# Fused pairs: `(x op1 y) op2 z` and `z op2 (x op1 y)`, where the inner operation op1 reads
# slots or a slot and a constant (fields a, b) and z is a slot (field c); the set form writes
# the slot in field d. One statement replaces two, and the inner result stays in a register
# instead of passing through a slot: chains of one-cycle integer operations (hashes, checksums,
# bit packing: `rotl(e, 26) ^ rotl(e, 21)`, `(a ^ b) & c`, `h * 31 + c`) and float chains
# (physics, geometry) are bound by latency, and a slot costs a store and a load on the
# critical path. Named `<type><Op1><Op2>_<side>`: side `l` (the pair on the left) or `r`,
# prefixed by `c` when op1's right operand is a constant (`i32RotlXor_cl`). A commutative op2
# has only the left form; the compiler puts z on the right. Wasm's float operations are IEEE's,
# so computing a pair in one node rounds each operation exactly as two nodes would (Swift does
# not contract a * b + c into a fused multiply-add); the integer ones wrap as Wasm's do.
FLOAT_PAIR_OPS = ("Add", "Sub", "Mul")
INT_PAIR_OUTER = ("Add", "Sub", "And", "Or", "Xor")
INT_PAIR_INNER = {"ss": ("Add", "Sub", "Mul", "And", "Or", "Xor"),
                  "sc": ("Add", "Mul", "And", "Or", "Xor", "Shl", "ShrS", "ShrU", "Rotl", "Rotr")}

def pairs():
    """(type, inner op, inner kinds, outer op, left node name, right node name or None)."""
    out = []
    for t in ("f32", "f64"):
        for inner in FLOAT_PAIR_OPS:
            for outer in FLOAT_PAIR_OPS:
                out.append((t, inner, "ss", outer, f"{t}{inner}{outer}_l", f"{t}{inner}{outer}_r"))
    for t in ("i32", "i64"):
        for kinds, inners in INT_PAIR_INNER.items():
            k = "c" if kinds == "sc" else ""
            for inner in inners:
                for outer in INT_PAIR_OUTER:
                    right = None if binary_op(f"{t}{outer}")[3] else f"{t}{inner}{outer}_{k}r"
                    out.append((t, inner, kinds, outer, f"{t}{inner}{outer}_{k}l", right))
    return out

def binary_op(name):
    """(operand type, result type, Swift expression over a and b, commutative) of a BINARY entry."""
    return next((t, res, expr, comm) for n, t, res, expr, comm in BINARY if n == name)

def substitute(expr, left, right):
    """A BINARY expression with its operands a and b replaced by the given Swift expressions."""
    return re.sub(r"\b[ab]\b", lambda m: left if m.group(0) == "a" else right, expr)

def binary_kinds(comm, res):
    """Operand shapes of a binary operator: two slots, slot and constant, expressions; a
    constant on the left (`cs`: `0 - x`, `1.0 / x`, `1 << n`) for the operators that cannot
    swap their operands (compares have their mirrored compare instead)."""
    return ("ss", "sc", "se", "es", "ec", "ee") + (("cs",) if not comm and res != "bool" else ())

def operand(kind, field):
    return {
        "s": f"fp[n.pointee.{field}.int]",
        "c": f"n.pointee.{field}",
        "e": f"eval(n.pointee.{field}, fp, c)",
    }[kind]

SIG = "(_ n: NodeP, _ fp: Frame, _ c: Ctx) -> UInt64"
NEXT = "    return proceed(n, fp, c)\n"
CHECK = "    if trapped(c) { return 0 }\n"

def deliver(target, value, can_trap):
    """`target` gets `value`; an operation that can trap runs in a typed do/catch whose catch
    raises the trap (inlined: plain branches, no error register)."""
    if can_trap:
        return f"    do throws(Trap) {{ {target}{value} }} catch {{ return raise(error, c) }}\n"
    return f"    {target}{value}\n"

def expression_and_set(fname, prelude, value, slot_field, kinds, can_trap):
    """An expression node returning `value` and its `set_` twin, a statement writing it to the
    slot in `slot_field` and continuing with the next statement: the same operand code, two ways to deliver
    the result. The statement tests the trap flag when a child expression may have trapped."""
    check = CHECK if "e" in kinds else ""
    return (f"func {fname}{SIG} {{\n    {prelude}\n" + deliver("return ", value, can_trap) + "}\n"
            f"func set_{fname}{SIG} {{\n    {prelude}\n" + check
            + deliver(f"fp[n.pointee.{slot_field}.int] = ", value, can_trap) + NEXT + "}\n")

def slot_form(name, kinds):
    """The `slotForm` argument of an operation's set variant: for one expression operand (binary
    es, ec, se; unary or load e), the form reading it from a slot instead (`SlotForm`)."""
    form = {"es": ("ss", "false", "true"), "ec": ("sc", "false", "false"), "se": ("ss", "true", "true"),
            "e": ("s", "false", "false")}.get(kinds)
    if form is None:
        return ""
    return f", slotForm: SlotForm(fn: {name}_{form[0]}, operandInB: {form[1]}, otherIsSlot: {form[2]})"

def effect(expr):
    """What an operator's own evaluation may do besides computing its value (`Effect`):
    division, remainder and float-to-integer truncation trap; the others are pure."""
    return ".other" if "try " in expr else ".pure"

HEADER = "// Generated by scripts/gen-nodes.py; do not edit. See the script for the naming convention.\n\n"

def gen_numeric():
    out = [HEADER]
    out.append("// swiftlint:disable all\n")
    for name, t, res, expr, comm in BINARY:
        for kinds in binary_kinds(comm, res):
            a = DEC[t].format(operand(kinds[0], "a"))
            b = DEC[t].format(operand(kinds[1], "b"))
            out.append(expression_and_set(f"{name}_{kinds}", f"let a = {a}\n    let b = {b}",
                                          ENC[res].format('(' + expr + ')'), "c", kinds, "try " in expr))
    for name, t, res, expr in UNARY:
        for k in ("s", "e"):
            a = DEC[t].format(operand(k, "a"))
            out.append(expression_and_set(f"{name}_{k}", f"let a = {a}", ENC[res].format('(' + expr + ')'), "c",
                                          k, "try " in expr))
    for name, t, U in SHIFT_AND:
        expr = f"(a &>> {U}(truncatingIfNeeded: n.pointee.b)) & {U}(truncatingIfNeeded: n.pointee.c)"
        out.append(expression_and_set(name, f"let a = {DEC[t].format(operand('s', 'a'))}", ENC[t].format('(' + expr + ')'),
                                      "d", "s", False))
    for t, inner, kinds, outer, left, right in pairs():
        prelude = (f"let a = {DEC[t].format(operand('s', 'a'))}\n    let b = {DEC[t].format(operand(kinds[1], 'b'))}\n"
                   f"    let z = {DEC[t].format(operand('s', 'c'))}")
        p = "(" + substitute(binary_op(f"{t}{inner}")[2], "a", "b") + ")"
        outer_expr = binary_op(f"{t}{outer}")[2]
        for name, expr in ((left, substitute(outer_expr, p, "z")), (right, substitute(outer_expr, "z", p))):
            if name:
                out.append(expression_and_set(name, prelude, ENC[t].format('(' + expr + ')'), "d", "s" + kinds, False))
    # select: each value operand a slot, a constant or an expression (fields a, b), the
    # condition an expression (field c); evaluated in Wasm order, first value to condition.
    for ka in "sce":
        for kb in "sce":
            out.append(f"func select_{ka}{kb}{SIG} {{\n    let x = {operand(ka, 'a')}\n    let y = {operand(kb, 'b')}\n"
                       "    return UInt32(truncatingIfNeeded: eval(n.pointee.c, fp, c)) != 0 ? x : y\n}\n")
    out.append("\n/// The select node for value operands of the given kinds (two letters, s/c/e).\n")
    out.append("func selectVariant(_ kinds: String) -> NodeFn? {\n    switch kinds {\n")
    for ka in "sce":
        for kb in "sce":
            out.append(f'    case "{ka}{kb}": return select_{ka}{kb}\n')
    out.append("    default: return nil\n    }\n}\n")
    out.append("\n/// Statement forms writing to a slot, keyed by the expression node's function.\n")
    out.append("let numericSetVariants: [(NodeFn, SetVariant)] = [\n")
    for name, t, res, expr, comm in BINARY:
        for kinds in binary_kinds(comm, res):
            out.append(f"    ({name}_{kinds}, SetVariant(fn: set_{name}_{kinds}, slotField: .c, effect: {effect(expr)}"
                       f"{slot_form(name, kinds)})),\n")
    for name, t, res, expr in UNARY:
        for k in ("s", "e"):
            out.append(f"    ({name}_{k}, SetVariant(fn: set_{name}_{k}, slotField: .c, effect: {effect(expr)}"
                       f"{slot_form(name, k)})),\n")
    for name, t, U in SHIFT_AND:
        out.append(f"    ({name}, SetVariant(fn: set_{name}, slotField: .d, effect: .pure)),\n")
    for *_, left, right in pairs():
        for name in (left, right) if right else (left,):
            out.append(f"    ({name}, SetVariant(fn: set_{name}, slotField: .d, effect: .pure)),\n")
    out.append("]\n")
    out.append("\n/// The fused pairs: the outer operator's `ss` node and the inner operation's node, then the\n"
               "/// pair with the inner result as the left operand and as the right one (the left one again\n"
               "/// for a commutative outer operator).\n")
    out.append("let chainNodeList: [(outer: NodeFn, inner: NodeFn, left: NodeFn, right: NodeFn)] = [\n")
    for t, inner, kinds, outer, left, right in pairs():
        out.append(f"    ({t}{outer}_ss, {t}{inner}_{kinds}, {left}, {right or left}),\n")
    out.append("]\n")
    # The dispatch tables the compiler reads.
    out.append("\n/// The specialisations of each binary numeric operator.\n")
    out.append("func binaryNodes(_ op: Opcode) -> BinaryNodes? {\n    switch op {\n")
    for name, t, res, expr, comm in BINARY:
        fns = ", ".join(f"{k}: {name}_{k}" for k in ("ss", "sc", "se", "es", "ec", "ee"))
        cs = f", cs: {name}_cs" if "cs" in binary_kinds(comm, res) else ""
        out.append(f"    case .{name}: return BinaryNodes({fns}, commutative: {'true' if comm else 'false'}{cs})\n")
    out.append("    default: return nil\n    }\n}\n")
    out.append("\n/// The specialisations of each unary numeric operator and conversion.\n")
    out.append("func unaryNodes(_ op: Opcode) -> UnaryNodes? {\n    switch op {\n")
    for name, t, res, expr in UNARY:
        out.append(f"    case .{name}: return UnaryNodes(s: {name}_s, e: {name}_e)\n")
    out.append("    default: return nil\n    }\n}\n")
    out.append("\n/// Reinterpretations keep the bits: the operand passes through unchanged.\n")
    out.append("func isReinterpret(_ op: Opcode) -> Bool {\n    switch op {\n")
    out.append("    case " + ", ".join("." + r for r in REINTERPRET) + ": return true\n")
    out.append("    default: return false\n    }\n}\n")
    return "".join(out)

OOB = "return raise(.outOfBoundsMemoryAccess, c)"

# Address kinds x and y: an indexed address, `base + (index << k) + constant` (x: fields a =
# base slot | index slot << 32) or `(index << k) + constant` (y: field a = index slot), with k in
# the wide field e and the constant in the high half of d (offset in the low half); every step wraps at 32 bits
# like the i32.add / i32.shl it replaces. clang addresses an element of an array held in a local
# (`p + (i << 2)`), of a global array (`(i << 2) + 1024`) or of a stack buffer
# (`sp + 32 + (i << 3)`) this way: one node instead of three or four.
# Address kind k: a constant address (a C global variable: `i32.const 0; i32.load offset=1024`).
# Address and offset are both below 2^32, so their sum cannot wrap: the translator stores it in
# field d, and the access only checks it against the memory's size.
# Address kind p: the address is `slot + constant` (clang's `base + i` for a global array: it
# cannot fold the constant into the offset immediate, which would not wrap at 2^32 as the add
# does). The slot is field a, the constant the wide field e and the offset field d, whole: the
# access adds them as a plain load would its offset (3 instructions fewer than unpacking both
# from d). The sum wraps at 32 bits like i32.add.
ADDRESS = {
    "s": "fp[n.pointee.a.int]",
    "e": "eval(n.pointee.a, fp, c)",
    "p": "UInt64(UInt32(truncatingIfNeeded: fp[n.pointee.a.int]) &+ UInt32(truncatingIfNeeded: n.e))",
    "w": "eval(n.pointee.a, fp, c)",
    "k": "UInt64(0)",
    "x": "UInt64(UInt32(truncatingIfNeeded: fp[Int(truncatingIfNeeded: n.pointee.a & 0xFFFF_FFFF)])"
         " &+ UInt32(truncatingIfNeeded: fp[Int(truncatingIfNeeded: n.pointee.a >> 32)]) &<< UInt32(truncatingIfNeeded: n.e)"
         " &+ UInt32(truncatingIfNeeded: n.pointee.d >> 32))",
    "y": "UInt64(UInt32(truncatingIfNeeded: fp[n.pointee.a.int]) &<< UInt32(truncatingIfNeeded: n.e)"
         " &+ UInt32(truncatingIfNeeded: n.pointee.d >> 32))",
}

# The address kinds whose fields a node can take over from a load or store node: the ones
# computed from slots and constants (not e, w), for read-modify-writes, branches on a loaded
# value and float operations with a load operand.
FUSED_ADDRESS_KINDS = ("s", "p", "x", "y", "k")

def access(kind, size):
    fn = {"x": "effectiveAddressPlus", "y": "effectiveAddressPlus",
          "w": "effectiveAddress64"}.get(kind, "effectiveAddress")
    return f"guard let p = {fn}(address, n, {size}) else {{ {OOB} }}\n"

# Accesses that compile to the same code share one function (i32.load and f32.load,
# i32.store8 and i64.store8, ...): the optimiser would merge them anyway, reaching the survivor
# through a jump thunk that every execution of the other pays for.
def canonical_load(name):
    _, st, widen, size = next(l for l in LOADS if l[0] == name)
    return next(l[0] for l in LOADS if l[1:] == (st, widen, size))

def canonical_store(name):
    _, st, size = next(s for s in STORES if s[0] == name)
    return next(s[0] for s in STORES if s[1:] == (st, size))

# A branch on a loaded value: `br_if` or `if` whose condition is a load, or eqz of one, with an
# address an address kind takes (`if (*s)`, `if (!node->next)`, sieve's `if (composite[i])`).
# One node checks the address, loads and branches: the load's value never passes through a
# slot, and the branch is one dispatch instead of two. Only the loaded bits' being zero
# matters, which no extension changes, so there is one node per access width (`brIfLoad8`...
# `brIfLoad64`, taken when the value is nonzero; `brUnlessLoad*`, taken when it is zero) and
# address kind. Fields as the load's (address a, e; memory state c; offset d), the taken
# target in b. A loop's back edge keeps its load statement and counter branch: its cost would
# need a field these nodes do not have free.
LOAD_BRANCH_WIDTHS = (("UInt8", 1), ("UInt16", 2), ("UInt32", 4), ("UInt64", 8))

def gen_load_branches():
    out = []
    for st, size in LOAD_BRANCH_WIDTHS:
        for k in FUSED_ADDRESS_KINDS:
            for name, test in (("brIfLoad", "!="), ("brUnlessLoad", "==")):
                out.append(f"func {name}{size * 8}_{k}{SIG} {{\n    let address = {ADDRESS[k]}\n    {access(k, size)}"
                           f"    if p.loadUnaligned(as: {st}.self) {test} 0 {{ return next(n.pointee.b, fp, c) }}\n"
                           + NEXT + "}\n")
    out.append("\n/// The branches on a loaded value of `size` bytes at an address of `kind` (s, p, x, y, k):\n"
               "/// taken when it is nonzero (`brIf`) or zero (`brUnless`).\n")
    out.append("func loadBranchNodes(size: Int, kind: Character) -> (brIf: NodeFn, brUnless: NodeFn)? {\n"
               "    switch (size, kind) {\n")
    for st, size in LOAD_BRANCH_WIDTHS:
        for k in FUSED_ADDRESS_KINDS:
            out.append(f'    case ({size}, "{k}"): return (brIfLoad{size * 8}_{k}, brUnlessLoad{size * 8}_{k})\n')
    out.append("    default: return nil\n    }\n}\n")
    return out

# A float add, sub or mul of a slot and a load (`x - p->x`, `s + a[i]`, nbody's
# `dx = a->x - b->x`): one node loads, at an address an address kind takes, and computes, where
# the load would be a statement writing a slot and the operation a second one reading it. The
# load's value stays in a register, off the slot's store and reload on the float chain. Named
# `<t><Op>Load<side>_<kind>`: side L when the load is the left operand, R the right (each kept
# in its place: x86 returns the first NaN operand's payload). Fields as the load's (address a,
# e; memory state c; offset d), the slot operand in the low half of b; the set form writes the
# slot in b's high half. The slot is read after the load, which nothing can tell apart.
LOAD_OPERAND_OPS = [(t, op) for t in ("f32", "f64") for op in ("Add", "Sub", "Mul")]

def load_operand_names():
    """(type, op, side, address kind, node name) of every load-operand node."""
    for t, op in LOAD_OPERAND_OPS:
        for side in "LR":
            for k in FUSED_ADDRESS_KINDS:
                yield t, op, side, k, f"{t}{op}Load{side}_{k}"

def gen_load_operands():
    out = []
    for t, op, side, k, name in load_operand_names():
        st, size = ("UInt32", 4) if t == "f32" else ("UInt64", 8)
        loaded = DEC[t].format(f"UInt64(p.loadUnaligned(as: {st}.self))")
        other = DEC[t].format("fp[Int(truncatingIfNeeded: n.pointee.b & 0xFFFF_FFFF)]")
        x, y = (loaded, other) if side == "L" else (other, loaded)
        value = ENC[t].format("(" + substitute(binary_op(f"{t}{op}")[2], "x", "y") + ")")
        prelude = f"    let address = {ADDRESS[k]}\n    {access(k, size)}    let x = {x}\n    let y = {y}\n"
        out.append(f"func {name}{SIG} {{\n{prelude}    return {value}\n}}\n"
                   f"func set_{name}{SIG} {{\n{prelude}    fp[Int(truncatingIfNeeded: n.pointee.b >> 32)] = {value}\n"
                   + NEXT + "}\n")
    out.append("\n/// The float add, sub or mul (`op`: f32Add ... f64Mul) of a slot and a load at an address of\n"
               "/// `kind` (s, p, x, y, k), the load on the left or on the right.\n")
    out.append("func loadOperandNode(_ op: Opcode, loadLeft: Bool, kind: Character) -> NodeFn? {\n"
               "    switch (op, loadLeft, kind) {\n")
    for t, op, side, k, name in load_operand_names():
        out.append(f'    case (.{t}{op}, {"true" if side == "L" else "false"}, "{k}"): return {name}\n')
    out.append("    default: return nil\n    }\n}\n")
    out.append("\n/// Their statement forms, writing the slot in b's high half.\n")
    out.append("let loadOperandSetVariants: [(NodeFn, SetVariant)] = [\n")
    for t, op, side, k, name in load_operand_names():
        out.append(f"    ({name}, SetVariant(fn: set_{name}, slotField: .bHigh, effect: .read)),\n")
    out.append("]\n")
    return out

# Read-modify-write: `store (a) (op (load (a)) v)` with the load at the store's own address,
# offset and memory (`mem[a] += v`, a counter in memory, `x[i] ^= k`): one node that checks the
# address once, loads, applies op and stores. The load is the operation's left operand, so v
# is evaluated after it, as unfused. Keyed by the store's storage type: the store keeps the low
# bits only, which add/sub/and/or/xor compute the same from a narrow load whether it
# sign- or zero-extended.
# The load may also be the right operand of a commutative operation (`mem[a] = v + mem[a]`,
# clang's `+=` of a computed value): value kind `f` is an expression v, evaluated first, as
# unfused, then the address checked; `r` a slot v for a float operation. These compute
# `v op old`: a float operation of two NaNs returns the first one's payload on x86, so the
# operand order stays the program's. An integer operation with a slot or constant v is the
# left-load node.
RMW_OPS = [("Add", "&+"), ("Sub", "&-"), ("And", "&"), ("Or", "|"), ("Xor", "^")]
RMW_COMMUTATIVE = {"Add", "And", "Or", "Xor", "F32Add", "F32Mul", "F64Add", "F64Mul"}
# Float read-modify-writes (nbody's `v -= dx * m * mag`): the whole value, so only the store of
# the float's own width, (storage type, Swift float type, op name, operator).
RMW_FLOAT_OPS = [(st, ft, f"{w}{op}", sym) for st, ft, w in (("UInt32", "Float", "F32"), ("UInt64", "Double", "F64"))
                 for op, sym in (("Add", "+"), ("Sub", "-"), ("Mul", "*"))]

def rmw_ops(st):
    """The operations of the read-modify-write nodes of a store of storage type st, as
    (name, Swift expression over {x} and {y}, both of type st: the operation's left and right
    operands, filled in with old and v)."""
    ops = [(op, f"{{x}} {sym} {{y}}") for op, sym in RMW_OPS]
    for fst, ft, op, sym in RMW_FLOAT_OPS:
        if fst == st:
            ops.append((op, f"({ft}(bitPattern: {{x}}) {sym} {ft}(bitPattern: {{y}})).bitPattern"))
    return ops

def rmw_variants():
    """Every read-modify-write node: (store name, size, op, expression, address kind, value kind)."""
    for name, st, size in STORES:
        if canonical_store(name) != name:
            continue
        for op, expr in rmw_ops(st):
            for ka in FUSED_ADDRESS_KINDS:
                for kv in ("s", "c", "e", "f", "r"):
                    if kv == "f" and op not in RMW_COMMUTATIVE:
                        continue
                    if kv == "r" and (op not in RMW_COMMUTATIVE or not op.startswith("F")):
                        continue
                    x, y = ("v", "old") if kv in "fr" else ("old", "v")
                    yield name, st, size, op, expr.format(x=x, y=y), ka, kv

def gen_rmw():
    out = []
    for name, st, size, op, expr, ka, kv in rmw_variants():
        value = f"    let v = {st}(truncatingIfNeeded: {operand({'f': 'e', 'r': 's'}.get(kv, kv), 'b')})\n"
        load = (f"    let address = {ADDRESS[ka]}\n"
                f"    {access(ka, size)}"
                f"    let old = p.loadUnaligned(as: {st}.self)\n")
        if kv == "f":
            body = value + CHECK + load
        else:
            body = load + value + (CHECK if kv == "e" else "")
        out.append(
            f"func {name}{op}_{ka}{kv}{SIG} {{\n" + body +
            f"    p.storeBytes(of: {expr}, as: {st}.self)\n" + NEXT + "}\n")
    return out

# A float read-modify-write whose value is a product of two or three slots (`v[i] += a * b`,
# nbody's `a->vx -= dx * b->mass * mag`, clang's `(x * y) * z`): the node multiplies, where the
# product would be a statement writing a slot and the read-modify-write a second one reading
# it. Named `<store><Op>Prod<2|3><L|R>_<address kind>`: L computes `old op v`, R `v op old`
# (the load the right operand of an add, in the program's operand order for NaN payloads).
# The factors are slots packed into b, 21 bits each (the translator checks they fit), and are
# multiplied left to right, as `f64Mul_ss` and `f64MulMul_l` do.
RMW_PRODUCT_SLOT_BITS = 21

def rmw_product_variants():
    """(store name, storage type, size, op, Swift float type, factors, side, address kind)."""
    for st, ft, w in (("UInt32", "Float", "F32"), ("UInt64", "Double", "F64")):
        name = "f32Store" if w == "F32" else "f64Store"
        name = canonical_store(name)
        for op, sides in (("Add", "LR"), ("Sub", "L")):
            for factors in (2, 3):
                for side in sides:
                    for ka in FUSED_ADDRESS_KINDS:
                        yield name, st, 4 if w == "F32" else 8, f"{w}{op}", ft, factors, side, ka

def gen_rmw_products():
    out = []
    mask = (1 << RMW_PRODUCT_SLOT_BITS) - 1
    for name, st, size, op, ft, factors, side, ka in rmw_product_variants():
        fac = [f"{ft}(bitPattern: {'UInt32(truncatingIfNeeded: ' if ft == 'Float' else ''}"
               f"fp[Int(truncatingIfNeeded: (b >> {RMW_PRODUCT_SLOT_BITS * i}) & 0x{mask:X})]{')' if ft == 'Float' else ''})"
               for i in range(factors)]
        product = " * ".join(fac)   # left to right, as Swift groups it
        sym = "+" if op.endswith("Add") else "-"
        old = f"{ft}(bitPattern: old)"
        result = f"({old} {sym} v)" if side == "L" else f"(v {sym} {old})"
        out.append(f"func {name}{op}Prod{factors}{side}_{ka}{SIG} {{\n"
                   f"    let address = {ADDRESS[ka]}\n"
                   f"    {access(ka, size)}"
                   f"    let old = p.loadUnaligned(as: {st}.self)\n"
                   f"    let b = n.pointee.b\n"
                   f"    let v = {product}\n"
                   f"    p.storeBytes(of: {result}.bitPattern, as: {st}.self)\n" + NEXT + "}\n")
    out.append("\n/// The float read-modify-write of `size` bytes applying `op` (F32Add, F32Sub, F64Add, F64Sub)\n"
               "/// to a product of `factors` slots (packed into field b, `rmwProductSlotBits` each), the load\n"
               "/// on the left or the right, at an address of `kind` (s, p, x, y, k).\n")
    out.append(f"let rmwProductSlotBits = {RMW_PRODUCT_SLOT_BITS}\n")
    out.append("func rmwProductNode(size: Int, op: String, factors: Int, loadLeft: Bool, kind: Character) -> NodeFn? {\n"
               "    switch (size, op, factors, loadLeft, kind) {\n")
    for name, st, size, op, ft, factors, side, ka in rmw_product_variants():
        out.append(f'    case ({size}, "{op}", {factors}, {"true" if side == "L" else "false"}, "{ka}"): '
                   f'return {name}{op}Prod{factors}{side}_{ka}\n')
    out.append("    default: return nil\n    }\n}\n")
    return out

def gen_memory():
    out = [HEADER]
    for name, st, widen, size in LOADS:
        if canonical_load(name) != name:
            continue
        for k in ("s", "e", "p", "w", "x", "y", "k"):
            load = access(k, size) + f"    let v = p.loadUnaligned(as: {st}.self)\n"
            check = CHECK if k in "ew" else ""
            out.append(f"func {name}_{k}{SIG} {{\n    let address = {ADDRESS[k]}\n    {load}"
                       f"    return {widen}\n}}\n"
                       f"func set_{name}_{k}{SIG} {{\n    let address = {ADDRESS[k]}\n{check}    {load}"
                       f"    fp[n.pointee.b.int] = {widen}\n" + NEXT + "}\n")
    for name, st, size in STORES:
        if canonical_store(name) != name:
            continue
        for ka in ("s", "e", "p", "w", "x", "y", "k"):
            for kv in ("s", "c", "e"):
                check = CHECK if "e" in ka + kv or ka == "w" else ""
                out.append(
                    f"func {name}_{ka}{kv}{SIG} {{\n"
                    f"    let address = {ADDRESS[ka]}\n"
                    f"    let v = {st}(truncatingIfNeeded: {operand(kv, 'b')})\n" + check +
                    f"    {access(ka, size)}"
                    f"    p.storeBytes(of: v, as: {st}.self)\n" + NEXT + "}\n")
    # An indexed address computed for its own sake (`p = base + (i << k) + c` kept in a local,
    # a pointer into an array): the address kinds' arithmetic as a statement writing slot b,
    # where the i32.add/i32.shl tree would be a set node calling its children.
    for k in ("x", "y"):
        out.append(f"func setIndexedAddress_{k}{SIG} {{\n    fp[n.pointee.b.int] = {ADDRESS[k]}\n" + NEXT + "}\n")
    out += gen_load_branches()
    out += gen_load_operands()
    out += gen_rmw()
    out += gen_rmw_products()
    out.append("\n/// The read-modify-write store of `size` bytes applying `op` (Add, Sub, And, Or, Xor; F32Add...\n")
    out.append("/// F64Mul for a float's own width), for an\n")
    out.append("/// address kind and a value kind (`kinds`, two letters).\n")
    out.append("func rmwNode(size: Int, op: String, kinds: String) -> NodeFn? {\n    switch (size, op, kinds) {\n")
    for name, st, size, op, expr, ka, kv in rmw_variants():
        out.append(f'    case ({size}, "{op}", "{ka}{kv}"): return {name}{op}_{ka}{kv}\n')
    out.append("    default: return nil\n    }\n}\n")
    out.append("\n/// Statement forms of the loads writing to a slot (field b).\n")
    out.append("let loadSetVariants: [(NodeFn, SetVariant)] = [\n")
    for name, st, widen, size in LOADS:
        if canonical_load(name) != name:
            continue
        for k in ("s", "e", "p", "w", "x", "y", "k"):
            out.append(f"    ({name}_{k}, SetVariant(fn: set_{name}_{k}, slotField: .b, effect: .read{slot_form(name, k)})),\n")
    out.append("]\n")
    out.append("\n/// The specialisations of each load.\n")
    out.append("func loadNodes(_ op: Opcode) -> LoadNodes? {\n    switch op {\n")
    for name, st, widen, size in LOADS:
        c = canonical_load(name)
        out.append(f"    case .{name}: return LoadNodes(s: {c}_s, e: {c}_e, p: {c}_p, w: {c}_w, x: {c}_x, y: {c}_y, k: {c}_k)\n")
    out.append("    default: return nil\n    }\n}\n")
    out.append("\n/// The specialisations of each store.\n")
    out.append("func storeNodes(_ op: Opcode) -> StoreNodes? {\n    switch op {\n")
    for name, st, size in STORES:
        fns = ", ".join(f"{ka}{kv}: {canonical_store(name)}_{ka}{kv}" for ka in "sepwxyk" for kv in "sce")
        out.append(f"    case .{name}: return StoreNodes({fns})\n")
    out.append("    default: return nil\n    }\n}\n")
    return "".join(out)

# An integer compare's negation is another compare: branching unless `a < b` is branching if
# `a >= b`, the same code. Float compares have no such inverse (NaN), nor has eqz of a child.
INVERSE = {"Eq": "Ne", "Ne": "Eq", "LtS": "GeS", "GeS": "LtS", "LtU": "GeU", "GeU": "LtU",
           "GtS": "LeS", "LeS": "GtS", "GtU": "LeU", "LeU": "GtU"}

def unless_via_inverse(cname):
    if cname == "i32Eqz_s":
        return "brIf_nonzero_s"
    if cname == "nonzero_s":
        return "brIf_i32Eqz_s"
    op, kinds = cname.split("_")
    if op[:3] in ("i32", "i64") and op[3:] in INVERSE:
        return f"brIf_{op[:3]}{INVERSE[op[3:]]}_{kinds}"
    return None

def gen_branches():
    """Compare-and-branch: br_if / if whose condition is a compare, in every operand shape
    (a child expression is evaluated inside the branch node), or a plain slot or i32.eqz of a
    slot (shape s). The condition's operand
    words are fields a, b; field c is the taken target (or the returned value), d the cost of a
    loop a back edge re-enters; not taken, the statement laid out next."""
    out = [HEADER]
    conds = []
    for name, t, res, expr, comm in BINARY:
        if res != "bool":
            continue
        for kinds in ("ss", "sc", "se", "es", "ec", "ee"):
            a = DEC[t].format(operand(kinds[0], "a"))
            b = DEC[t].format(operand(kinds[1], "b"))
            # A child expression may have trapped: test before branching on its value.
            check = "\n    if trapped(c) { return 0 }" if "e" in kinds else ""
            conds.append((f"{name}_{kinds}", f"let a = {a}\n    let b = {b}{check}\n    let taken = {expr}"))
    conds.append(("i32Eqz_s", "let taken = UInt32(truncatingIfNeeded: fp[n.pointee.a.int]) == 0"))
    conds.append(("i64Eqz_s", "let taken = fp[n.pointee.a.int] == 0"))
    conds.append(("i32Eqz_e", "let v = UInt32(truncatingIfNeeded: eval(n.pointee.a, fp, c))\n"
                               "    if trapped(c) { return 0 }\n    let taken = v == 0"))
    conds.append(("i64Eqz_e", "let v = eval(n.pointee.a, fp, c)\n    if trapped(c) { return 0 }\n    let taken = v == 0"))
    conds.append(("nonzero_s", "let a = UInt32(truncatingIfNeeded: fp[n.pointee.a.int])\n    let taken = a != 0"))
    counters = {}
    for cname, body in conds:
        # A count-down loop, `x += k; br_if 0 (x)` (clang's `while (--n)`, a tee of the counter
        # as the condition), gets the same nodes on the plain slot condition (nonzero_s, i32).
        t = "i32" if cname == "nonzero_s" else cname[:3]
        if t in ("i32", "i64") and (cname.endswith(("_ss", "_sc")) and "Eqz" not in cname or cname == "nonzero_s"):
            # A loop closed by `x += k; br_if 0 (x cmp y)` (clang's counted loop): one node
            # adds, compares and branches back. k is the wide field e; inc_ is the k = 1 form.
            counters[cname] = (t, None)
            # An i32 slot's upper half is never read (every i32 use truncates), so the update
            # may write the low half only.
            first = f"let a = {'UInt32(truncatingIfNeeded: fp[n.pointee.a.int])' if t == 'i32' else 'fp[n.pointee.a.int]'}"
            # addSlot_ adds a slot's value (a stride held in a local), its slot in e.
            for prefix, k in (("add", "UInt32(truncatingIfNeeded: n.e)" if t == "i32" else "n.e"), ("inc", "1"),
                              ("addSlot", "UInt32(truncatingIfNeeded: fp[n.e.int])" if t == "i32" else "fp[n.e.int]")):
                if t == "i32":
                    update = ("let x = UnsafeMutableRawPointer(fp + n.pointee.a.int)\n"
                              f"    x.storeBytes(of: x.load(as: UInt32.self) &+ {k}, as: UInt32.self)\n"
                              "    let a = x.load(as: UInt32.self)")
                else:
                    update = f"let a = fp[n.pointee.a.int] &+ {k}\n    fp[n.pointee.a.int] = a"
                cbody = body.replace(first, update)
                out.append(f"func {prefix}BrIfLoop_{cname}{SIG} {{\n    {cbody}\n"
                           f"    if taken {{ return backEdge(n, fp, c) }}\n" + NEXT + "}\n")
                if prefix == "inc" and t == "i32":
                    # A loop whose body is one store at an address linear in the counter, then
                    # the counter (a fill: `a[i] = v`, a sieve's `composite[j] = 1`): the node
                    # runs the store and the counter inside itself (Execute/LoopNodes.swift).
                    # The limit is loop-invariant (the translator checks that it is not the
                    # counter), so it is read once.
                    limit = [l for l in body.split("\n") if l.strip().startswith("let b = ")]
                    test = body.split("let taken = ")[1]
                    out.append(f"func storeSelfLoop_{cname}{SIG} {{\n"
                               + "".join(f"    {l.strip()}\n" for l in limit)
                               + f"    return storeSelfLoop(n, fp, c) {{ a in {test} }}\n}}\n")
                    counters[cname] = (t, f"storeSelfLoop_{cname}")
                if prefix != "addSlot":
                    # A loop whose whole body is the counter (head = this node) iterates
                    # inside the node: no load of the head, no indirect jump per iteration.
                    inner = cbody.replace("\n    ", "\n        ")
                    out.append(f"func {prefix}SelfLoop_{cname}{SIG} {{\n    while true {{\n        {inner}\n"
                               "        if !taken { return proceed(n, fp, c) }\n"
                               "        c.pointee.budget &-= Int(truncatingIfNeeded: n.pointee.d)\n"
                               "        if c.pointee.budget < 0 { return exhaustedOnBackEdge(n, fp, c) }\n"
                               "    }\n}\n")
    for cname, body in conds:
        out.append(f"func brIf_{cname}{SIG} {{\n    {body}\n"
                   f"    if taken {{ return next(n.pointee.c, fp, c) }}\n" + NEXT + "}\n")
        if unless_via_inverse(cname) is None:
            out.append(f"func brUnless_{cname}{SIG} {{\n    {body}\n"
                       f"    if !taken {{ return next(n.pointee.c, fp, c) }}\n" + NEXT + "}\n")
        out.append(f"func brIfLoop_{cname}{SIG} {{\n    {body}\n"
                   f"    if taken {{ return backEdge(n, fp, c) }}\n" + NEXT + "}\n")
        for kind, value in (("Slot", "fp[n.pointee.c.int]"), ("Const", "n.pointee.c")):
            out.append(f"func returnIf{kind}_{cname}{SIG} {{\n    {body}\n"
                       f"    if taken {{\n        c.pointee.callsLeft &+= 1\n        return {value}\n    }}\n"
                       + NEXT + "}\n")
    def nodes(cname):
        counter = "nil"
        if cname in counters:
            counter = (f"CounterNodes(add: addBrIfLoop_{cname}, inc: incBrIfLoop_{cname}, "
                       f"addSlot: addSlotBrIfLoop_{cname}, incSelf: incSelfLoop_{cname}, addSelf: addSelfLoop_{cname}, "
                       f"storeSelf: {counters[cname][1] or 'nil'}, limitIsSlot: {'true' if cname.endswith('_ss') else 'false'}, "
                       f"width{counters[cname][0][1:]}: true)")
        return (f"BranchNodes(brIf: brIf_{cname}, brIfLoop: brIfLoop_{cname}, "
                f"returnIfSlot: returnIfSlot_{cname}, returnIfConst: returnIfConst_{cname}, "
                f"brUnless: {unless_via_inverse(cname) or 'brUnless_' + cname}, counter: {counter})")
    out.append("\n/// The fused branch statements of each compare, keyed by the compare's expression function.\n")
    out.append("let branchVariantList: [(NodeFn, BranchNodes)] = [\n")
    for cname, body in conds:
        if cname.startswith("nonzero"):
            continue
        out.append(f"    ({cname}, {nodes(cname)}),\n")
    out.append("]\n")
    out.append("\n/// Branch statements on a plain i32 slot condition.\n")
    out.append(f"let slotBranchNodes = {nodes('nonzero_s')}\n")
    return "".join(out)

# Direct calls of one to three scalar arguments, in every argument shape: each argument is
# written into the callee's frame (fields c, d and the wide field e): a slot copied, a constant
# stored, an expression evaluated. Field a is the callee's record, b the base slot.
CALL_FIELDS = ("c", "d", "e")

def call_argument(kind, field):
    word = "n.e" if field == "e" else f"n.pointee.{field}"
    return {"s": f"fp[{word}.int]", "c": word, "e": f"eval({word}, fp, c)"}[kind]

def gen_calls():
    out = [HEADER]
    shapes = []
    for count in (1, 2, 3):
        for i in range(3 ** count):
            kinds = "".join("sce"[(i // 3 ** k) % 3] for k in reversed(range(count)))
            shapes.append(kinds)
            body = "".join(f"    callee[{k}] = {call_argument(kind, CALL_FIELDS[k])}\n" for k, kind in enumerate(kinds))
            # A trap takes the tail-called error path (`unwoundDirect`), which re-reads the record.
            out.append(f"func call_{kinds}{SIG} {{\n    let callee = fp + n.pointee.b.int\n{body}"
                       "    let r = enter(record(n.pointee.a), callee, c)\n"
                       "    if trapped(c) { return unwoundDirect(n, c) }\n    return r\n}\n")
            # The statement form (`local.set (call ...)`): the destination slot in b's high half.
            out.append(f"func set_call_{kinds}{SIG} {{\n    let callee = fp + Int(UInt32(truncatingIfNeeded: n.pointee.b))\n{body}"
                       "    let r = enter(record(n.pointee.a), callee, c)\n"
                       "    if trapped(c) { return unwoundDirect(n, c) }\n"
                       "    fp[Int(n.pointee.b >> 32)] = r\n" + NEXT + "}\n")
            # The statement that discards the result (a call with none, or whose result is
            # dropped), in place of `evalNode` calling the call node.
            out.append(f"func do_call_{kinds}{SIG} {{\n    let callee = fp + n.pointee.b.int\n{body}"
                       "    _ = enter(record(n.pointee.a), callee, c)\n"
                       "    if trapped(c) { return unwoundDirect(n, c) }\n" + NEXT + "}\n")
    out.append("\n/// The call node for arguments of the given kinds (one letter each, s/c/e).\n")
    out.append("func directCallNode(arguments kinds: String) -> NodeFn? {\n    switch kinds {\n")
    for kinds in shapes:
        out.append(f'    case "{kinds}": return call_{kinds}\n')
    out.append("    default: return nil\n    }\n}\n")
    out.append("\n/// Statement forms of the direct calls, writing the result to the slot in b's high half.\n")
    out.append("let callSetVariants: [(NodeFn, SetVariant)] = [\n")
    for kinds in shapes:
        out.append(f"    (call_{kinds}, SetVariant(fn: set_call_{kinds}, slotField: .bHigh, effect: .other)),\n")
    out.append("]\n")
    out.append("\n/// Statement forms of the direct calls that discard the result.\n")
    out.append("let callDiscardVariants: [(NodeFn, NodeFn)] = [\n")
    for kinds in shapes:
        out.append(f"    (call_{kinds}, do_call_{kinds}),\n")
    out.append("]\n")
    return "".join(out)

def main():
    os.makedirs(OUT, exist_ok=True)
    for fname, text in (("NumericNodes.swift", gen_numeric()), ("MemoryNodes.swift", gen_memory()),
                        ("BranchNodes.swift", gen_branches()), ("DirectCallNodes.swift", gen_calls())):
        with open(os.path.join(OUT, fname), "w") as f:
            f.write(text)

if __name__ == "__main__":
    main()

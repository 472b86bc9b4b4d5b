import CSwvmSupport

// The compiled form of a function is a graph of nodes: a thin function pointer plus a small
// raw record (docs/engine.md). A node is the engine's "closure": code (`fn`) and its
// environment (the operand words). Nodes live in an instance-owned arena, so executing them
// touches no reference counts.
//
// Two kinds of node share one signature:
// - an *expression* computes a value and returns it in a register (floats as bit patterns);
// - a *statement* does its work and ends by tail-calling its successor: the statement laid
//   out right after it (`proceed`), or a branch target. The chain of statements of a function
//   call runs in constant native stack: every
//   statement ends in a sibling call (`jmp`), and the function's return node returns the
//   first result, straight back to the call node that entered the function.
// Nothing throws: a trap records its cause in the execution context and returns 0 (`raise`);
// statements test the flag after evaluating child expressions that can trap, so a trapped
// computation never stores, branches or continues.

/// A frame: the function's locals, then its operand slots. Every value is one 64-bit slot.
typealias Frame = UnsafeMutablePointer<UInt64>
typealias Ctx = UnsafeMutablePointer<ExecContext>
typealias NodeP = UnsafePointer<Node>

/// The one node signature: expressions return their value, statements the function's result.
typealias NodeFn = @convention(thin) (NodeP, Frame, Ctx) -> UInt64

struct Node {
    var fn: UnsafeRawPointer
    var a: UInt64
    var b: UInt64
    var c: UInt64
    var d: UInt64
}

/// Bytes between consecutive statements: the record and one wide word. A function's statements
/// are laid out in one block in execution order (`FunctionTranslator.layOut`), so a
/// statement's fall-through successor is at a fixed distance: finding it is an add, not a load,
/// and the next statement's operands do not wait on a load of its address (docs/engine.md,
/// "Layout").
let statementStride = MemoryLayout<Node>.stride + 8

extension UInt64 {
    /// Reinterprets an operand word as a node pointer.
    @inline(__always) var node: NodeP { NodeP(bitPattern: UInt(truncatingIfNeeded: self)).unsafelyUnwrapped }
    @inline(__always) var int: Int { Int(truncatingIfNeeded: self) }
    @inline(__always) var raw: UnsafeMutableRawPointer {
        UnsafeMutableRawPointer(bitPattern: UInt(truncatingIfNeeded: self)).unsafelyUnwrapped
    }
    @inline(__always) init(pointer: UnsafeRawPointer) { self = UInt64(UInt(bitPattern: pointer)) }
}

extension UnsafePointer where Pointee == Node {
    /// The extra operand word of a wide node, stored right after the record (see `Arena.node`).
    @inline(__always) var e: UInt64 { UnsafeRawPointer(self).load(fromByteOffset: MemoryLayout<Node>.stride, as: UInt64.self) }
}

/// Evaluates the expression node whose address is `word`.
@inline(__always)
func eval(_ word: UInt64, _ fp: Frame, _ c: Ctx) -> UInt64 {
    let n = word.node
    return unsafeBitCast(n.pointee.fn, to: NodeFn.self)(n, fp, c)
}

/// Continues with the statement whose address is `word`: a sibling call in an optimised build.
/// An unoptimised build makes no sibling calls, so there every statement returns to the
/// trampoline in `runBody` instead, which keeps the native stack flat on long loops.
@inline(__always)
func next(_ word: UInt64, _ fp: Frame, _ c: Ctx) -> UInt64 {
    if _isDebugAssertConfiguration() {
        c.pointee.pending = word
        return 0
    }
    return eval(word, fp, c)
}

/// Continues with the statement after `n` (its fall-through successor, `statementStride`
/// bytes on). Every statement that falls through ends with this.
@inline(__always)
func proceed(_ n: NodeP, _ fp: Frame, _ c: Ctx) -> UInt64 {
    next(UInt64(UInt(bitPattern: n)) &+ UInt64(statementStride), fp, c)
}

/// Runs a statement chain from `first` to the return node that ends it.
@inline(__always)
func runBody(_ first: UInt64, _ fp: Frame, _ c: Ctx) -> UInt64 {
    if _isDebugAssertConfiguration() {
        var r = eval(first, fp, c)
        while c.pointee.pending != 0 {
            let p = c.pointee.pending
            c.pointee.pending = 0
            r = eval(p, fp, c)
        }
        return r
    }
    return eval(first, fp, c)
}

/// True once a trap was raised in the running call.
@inline(__always) func trapped(_ c: Ctx) -> Bool { c.pointee.trap != 0 }

/// Records a trap and returns 0 for the node to return. The first trap wins: expressions
/// evaluated after it (with garbage operands) may raise again without changing the cause.
/// The native limit is poisoned so that any call still made by the trapped statement's
/// expressions fails at its entry check, before it can have an effect.
@inline(never)
func raise(_ t: Trap, _ c: Ctx) -> UInt64 {
    if c.pointee.trap == 0 { c.pointee.trap = Int(t.rawValue) &+ 1 }
    c.pointee.nativeLimit = UInt.max
    c.pointee.pending = 0
    return 0
}

@inline(__always) func fnWord(_ f: NodeFn) -> UnsafeRawPointer { unsafeBitCast(f, to: UnsafeRawPointer.self) }

/// Bump allocator for nodes and their side tables; everything is freed with the owning
/// instance, so nodes carry no ownership of their own.
final class Arena {
    private var chunks: [UnsafeMutableRawPointer] = []
    private var cursor: UnsafeMutableRawPointer?
    private var remaining = 0
    private(set) var bytesAllocated = 0

    func allocate(bytes: Int, alignment: Int = 16) -> UnsafeMutableRawPointer {
        let size = (bytes + alignment - 1) & ~(alignment - 1)
        if size > remaining {
            let chunkSize = Swift.max(size, 64 * 1024)
            let chunk = UnsafeMutableRawPointer.allocate(byteCount: chunkSize, alignment: 16)
            chunks.append(chunk)
            cursor = chunk
            remaining = chunkSize
        }
        let p = cursor.unsafelyUnwrapped
        cursor = p + size
        remaining -= size
        bytesAllocated += size
        return p
    }

    /// A node; `extra` words follow the record for wide nodes (the first is read as `e`).
    func node(_ fn: UnsafeRawPointer, _ a: UInt64 = 0, _ b: UInt64 = 0, _ c: UInt64 = 0, _ d: UInt64 = 0,
              extra: [UInt64] = []) -> NodeP {
        // At least a statement's stride, so that laying statements out can copy that many bytes.
        let raw = allocate(bytes: Swift.max(statementStride, MemoryLayout<Node>.stride + 8 * extra.count))
        let p = raw.bindMemory(to: Node.self, capacity: 1)
        p.initialize(to: Node(fn: fn, a: a, b: b, c: c, d: d))
        for (i, w) in extra.enumerated() {
            raw.storeBytes(of: w, toByteOffset: MemoryLayout<Node>.stride + 8 * i, as: UInt64.self)
        }
        return NodeP(p)
    }

    /// Copies `words` into the arena and returns their address.
    func words(_ words: [UInt64]) -> UnsafeMutablePointer<UInt64> {
        let p = allocate(bytes: Swift.max(1, words.count) * 8).bindMemory(to: UInt64.self, capacity: Swift.max(1, words.count))
        for (i, w) in words.enumerated() { p[i] = w }
        return p
    }

    deinit {
        for c in chunks { c.deallocate() }
    }
}

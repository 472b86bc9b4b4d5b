import CSwvmSupport

// The compiled form of a function is a tree of nodes: a thin function pointer plus a small
// raw record. A node is the engine's "closure": code (`fn`) and its environment (the four
// operand words). Nodes live in an instance-owned arena, so executing them touches no
// reference counts (DESIGN.md measured Swift closures at 3x the instructions of this form).

/// A frame: the function's locals, then its operand slots. Every value is one 64-bit slot.
typealias Frame = UnsafeMutablePointer<UInt64>
typealias Ctx = UnsafeMutablePointer<ExecContext>
typealias NodeP = UnsafePointer<Node>

/// An expression: computes a value and returns it in a register (floats as bit patterns).
typealias ExprFn = @convention(thin) (NodeP, Frame, Ctx) throws(Trap) -> UInt64
/// A statement: returns a control code: 0 continues, k > 0 leaves k enclosing labels
/// (1 = the innermost one: the end of a block, or the start of a loop).
typealias StmtFn = @convention(thin) (NodeP, Frame, Ctx) throws(Trap) -> Int

struct Node {
    var fn: UnsafeRawPointer
    var a: UInt64
    var b: UInt64
    var c: UInt64
    var d: UInt64
}

extension UInt64 {
    /// Reinterprets an operand word as a node pointer.
    @inline(__always) var node: NodeP { NodeP(bitPattern: UInt(truncatingIfNeeded: self)).unsafelyUnwrapped }
    @inline(__always) var int: Int { Int(truncatingIfNeeded: self) }
    @inline(__always) var raw: UnsafeMutableRawPointer {
        UnsafeMutableRawPointer(bitPattern: UInt(truncatingIfNeeded: self)).unsafelyUnwrapped
    }
    @inline(__always) init(pointer: UnsafeRawPointer) { self = UInt64(UInt(bitPattern: pointer)) }
}

/// Evaluates the expression node whose address is `word`.
@inline(__always)
func eval(_ word: UInt64, _ fp: Frame, _ c: Ctx) throws(Trap) -> UInt64 {
    let n = word.node
    return try unsafeBitCast(n.pointee.fn, to: ExprFn.self)(n, fp, c)
}

/// Runs the statement node whose address is `word`.
@inline(__always)
func exec(_ word: UInt64, _ fp: Frame, _ c: Ctx) throws(Trap) -> Int {
    let n = word.node
    return try unsafeBitCast(n.pointee.fn, to: StmtFn.self)(n, fp, c)
}

@inline(__always) func fnWord(_ f: ExprFn) -> UnsafeRawPointer { unsafeBitCast(f, to: UnsafeRawPointer.self) }
@inline(__always) func fnWord(_ f: StmtFn) -> UnsafeRawPointer { unsafeBitCast(f, to: UnsafeRawPointer.self) }

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

    func node(_ fn: UnsafeRawPointer, _ a: UInt64 = 0, _ b: UInt64 = 0, _ c: UInt64 = 0, _ d: UInt64 = 0) -> NodeP {
        let p = allocate(bytes: MemoryLayout<Node>.stride).bindMemory(to: Node.self, capacity: 1)
        p.initialize(to: Node(fn: fn, a: a, b: b, c: c, d: d))
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

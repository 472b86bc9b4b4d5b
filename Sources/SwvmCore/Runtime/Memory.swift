import Glibc

/// The raw view of a linear memory that compiled code reads. The base never moves: the whole
/// maximum size is reserved as inaccessible address space up front and pages are made
/// accessible as the memory grows, so embedders may keep the pointer across `memory.grow`.
struct MemoryState {
    var base: UnsafeMutableRawPointer
    var byteSize: UInt64
    var maxPages: UInt64
}

public final class Memory {
    public static let pageSize = 65536
    public let type: MemoryType
    let state: UnsafeMutablePointer<MemoryState>
    private let reservedBytes: Int

    /// - Parameter limitPages: a store-wide cap below the type's maximum, if any.
    init(type: MemoryType, limitPages: UInt64? = nil) throws(WasmError) {
        self.type = type
        var maxPages = UInt64(type.limits.max ?? 65536)
        if let cap = limitPages { maxPages = Swift.min(maxPages, cap) }
        if UInt64(type.limits.min) > maxPages {
            throw WasmError(.limit, "memory minimum of \(type.limits.min) pages exceeds the limit of \(maxPages) pages")
        }
        // Reserve at least one page so the base is a real mapping even for empty memories.
        let reserve = Int(Swift.max(maxPages, 1)) * Memory.pageSize
        guard let p = mmap(nil, reserve, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0),
              p != MAP_FAILED
        else { throw WasmError(.limit, "cannot reserve \(reserve) bytes of address space for a memory") }
        reservedBytes = reserve
        state = .allocate(capacity: 1)
        state.initialize(to: MemoryState(base: p, byteSize: 0, maxPages: maxPages))
        if type.limits.min > 0, grow(by: UInt64(type.limits.min)) == nil {
            throw WasmError(.limit, "cannot allocate \(type.limits.min) pages of memory")
        }
    }

    deinit {
        munmap(state.pointee.base, reservedBytes)
        state.deallocate()
    }

    public var pageCount: UInt64 { state.pointee.byteSize / UInt64(Memory.pageSize) }
    public var byteCount: Int { Int(state.pointee.byteSize) }
    /// Stable for the memory's lifetime (see `MemoryState`).
    public var baseAddress: UnsafeMutableRawPointer { state.pointee.base }

    /// Grows by `delta` pages; returns the previous page count, or nil if the memory cannot grow.
    public func grow(by delta: UInt64) -> UInt64? {
        let old = pageCount
        if delta == 0 { return old }
        guard delta <= state.pointee.maxPages, old + delta <= state.pointee.maxPages else { return nil }
        let oldBytes = Int(old) * Memory.pageSize
        let newBytes = Int(old + delta) * Memory.pageSize
        if mprotect(state.pointee.base + oldBytes, newBytes - oldBytes, PROT_READ | PROT_WRITE) != 0 {
            return nil
        }
        state.pointee.byteSize = UInt64(newBytes)
        return old
    }

    /// Bounds-checked copy out of linear memory.
    public func read(offset: Int, count: Int) -> [UInt8]? {
        guard offset >= 0, count >= 0, offset + count <= byteCount else { return nil }
        return Array(UnsafeRawBufferPointer(start: baseAddress + offset, count: count))
    }

    /// Bounds-checked copy into linear memory.
    @discardableResult
    public func write(offset: Int, bytes: [UInt8]) -> Bool {
        guard offset >= 0, offset + bytes.count <= byteCount else { return false }
        bytes.withUnsafeBytes { (baseAddress + offset).copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
        return true
    }
}

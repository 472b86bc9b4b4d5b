import CSwvmSupport
import Glibc

/// The raw view of a linear memory that compiled code reads: every access reads `base` and
/// its bound from here, so the memory may move without compiled code noticing.
struct MemoryState {
    var base: UnsafeMutableRawPointer
    private(set) var byteSize: UInt64
    var maxPages: UInt64
    /// For each access size: the first effective address at which an access of that size is
    /// out of bounds (`byteSize - size + 1`, or 0 when no access of that size fits). A 32-bit
    /// memory's access then tests `address + offset < end` against a constant field, without
    /// adding the size first (`effectiveAddress`).
    private(set) var end1: UInt64 = 0, end2: UInt64 = 0, end4: UInt64 = 0, end8: UInt64 = 0, end16: UInt64 = 0

    init(base: UnsafeMutableRawPointer, maxPages: UInt64) {
        self.base = base
        byteSize = 0
        self.maxPages = maxPages
    }

    mutating func setByteSize(_ bytes: UInt64) {
        byteSize = bytes
        func end(_ size: UInt64) -> UInt64 { bytes >= size ? bytes - size + 1 : 0 }
        end1 = end(1); end2 = end(2); end4 = end(4); end8 = end(8); end16 = end(16)
    }

    /// The end for an access of `size` bytes (1, 2, 4, 8 or 16, a constant where inlined).
    @inline(__always) func end(forSize size: UInt64) -> UInt64 {
        switch size {
        case 1: return end1
        case 2: return end2
        case 4: return end4
        case 8: return end8
        default:
            assert(size == 16, "no access is \(size) bytes")
            return end16
        }
    }
}

/// A linear memory. A 32-bit memory reserves its whole maximum (at most 4 GiB) as
/// inaccessible address space up front and makes pages accessible as it grows, so its base
/// never moves and embedders may keep the pointer across `memory.grow`. A 64-bit memory's
/// maximum may be up to 2^64 bytes, far beyond any address space: it reserves the smaller of
/// its maximum and the larger of its minimum and `Memory.initialReservation64`, and when it
/// grows beyond that reserves more (at least double): after the reservation if that address
/// space is free, else elsewhere, moving the pages (`swvm_reserve_more`). Its base is then
/// stable only between growths.
public final class Memory {
    public static let pageSize = 65536
    /// The address space a 64-bit memory reserves at first, when its maximum is larger.
    static let initialReservation64: UInt64 = 1 << 32
    public let type: MemoryType
    let state: UnsafeMutablePointer<MemoryState>
    /// Bytes of address space reserved at `state.base` (a multiple of the page size).
    private(set) var reservedBytes: Int

    /// - Parameter limitPages: a store-wide cap below the type's maximum, if any.
    init(type: MemoryType, limitPages: UInt64? = nil) throws(WasmError) {
        self.type = type
        // The largest page count addressable: 2^16 pages for 32-bit memories, 2^48 for 64-bit.
        var maxPages = type.limits.max ?? (type.is64 ? 1 << 48 : 65536)
        if let cap = limitPages { maxPages = Swift.min(maxPages, cap) }
        if type.limits.min > maxPages {
            throw WasmError(.limit, "memory minimum of \(type.limits.min) pages exceeds the limit of \(maxPages) pages")
        }
        // Reserve at least one page so the base is a real mapping even for empty memories.
        var reservePages = Swift.max(maxPages, 1)
        if type.is64 {
            reservePages = Swift.min(reservePages, Swift.max(type.limits.min, Memory.initialReservation64 / UInt64(Memory.pageSize), 1))
        }
        guard reservePages <= UInt64(Int.max / Memory.pageSize),
              let p = mmap(nil, Int(reservePages) * Memory.pageSize, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0),
              p != MAP_FAILED
        else { throw WasmError(.limit, "cannot reserve \(reservePages) pages of address space for a memory") }
        reservedBytes = Int(reservePages) * Memory.pageSize
        state = .allocate(capacity: 1)
        state.initialize(to: MemoryState(base: p, maxPages: maxPages))
        if type.limits.min > 0, grow(by: type.limits.min) == nil {
            throw WasmError(.limit, "cannot allocate \(type.limits.min) pages of memory")
        }
    }

    deinit {
        munmap(state.pointee.base, reservedBytes)
        state.deallocate()
    }

    public var pageCount: UInt64 { state.pointee.byteSize / UInt64(Memory.pageSize) }
    public var byteCount: Int { Int(state.pointee.byteSize) }
    /// The size in bytes: a 64-bit memory may exceed what `byteCount` (an Int) promises hosts
    /// on 32-bit platforms; on 64-bit Linux the two agree.
    public var byteSize: UInt64 { state.pointee.byteSize }
    /// For a 32-bit memory, stable for the memory's lifetime; for a 64-bit one, until it grows
    /// beyond its reservation (see `Memory`).
    public var baseAddress: UnsafeMutableRawPointer { state.pointee.base }

    /// Grows by `delta` pages; returns the previous page count, or nil if the memory cannot grow.
    public func grow(by delta: UInt64) -> UInt64? {
        let old = pageCount
        if delta == 0 { return old }
        // Written so that no sum can overflow: delta may be any 64-bit value.
        guard delta <= state.pointee.maxPages, old <= state.pointee.maxPages - delta,
              old + delta <= UInt64(Int.max / Memory.pageSize) else { return nil }
        let oldBytes = Int(old) * Memory.pageSize
        let newBytes = Int(old + delta) * Memory.pageSize
        if newBytes > reservedBytes {
            // Only 64-bit memories reserve less than their maximum: reserve more, at least
            // double, moving the mapping if the address space after it is taken.
            let maxBytes = Int(Swift.min(state.pointee.maxPages, UInt64(Int.max / Memory.pageSize))) * Memory.pageSize
            let target = Swift.min(Swift.max(newBytes, reservedBytes > maxBytes / 2 ? maxBytes : reservedBytes * 2), maxBytes)
            guard let p = swvm_reserve_more(state.pointee.base, oldBytes, reservedBytes, target) else { return nil }
            state.pointee.base = p
            reservedBytes = target
        }
        if mprotect(state.pointee.base + oldBytes, newBytes - oldBytes, PROT_READ | PROT_WRITE) != 0 {
            return nil
        }
        state.pointee.setByteSize(UInt64(newBytes))
        return old
    }

    /// Bounds-checked copy out of linear memory.
    public func read(offset: Int, count: Int) -> [UInt8]? {
        guard offset >= 0, count >= 0, count <= byteCount, offset <= byteCount - count else { return nil }
        return Array(UnsafeRawBufferPointer(start: baseAddress + offset, count: count))
    }

    /// Bounds-checked copy into linear memory.
    @discardableResult
    public func write(offset: Int, bytes: [UInt8]) -> Bool {
        guard offset >= 0, bytes.count <= byteCount, offset <= byteCount - bytes.count else { return false }
        bytes.withUnsafeBytes { (baseAddress + offset).copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
        return true
    }
}

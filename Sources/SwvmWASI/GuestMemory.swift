import SwvmCore

/// Bounds-checked access to the calling instance's linear memory: every guest pointer is
/// checked before use, and a bad one is EFAULT, never a host crash.
struct GuestMemory {
    let base: UnsafeMutableRawPointer
    let size: Int

    init(_ memory: Memory) {
        base = memory.baseAddress
        size = memory.byteCount
    }

    func pointer(_ address: UInt32, _ count: Int) throws(WASIErrno) -> UnsafeMutableRawPointer {
        guard count >= 0, Int(address) + count <= size else { throw .fault }
        return base + Int(address)
    }

    func buffer(_ address: UInt32, _ count: UInt32) throws(WASIErrno) -> UnsafeMutableRawBufferPointer {
        UnsafeMutableRawBufferPointer(start: try pointer(address, Int(count)), count: Int(count))
    }

    func u32(_ address: UInt32) throws(WASIErrno) -> UInt32 {
        try pointer(address, 4).loadUnaligned(as: UInt32.self)
    }
    func u64(_ address: UInt32) throws(WASIErrno) -> UInt64 {
        try pointer(address, 8).loadUnaligned(as: UInt64.self)
    }
    func store<T: FixedWidthInteger>(_ value: T, at address: UInt32) throws(WASIErrno) {
        try pointer(address, MemoryLayout<T>.size).storeBytes(of: value.littleEndian, as: T.self)
    }

    /// A UTF-8 string argument; invalid UTF-8 is EILSEQ's WASI counterpart, EINVAL here.
    func string(_ address: UInt32, _ length: UInt32) throws(WASIErrno) -> String {
        let b = try buffer(address, length)
        guard let s = String(validating: b, as: UTF8.self), !s.utf8.contains(0) else { throw .inval }
        return s
    }

    /// The (buffer, length) pairs of an iovec array.
    func iovecs(_ address: UInt32, _ count: UInt32) throws(WASIErrno) -> [UnsafeMutableRawBufferPointer] {
        guard count <= 1024 else { throw .inval }
        var out: [UnsafeMutableRawBufferPointer] = []
        for i in 0..<count {
            let entry = address &+ i &* 8
            out.append(try buffer(try u32(entry), try u32(entry &+ 4)))
        }
        return out
    }
}

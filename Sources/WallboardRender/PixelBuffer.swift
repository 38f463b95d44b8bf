#if canImport(Glibc)
import Glibc
#endif

/// The memory of a bitmap's pixels, shared between copies of the bitmap until one of them draws.
///
/// A big screen's frame is tens of megabytes (33 MB at 4K, 75 MB on a 3×3 splicing wall). Such
/// a buffer is mapped from the kernel, which hands out zeroed pages, in 2 MB pages where it can:
/// faulting it in 4 KB at a time cost a fresh board more than drawing it did.
@usableFromInline
final class PixelBuffer: @unchecked Sendable {
    // Unchecked: the values are written only through a bitmap that holds the one reference
    // (`Bitmap` copies before it draws on a shared buffer), as an array's storage is.
    @usableFromInline let values: UnsafeMutableBufferPointer<UInt32>
    /// The mapping the values lie in; nil when they were allocated on the heap.
    private let mapping: UnsafeMutableRawBufferPointer?

    private static let hugePage = 2 << 20

    /// `count` pixels, all zero.
    init(count: Int) {
        (values, mapping) = PixelBuffer.allocate(count: count)
        if mapping == nil { values.initialize(repeating: 0) }
    }

    /// A copy of `other`'s pixels.
    @usableFromInline
    init(copying other: PixelBuffer) {
        (values, mapping) = PixelBuffer.allocate(count: other.values.count)
        _ = values.initialize(fromContentsOf: other.values)
    }

    /// `count` pixels, from the kernel when they fill a huge page or more (already zero), else
    /// from the heap (not yet initialised).
    private static func allocate(count: Int) -> (UnsafeMutableBufferPointer<UInt32>, UnsafeMutableRawBufferPointer?) {
        let bytes = count * MemoryLayout<UInt32>.stride
        #if canImport(Glibc)
        if bytes >= hugePage {
            // Mapped one huge page over, then trimmed to start on a huge-page boundary, so that
            // the kernel can back all of it with huge pages.
            let length = (bytes + hugePage - 1) / hugePage * hugePage
            let mapped = mmap(nil, length + hugePage, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
            if let mapped, Int(bitPattern: mapped) != -1 {
                let address = UInt(bitPattern: mapped)
                let aligned = (address + UInt(hugePage) - 1) / UInt(hugePage) * UInt(hugePage)
                let head = Int(aligned - address)
                if head > 0 { munmap(mapped, head) }
                if let tail = UnsafeMutableRawPointer(bitPattern: aligned + UInt(length)), hugePage - head > 0 {
                    munmap(tail, hugePage - head)
                }
                if let start = UnsafeMutableRawPointer(bitPattern: aligned) {
                    _ = madvise(start, length, MADV_HUGEPAGE)
                    let pixels = start.bindMemory(to: UInt32.self, capacity: count)
                    return (UnsafeMutableBufferPointer(start: pixels, count: count), UnsafeMutableRawBufferPointer(start: start, count: length))
                }
            }
        }
        #endif
        return (UnsafeMutableBufferPointer<UInt32>.allocate(capacity: count), nil)
    }

    deinit {
        #if canImport(Glibc)
        if let mapping, let start = mapping.baseAddress {
            munmap(start, mapping.count)
            return
        }
        #endif
        values.deallocate()
    }
}

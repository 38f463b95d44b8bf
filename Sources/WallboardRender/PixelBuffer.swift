#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// The memory of a bitmap's pixels, shared between copies of the bitmap until one of them draws.
///
/// A big screen's frame is tens of megabytes (33 MB at 4K, 75 MB on a 3×3 splicing wall). Such
/// a buffer is mapped from the kernel in 2 MB pages where it can: faulting it in 4 KB at a time
/// cost a fresh board more than drawing it did. A mapping let go of is kept for the next buffer
/// of its size (a frame copied before it is drawn on, a board bound anew): the kernel clears
/// every page it hands out, slower than the copy or the clear it saves.
@usableFromInline
final class PixelBuffer: @unchecked Sendable {
    // Unchecked: the values are written only through a bitmap that holds the one reference
    // (`Bitmap` copies before it draws on a shared buffer), as an array's storage is.
    @usableFromInline let values: UnsafeMutableBufferPointer<UInt32>
    /// The mapping the values lie in; nil when they were allocated on the heap.
    private let mapping: Mapping?

    private struct Mapping: Sendable {
        let address: UInt
        let length: Int
    }

    private static let hugePage = 2 << 20
    /// Mappings let go of, by length, and the most kept of one length and in all.
    private static let spare = Mutex<[Int: [Mapping]]>([:])
    private static let sparePerLength = 2
    private static let spareBytes = 512 << 20

    /// `count` pixels, all zero.
    init(count: Int) {
        let fresh: Bool
        (values, mapping, fresh) = PixelBuffer.allocate(count: count)
        if !fresh { values.initialize(repeating: 0) }
    }

    /// A copy of `other`'s pixels.
    @usableFromInline
    init(copying other: PixelBuffer) {
        (values, mapping, _) = PixelBuffer.allocate(count: other.values.count)
        _ = values.initialize(fromContentsOf: other.values)
    }

    /// `count` pixels: mapped when they fill a huge page or more, else from the heap; `fresh`
    /// when the kernel has just cleared them.
    private static func allocate(count: Int) -> (UnsafeMutableBufferPointer<UInt32>, Mapping?, fresh: Bool) {
        let bytes = count * MemoryLayout<UInt32>.stride
        #if canImport(Glibc)
        if bytes >= hugePage {
            let length = (bytes + hugePage - 1) / hugePage * hugePage
            let kept = spare.withLock { spare in spare[length]?.popLast() }
            if let mapping = kept ?? map(length: length), let start = UnsafeMutablePointer<UInt32>(bitPattern: mapping.address) {
                return (UnsafeMutableBufferPointer(start: start, count: count), mapping, kept == nil)
            }
        }
        #endif
        return (UnsafeMutableBufferPointer<UInt32>.allocate(capacity: count), nil, false)
    }

    #if canImport(Glibc)
    /// A new mapping of `length` bytes (a whole number of huge pages), starting on a huge-page
    /// boundary so that the kernel can back all of it with huge pages.
    private static func map(length: Int) -> Mapping? {
        // Mapped one huge page over, then trimmed at both ends to the boundary.
        guard let mapped = mmap(nil, length + hugePage, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
              Int(bitPattern: mapped) != -1 else { return nil }
        let address = UInt(bitPattern: mapped)
        let aligned = (address + UInt(hugePage) - 1) / UInt(hugePage) * UInt(hugePage)
        let head = Int(aligned - address)
        if head > 0 { munmap(mapped, head) }
        if hugePage - head > 0, let tail = UnsafeMutableRawPointer(bitPattern: aligned + UInt(length)) {
            munmap(tail, hugePage - head)
        }
        guard let start = UnsafeMutableRawPointer(bitPattern: aligned) else { return nil }
        _ = madvise(start, length, MADV_HUGEPAGE)
        return Mapping(address: aligned, length: length)
    }
    #endif

    deinit {
        #if canImport(Glibc)
        if let mapping {
            let kept = PixelBuffer.spare.withLock { spare in
                let held = spare.values.joined().reduce(0) { $0 + $1.length }
                guard spare[mapping.length, default: []].count < PixelBuffer.sparePerLength,
                      held + mapping.length <= PixelBuffer.spareBytes else { return false }
                spare[mapping.length, default: []].append(mapping)
                return true
            }
            if !kept, let start = UnsafeMutableRawPointer(bitPattern: mapping.address) { munmap(start, mapping.length) }
            return
        }
        #endif
        values.deallocate()
    }
}

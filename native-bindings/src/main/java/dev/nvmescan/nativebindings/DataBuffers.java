package dev.nvmescan.nativebindings;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/** Page-aligned buffers for command data, as the kernel maps user pages for a passthrough command. */
public final class DataBuffers {
    /** The page size assumed for alignment; x86-64 and arm64 Linux default. */
    public static final long PAGE_SIZE = 4096;

    /** The size of every Identify data structure. */
    public static final long IDENTIFY_SIZE = 4096;

    private DataBuffers() {}

    /**
     * Allocates a zeroed, page-aligned buffer of {@code size} bytes in {@code arena}.
     *
     * @param arena where the buffer lives; it must outlive the commands that use it
     * @param size  the size in bytes, positive
     * @return the buffer
     */
    public static MemorySegment allocate(Arena arena, long size) {
        if (size <= 0)
            throw new IllegalArgumentException("buffer size must be positive: " + size);
        return arena.allocate(size, PAGE_SIZE);
    }
}

package dev.nvmescan.nativebindings;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.CompletableFuture;

/**
 * Where admin commands go: a controller opened through ioctl, the same controller driven through
 * io_uring, or the simulated controller. Safe for any number of threads issuing commands at once.
 *
 * <p>The data buffer is a page-aligned segment from {@link DataBuffers}; the command's data length
 * is always {@code data.byteSize()}, and {@link MemorySegment#NULL} means no data transfer.
 */
public interface AdminChannel extends AutoCloseable {

    /**
     * Executes a command, blocking the calling thread until it completes.
     *
     * @return the completion queue entry's command-specific result (dword 0)
     * @throws NvmeStatusException    the controller answered with a non-zero status
     * @throws NativeCallException    a system call failed (errno)
     * @throws CommandTimeoutException the command did not complete within its timeout
     */
    int execute(AdminCommand command, MemorySegment data) throws NvmeException;

    /**
     * Submits a command without blocking the caller (beyond waiting for a free in-flight slot).
     * The future completes with dword 0, or exceptionally with an {@link NvmeException}.
     */
    CompletableFuture<Integer> submit(AdminCommand command, MemorySegment data);

    /** The most commands this channel keeps in flight at once. */
    int maxInFlight();

    /** The device this channel talks to, for messages: {@code /dev/nvme0}, {@code sim:?...}. */
    String device();

    /** Which mechanism carries the commands: {@code ioctl}, {@code io_uring} or {@code sim}. */
    String backend();

    @Override
    void close();
}

package dev.nvmescan.nativebindings;

import java.lang.foreign.MemorySegment;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;

/**
 * Where admin commands go: a controller opened through ioctl, the same controller driven through
 * io_uring, or the simulated controller; {@link AdminChannels#open} opens one. Safe for any number of
 * threads issuing commands at once. Every channel refuses commands that are not read-only unless it
 * was opened with the opt-in ({@link AdminOpcode#requireAllowed}).
 *
 * <p>The data buffer is a page-aligned segment from {@link DataBuffers}; the command's data length
 * is always {@code data.byteSize()}, and {@link MemorySegment#NULL} means no data transfer.
 */
public interface AdminChannel extends AutoCloseable {

    /**
     * Executes a command, blocking the calling thread until it completes.
     *
     * @param command the command
     * @param data    its data buffer, or {@link MemorySegment#NULL} for none
     * @return the completion queue entry's command-specific result (dword 0)
     * @throws NvmeStatusException    the controller answered with a non-zero status
     * @throws NativeCallException    a system call failed (errno)
     * @throws CommandTimeoutException the command did not complete within its timeout
     * @throws CommandRefusedException the opcode is not read-only and the channel has no opt-in
     */
    int execute(AdminCommand command, MemorySegment data) throws NvmeException;

    /**
     * Submits a command without blocking the caller (beyond waiting for a free in-flight slot).
     * The future completes with dword 0, or exceptionally with an {@link NvmeException}.
     *
     * @param command the command
     * @param data    its data buffer, or {@link MemorySegment#NULL} for none; it must stay alive
     *                until the future completes
     * @return the future of the completion's dword 0
     */
    CompletableFuture<Integer> submit(AdminCommand command, MemorySegment data);

    /** {@return the most commands this channel keeps in flight at once} */
    int maxInFlight();

    /** {@return the device this channel talks to, for messages: {@code /dev/nvme0}, {@code sim:?...}} */
    String device();

    /** {@return which mechanism carries the commands: {@code ioctl}, {@code io_uring} or {@code sim}} */
    String backend();

    /**
     * Whether {@link #execute} holds its thread in a native call for the whole command, as the
     * passthrough ioctl does: a virtual thread cannot unmount there and keeps its carrier, so on a
     * machine with two cores only two such commands run at once from virtual threads. Callers that
     * want many commands in flight run them on platform threads, or use {@link #submit}.
     *
     * @return whether a command pins the carrier of a virtual thread that executes it
     */
    boolean pinsCarrier();

    /**
     * {@return the namespace the device file stands for, where it is a namespace device
     * ({@code /dev/nvme0n1}, {@code /dev/ng0n1}: the driver's {@code NVME_IOCTL_ID}, never the
     * number in the name); empty for a controller}
     */
    default OptionalInt namespaceId() {
        return OptionalInt.empty();
    }

    @Override
    void close();
}

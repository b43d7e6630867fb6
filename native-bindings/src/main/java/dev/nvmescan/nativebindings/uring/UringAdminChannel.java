package dev.nvmescan.nativebindings.uring;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import dev.nvmescan.nativebindings.AdminChannel;
import dev.nvmescan.nativebindings.AdminCommand;
import dev.nvmescan.nativebindings.AdminOpcode;
import dev.nvmescan.nativebindings.CommandTimeoutException;
import dev.nvmescan.nativebindings.DataBuffers;
import dev.nvmescan.nativebindings.Errno;
import dev.nvmescan.nativebindings.NativeCallException;
import dev.nvmescan.nativebindings.NvmeException;
import dev.nvmescan.nativebindings.NvmeStatusException;
import dev.nvmescan.nativebindings.linux.Passthru;
import dev.nvmescan.nativebindings.linux.Syscalls;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Admin commands to an NVMe controller through io_uring: {@code IORING_OP_URING_CMD} with
 * {@code NVME_URING_CMD_ADMIN} on the controller's character device {@code /dev/nvmeX}, on a ring
 * of 128-byte SQEs and 32-byte CQEs. Needs Linux 5.19 or later. The NVMe driver takes admin
 * commands over io_uring only there: a namespace device ({@code /dev/ngXnY}) answers
 * {@code ENOTTY} and a block device {@code EOPNOTSUPP}, which {@link #probe} reports as a refusal.
 *
 * <p>Unlike an ioctl, a command here does not hold a thread while the device works: a virtual
 * thread in {@link #execute} unmounts while it waits, so {@link #maxInFlight()} commands can be in
 * flight from any number of threads. One completion thread completes them all; dependent actions
 * registered on a {@link #submit} future without an executor run on it, so keep them short.
 *
 * <p>The kernel transfers data to and from a page-aligned buffer owned by the command, never the
 * caller's segment: a command outlives a caller that stops waiting, and a closed channel leaves
 * buffers the kernel may still write alone. The data is copied in before submission
 * ({@link AdminOpcode#transfersToController}) and out after success
 * ({@link AdminOpcode#transfersToHost}; both for a bidirectional opcode), by {@link #execute} on the
 * calling thread, by {@link #submit} on the completion thread.
 *
 * <p>Results follow the passthrough ioctl: CQE {@code res} 0 is success and {@code big_cqe[0]} the
 * completion's dword 0; a positive {@code res} is an NVMe status ({@link NvmeStatusException}); a
 * negative one an errno ({@link NativeCallException}), except {@code -EINTR}, which the NVMe driver
 * returns for a command it cancelled after its timeout. That, and the statuses Command Abort
 * Requested and Host Aborted Command, are reported as {@link CommandTimeoutException}.
 */
public final class UringAdminChannel implements AdminChannel {
    /**
     * In-flight bound where the controller's own is unknown: Linux 6.1 to 7.2 give an admin queue 30
     * tags, 28 of them free on fabrics (2 kept for connect and keep-alive), and a command beyond the
     * free tags takes io_uring's punt path, which came back with EFAULT on each of those kernels
     * (NVMe/TCP, 500 namespaces at 50 ms: from 30 in flight; never at 28 or 29). The ioctl just
     * sleeps for a tag.
     */
    public static final int DEFAULT_MAX_IN_FLIGHT = 28;

    private final String device;
    private final Syscalls.OpenFile file;
    private final int fd;
    private final boolean allowDestructive;
    private final UringDispatcher dispatcher;
    private final AtomicBoolean closed = new AtomicBoolean();

    private UringAdminChannel(Syscalls.OpenFile file, boolean allowDestructive, UringDispatcher dispatcher) {
        this.device = file.path();
        this.file = file;
        this.fd = file.fd();
        this.allowDestructive = allowDestructive;
        this.dispatcher = dispatcher;
    }

    /** Opens {@code device} read-only for {@code maxInFlight} commands at once. */
    public static UringAdminChannel open(Path device, int maxInFlight) throws NvmeException {
        return open(device, maxInFlight, false);
    }

    /**
     * open - open {@code device} and set up a ring for {@code maxInFlight} commands at once
     *
     * <p>Only the ring is set up here; whether the device accepts io_uring passthrough shows with
     * the first command ({@link #probe} tries one).
     * @param allowDestructive send every admin opcode, not only the read-only ones, and open the
     *                         file read-write
     * @throws NativeCallException open, io_uring_setup or mmap failed
     */
    public static UringAdminChannel open(Path device, int maxInFlight, boolean allowDestructive) throws NvmeException {
        if (maxInFlight < 1 || maxInFlight > 4096)
            throw new IllegalArgumentException("maxInFlight must be 1 to 4096: " + maxInFlight);
        String name = device.toString();
        Syscalls.OpenFile file = Syscalls.open(name,
                (allowDestructive ? Syscalls.O_RDWR : Syscalls.O_RDONLY) | Syscalls.O_CLOEXEC);
        try {
            IoUring ring = IoUring.setup(maxInFlight + 1,
                    IoUringAbi.IORING_SETUP_SQE128 | IoUringAbi.IORING_SETUP_CQE32, name);
            return new UringAdminChannel(file, allowDestructive, UringDispatcher.start(ring, maxInFlight, name));
        } catch (NvmeException | RuntimeException | Error e) {
            file.close();
            throw e;
        }
    }

    /**
     * What {@link #probe} found.
     * @param channel the channel, when the device takes io_uring passthrough; else null
     * @param refusal why not, for the user ({@code io_uring_setup: Invalid argument (EINVAL)}, ...);
     *                null when {@code channel} is set
     */
    public record Probe(UringAdminChannel channel, String refusal) {
        public Probe {
            if ((channel == null) == (refusal == null))
                throw new IllegalArgumentException("a probe has a channel or a refusal");
        }
    }

    /**
     * probe - open {@code device} if the kernel and the device take io_uring passthrough
     *
     * <p>Sets up the ring and probes it with Identify Controller. A status proves passthrough works;
     * a timeout is thrown, as the ioctl probe would throw it. A refusal is returned when the kernel
     * refuses the ring (io_uring_setup: {@code EINVAL} for SQE128/CQE32 before 5.19, {@code ENOSYS},
     * or {@code EPERM} where io_uring is disabled) or the command ({@code EOPNOTSUPP}, {@code ENOTTY},
     * {@code EINVAL}, {@code ENOSYS}: no passthrough on this file, a block device for example), or
     * when the command succeeds without data. Any other failure, such as a missing device or a
     * denied open, is thrown: another way to the device would meet it too.
     *
     * @param probeTimeout how long the probing Identify may take ({@link Duration#ZERO}: the
     *                     kernel's admin timeout)
     */
    public static Probe probe(Path device, int maxInFlight, Duration probeTimeout, boolean allowDestructive)
            throws NvmeException {
        UringAdminChannel ring;
        try {
            ring = open(device, maxInFlight, allowDestructive);
        } catch (NativeCallException e) {
            if (!e.call().equals("io_uring_setup") || !refusedSetup(e.errno()))
                throw e;
            return new Probe(null, e.getMessage());
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment id = DataBuffers.allocate(arena, DataBuffers.IDENTIFY_SIZE);
            ring.execute(AdminCommand.identify(AdminCommand.CNS_CONTROLLER, 0, AdminCommand.CSI_NVM).withTimeout(probeTimeout), id);
            if (isAllZero(id)) {
                // Success without data: a file that takes any URING_CMD (/dev/null does since 5.19),
                // not an NVMe controller, whose serial and model number are never zero bytes.
                ring.close();
                return new Probe(null, "the device answered Identify with no data");
            }
        } catch (NvmeStatusException e) {
            // A status came from the device: passthrough over io_uring works.
        } catch (NativeCallException e) {
            ring.close();
            if (!refusedCommand(e.errno()))
                throw e;
            return new Probe(null, e.getMessage());
        } catch (NvmeException | RuntimeException | Error e) {
            ring.close();                   // a timeout: say so, as the ioctl probe would
            throw e;
        }
        return new Probe(ring, null);
    }

    private static boolean refusedSetup(int errno) {
        return errno == Errno.EINVAL || errno == Errno.ENOSYS || errno == Errno.EPERM || errno == Errno.EOPNOTSUPP;
    }

    private static boolean refusedCommand(int errno) {
        return errno == Errno.EOPNOTSUPP || errno == Errno.ENOTTY || errno == Errno.EINVAL || errno == Errno.ENOSYS;
    }

    private static boolean isAllZero(MemorySegment data) {
        return data.mismatch(MemorySegment.ofArray(new byte[(int) data.byteSize()])) == -1;
    }

    /**
     * {@inheritDoc}
     * <p>Waits uninterruptibly, as an ioctl would (the interrupt status is kept); a virtual thread
     * unmounts meanwhile. {@code data} may be confined to the calling thread.
     * @throws IllegalStateException called from a completion callback (on the completion thread)
     */
    @Override
    public int execute(AdminCommand command, MemorySegment data) throws NvmeException {
        AdminOpcode.requireAllowed(device, command, allowDestructive);
        if (Thread.currentThread() == dispatcher.completionThread())
            throw new IllegalStateException(device + ": execute() in a completion callback would wait for"
                    + " itself; use submit()");
        AdminOperation op = new AdminOperation(command, data, false);
        dispatcher.submit(op);
        int dword0;
        try {
            dword0 = op.result.join();
        } catch (CompletionException e) {
            throw NvmeException.propagate(e.getCause());
        }
        op.deliver();
        return dword0;
    }

    /**
     * {@inheritDoc}
     * <p>{@code data} must be accessible from the completion thread (a shared, automatic or global
     * arena), which copies the result into it before completing the future.
     * @throws IllegalArgumentException {@code data} is confined to a thread
     */
    @Override
    public CompletableFuture<Integer> submit(AdminCommand command, MemorySegment data) {
        AdminOpcode.requireAllowed(device, command, allowDestructive);
        if (!data.isAccessibleBy(dispatcher.completionThread()))
            throw new IllegalArgumentException(device + ": submit() needs a data segment the completion thread"
                    + " can access (shared, automatic or global arena); a confined one works with execute()");
        AdminOperation op = new AdminOperation(command, data, true);
        dispatcher.submit(op);
        return op.result;
    }

    @Override
    public int maxInFlight() {
        return dispatcher.maxInFlight();
    }

    @Override
    public String device() {
        return device;
    }

    @Override
    public String backend() {
        return "io_uring";
    }

    /** {@inheritDoc} <p>Never: a waiting virtual thread unmounts. */
    @Override
    public boolean pinsCarrier() {
        return false;
    }

    /**
     * Stops the completion thread, fails commands still in flight with ECANCELED, closes the ring
     * and the device. The device descriptor may close before commands the kernel still runs: each
     * holds its own reference to the file. Idempotent.
     */
    @Override
    public void close() {
        dispatcher.close();
        if (closed.compareAndSet(false, true))
            file.close();
    }

    /** One admin command: its own data buffer, the SQE it fills, and its result. */
    private final class AdminOperation implements UringDispatcher.Operation {
        final AdminCommand command;
        final MemorySegment data;
        final MemorySegment buffer;
        final boolean toDevice, fromDevice;
        final boolean deliverOnCompletion;
        final CompletableFuture<Integer> result = new CompletableFuture<>();

        AdminOperation(AdminCommand command, MemorySegment data, boolean deliverOnCompletion) {
            this.command = Objects.requireNonNull(command, "command");
            this.data = Objects.requireNonNull(data, "data");
            if (data.byteSize() > 0xffff_ffffL)
                throw new IllegalArgumentException("data buffer larger than 4 GiB: " + data.byteSize());
            this.toDevice = AdminOpcode.transfersToController(command.opcode());
            this.fromDevice = AdminOpcode.transfersToHost(command.opcode());
            this.deliverOnCompletion = deliverOnCompletion;
            // Freed by the garbage collector once neither the dispatcher nor the caller holds this.
            this.buffer = data.byteSize() == 0 ? MemorySegment.NULL
                    : DataBuffers.allocate(Arena.ofAuto(), data.byteSize());
            if (toDevice)
                buffer.copyFrom(data);
        }

        @Override
        public void prepare(MemorySegment sqe) {
            sqe.set(JAVA_BYTE, IoUringAbi.SQE_OPCODE, IoUringAbi.IORING_OP_URING_CMD);
            sqe.set(JAVA_INT, IoUringAbi.SQE_FD, fd);
            sqe.set(JAVA_INT, IoUringAbi.SQE_CMD_OP, NvmeUringCmd.NVME_URING_CMD_ADMIN);
            NvmeUringCmd.write(sqe.asSlice(IoUringAbi.SQE_CMD, NvmeUringCmd.LAYOUT.byteSize()), command, buffer);
        }

        @Override
        public void complete(int res, long extra) {
            if (res != 0) {
                result.completeExceptionally(failure(device, command, res));
                return;
            }
            if (deliverOnCompletion) {
                try {
                    deliver();
                } catch (RuntimeException e) {  // the caller closed data's arena meanwhile
                    result.completeExceptionally(e);
                    return;
                }
            }
            result.complete((int) extra);
        }

        @Override
        public void fail(Throwable cause) {
            result.completeExceptionally(cause);
        }

        /** Copies what the controller transferred into the caller's segment. */
        void deliver() {
            if (fromDevice && buffer.byteSize() > 0)
                data.copyFrom(buffer);
        }
    }

    /**
     * failure - the exception for a non-zero passthrough result; see {@link Passthru#failure}
     * @param res negative errno or positive NVMe status, as the NVMe driver reports either way
     */
    static Exception failure(String device, AdminCommand command, int res) {
        return Passthru.failure("io_uring_cmd", device, command, res);
    }
}

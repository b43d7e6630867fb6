package dev.nvmescan.nativebindings;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Admin commands to an NVMe controller through io_uring: {@code IORING_OP_URING_CMD} with
 * {@code NVME_URING_CMD_ADMIN} on the controller's character device {@code /dev/nvmeX}, on a ring
 * of 128-byte SQEs and 32-byte CQEs. Needs Linux 5.19 or later. The NVMe driver takes admin
 * commands over io_uring only there: a namespace device ({@code /dev/ngXnY}) answers
 * {@code ENOTTY} and a block device {@code EOPNOTSUPP}, on which {@link #openPreferred} falls back.
 *
 * <p>Unlike an ioctl, a command here does not hold a thread while the device works: a virtual
 * thread in {@link #execute} unmounts while it waits, so {@link #maxInFlight()} commands can be in
 * flight from any number of threads. One completion thread completes them all; dependent actions
 * registered on a {@link #submit} future without an executor run on it, so keep them short.
 *
 * <p>The kernel transfers data to and from a page-aligned buffer owned by the command, never the
 * caller's segment: a command outlives a caller that stops waiting, and a closed channel leaves
 * buffers the kernel may still write alone. The data is copied in before submission (opcodes with
 * bit 0 set, host to controller) or out after success (all others), by {@link #execute} on the
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
     * In-flight bound by default, and the most that is safe: Linux's admin queues take 30 commands
     * from blk-mq, 29 on fabrics (one tag is reserved), and on 6.1 a command beyond them takes
     * io_uring's punt path, which came back with EFAULT (194 of 1000 namespaces at 30 in flight over
     * NVMe/TCP; none at 28). The ioctl just sleeps for a tag.
     */
    public static final int DEFAULT_MAX_IN_FLIGHT = 28;

    private static final MethodHandle OPEN = Libc.downcall("open",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT), Linker.Option.firstVariadicArg(2));
    private static final MethodHandle CLOSE = Libc.downcall("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final int O_RDONLY = 0, O_CLOEXEC = 0x80000;

    private final String device;
    private final int fd;
    private final UringDispatcher dispatcher;
    private final AtomicBoolean closed = new AtomicBoolean();

    private UringAdminChannel(String device, int fd, UringDispatcher dispatcher) {
        this.device = device;
        this.fd = fd;
        this.dispatcher = dispatcher;
    }

    /** Opens {@code device} with {@link #DEFAULT_MAX_IN_FLIGHT}. */
    public static UringAdminChannel open(Path device) throws NvmeException {
        return open(device, DEFAULT_MAX_IN_FLIGHT);
    }

    /**
     * open - open {@code device} and set up a ring for {@code maxInFlight} commands at once
     *
     * <p>Only the ring is set up here; whether the device accepts io_uring passthrough shows with
     * the first command ({@link #openPreferred} tries one).
     * @throws NativeCallException open, io_uring_setup or mmap failed
     */
    public static UringAdminChannel open(Path device, int maxInFlight) throws NvmeException {
        if (maxInFlight < 1 || maxInFlight > 4096)
            throw new IllegalArgumentException("maxInFlight must be 1 to 4096: " + maxInFlight);
        String name = device.toString();
        int fd = openDevice(name);
        try {
            IoUring ring = IoUring.setup(maxInFlight + 1,
                    IoUringAbi.IORING_SETUP_SQE128 | IoUringAbi.IORING_SETUP_CQE32, name);
            return new UringAdminChannel(name, fd, UringDispatcher.start(ring, maxInFlight, name));
        } catch (NvmeException | RuntimeException | Error e) {
            closeDevice(fd);
            throw e;
        }
    }

    /** Opens the channel to fall back on when io_uring is refused; typically the ioctl channel. */
    @FunctionalInterface
    public interface Fallback {
        AdminChannel open(Path device) throws NvmeException;
    }

    /**
     * The channel {@link #openPreferred} chose.
     * @param fallbackReason why it is not io_uring, for the user; empty when it is
     */
    public record Selection(AdminChannel channel, Optional<String> fallbackReason) {
        public Selection {
            Objects.requireNonNull(channel, "channel");
            Objects.requireNonNull(fallbackReason, "fallbackReason");
        }
    }

    /**
     * openPreferred - io_uring if the kernel and device take it, else {@code fallback}
     *
     * <p>Sets up the ring and probes it with Identify Controller. A status proves passthrough works;
     * a timeout is thrown, as the ioctl probe would throw it. Falls back when the kernel refuses
     * the ring (io_uring_setup: {@code EINVAL} for SQE128/CQE32 before 5.19, {@code ENOSYS}, or
     * {@code EPERM} where io_uring is disabled) or the command ({@code EOPNOTSUPP}, {@code ENOTTY},
     * {@code EINVAL}, {@code ENOSYS}: no passthrough on this file, a block device for example).
     * Any other failure, such as a missing device or a denied open, is thrown: the fallback would
     * meet it too.
     *
     * @param probeTimeout how long the probing Identify may take ({@link Duration#ZERO}: the
     *                     kernel's admin timeout)
     */
    public static Selection openPreferred(Path device, int maxInFlight, Duration probeTimeout, Fallback fallback)
            throws NvmeException {
        UringAdminChannel ring;
        try {
            ring = open(device, maxInFlight);
        } catch (NativeCallException e) {
            if (!e.call().equals("io_uring_setup") || !refusedSetup(e.errno()))
                throw e;
            return fallBack(device, fallback, e.getMessage());
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment id = DataBuffers.allocate(arena, DataBuffers.IDENTIFY_SIZE);
            ring.execute(AdminCommand.identify(AdminCommand.CNS_CONTROLLER, 0, AdminCommand.CSI_NVM).withTimeout(probeTimeout), id);
            if (isAllZero(id)) {
                // Success without data: a file that takes any URING_CMD (/dev/null does since 5.19),
                // not an NVMe controller, whose serial and model number are never zero bytes.
                ring.close();
                return fallBack(device, fallback, "the device answered Identify with no data");
            }
        } catch (NativeCallException e) {
            ring.close();
            if (!refusedCommand(e.errno()))
                throw e;
            return fallBack(device, fallback, e.getMessage());
        } catch (CommandTimeoutException e) {
            ring.close();                   // the device did not answer in time: say so, as ioctl would
            throw e;
        } catch (NvmeException e) {
            // A status came from the device: passthrough over io_uring works.
        }
        return new Selection(ring, Optional.empty());
    }

    private static boolean refusedSetup(int errno) {
        return errno == Errno.EINVAL || errno == Errno.ENOSYS || errno == Errno.EPERM || errno == Errno.EOPNOTSUPP;
    }

    private static boolean refusedCommand(int errno) {
        return errno == Errno.EOPNOTSUPP || errno == Errno.ENOTTY || errno == Errno.EINVAL || errno == Errno.ENOSYS;
    }

    private static Selection fallBack(Path device, Fallback fallback, String why) throws NvmeException {
        AdminChannel channel = fallback.open(device);
        return new Selection(channel, Optional.of("io_uring not available (" + why + "), using " + channel.backend()));
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
        if (Thread.currentThread() == dispatcher.completionThread())
            throw new IllegalStateException(device + ": execute() in a completion callback would wait for"
                    + " itself; use submit()");
        AdminOperation op = new AdminOperation(command, data, false);
        dispatcher.submit(op);
        int dword0;
        try {
            dword0 = op.result.join();
        } catch (CompletionException e) {
            throw rethrow(e.getCause());
        }
        op.deliver();
        return dword0;
    }

    private static NvmeException rethrow(Throwable cause) {
        if (cause instanceof NvmeException e)
            return e;
        if (cause instanceof RuntimeException e)
            throw e;
        if (cause instanceof Error e)
            throw e;
        throw new IllegalStateException(cause);
    }

    /**
     * {@inheritDoc}
     * <p>{@code data} must be accessible from the completion thread (a shared, automatic or global
     * arena), which copies the result into it before completing the future.
     * @throws IllegalArgumentException {@code data} is confined to a thread
     */
    @Override
    public CompletableFuture<Integer> submit(AdminCommand command, MemorySegment data) {
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

    /**
     * Stops the completion thread, fails commands still in flight with ECANCELED, closes the ring
     * and the device. The device descriptor may close before commands the kernel still runs: each
     * holds its own reference to the file. Idempotent.
     */
    @Override
    public void close() {
        dispatcher.close();
        if (closed.compareAndSet(false, true))
            closeDevice(fd);
    }

    /** One admin command: its own data buffer, the SQE it fills, and its result. */
    private final class AdminOperation implements UringDispatcher.Operation {
        final AdminCommand command;
        final MemorySegment data;
        final MemorySegment buffer;
        final boolean toDevice;
        final boolean deliverOnCompletion;
        final CompletableFuture<Integer> result = new CompletableFuture<>();

        AdminOperation(AdminCommand command, MemorySegment data, boolean deliverOnCompletion) {
            this.command = Objects.requireNonNull(command, "command");
            this.data = Objects.requireNonNull(data, "data");
            if (data.byteSize() > 0xffff_ffffL)
                throw new IllegalArgumentException("data buffer larger than 4 GiB: " + data.byteSize());
            this.toDevice = (command.opcode() & 1) != 0;
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
        public void fail(NvmeException cause) {
            result.completeExceptionally(cause);
        }

        /** Copies what the controller transferred into the caller's segment. */
        void deliver() {
            if (!toDevice && buffer.byteSize() > 0)
                data.copyFrom(buffer);
        }
    }

    /**
     * failure - the exception for a non-zero passthrough result; see {@link NvmeIoctl#failure}
     * @param res negative errno or positive NVMe status, as the NVMe driver reports either way
     */
    static Exception failure(String device, AdminCommand command, int res) {
        return NvmeIoctl.failure("io_uring_cmd", device, command, res);
    }

    private static int openDevice(String path) throws NativeCallException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = Libc.allocateErrno(arena);
            int fd = (int) OPEN.invokeExact(errno, arena.allocateFrom(path), O_RDONLY | O_CLOEXEC);
            if (fd < 0)
                throw new NativeCallException("open", path, Libc.errno(errno));
            return fd;
        } catch (NativeCallException e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    private static void closeDevice(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            int unused = (int) CLOSE.invokeExact(Libc.allocateErrno(arena), fd);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }
}

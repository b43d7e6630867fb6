package dev.nvmescan.nativebindings.ioctl;

import dev.nvmescan.nativebindings.AdminChannel;
import dev.nvmescan.nativebindings.AdminCommand;
import dev.nvmescan.nativebindings.AdminOpcode;
import dev.nvmescan.nativebindings.CommandRefusedException;
import dev.nvmescan.nativebindings.DataBuffers;
import dev.nvmescan.nativebindings.Errno;
import dev.nvmescan.nativebindings.NativeCallException;
import dev.nvmescan.nativebindings.NvmeException;
import dev.nvmescan.nativebindings.NvmeStatusException;
import dev.nvmescan.nativebindings.linux.DeviceFile;
import dev.nvmescan.nativebindings.linux.Passthru;
import dev.nvmescan.nativebindings.linux.Syscalls;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An NVMe controller opened through its device file, taking admin commands by the passthrough
 * ioctl. The file may be the controller's character device {@code /dev/nvmeX}, a namespace block
 * device {@code /dev/nvmeXnY} or a namespace character device {@code /dev/ngXnY}: the NVMe driver
 * takes admin commands on each. {@link #open} checks that the file is NVMe; anything else fails
 * with {@link NativeCallException} carrying {@code ENOTTY} ("not an NVMe device").
 *
 * <p>Safe for any number of threads. A command blocks its thread in the kernel for as long as the
 * device takes; a virtual thread stays pinned to its carrier meanwhile (a native call cannot
 * unmount), so on a machine with two cores two ioctls run at once however many virtual threads
 * wait ({@link #pinsCarrier()}); io_uring does not have that limit.
 *
 * <p>Implementation overview. Three pieces of state, each touched once or with one CAS:
 * <ul>
 * <li>{@code admin}: the request that carries admin commands. Unknown at first; the first command
 * tries {@code NVME_IOCTL_ADMIN64_CMD} (64-bit result, Linux 5.5 and later) and, if the driver
 * answers {@code ENOTTY}, {@code NVME_IOCTL_ADMIN_CMD}; the outcome is remembered for the handle.
 * Threads that race on the first command may each try both: harmless, they store the same answer.
 * <li>{@code users}: the number of commands inside the kernel, with bit 31 set once closed. A
 * command enters only while the bit is clear; whoever leaves the count at "closed, none inside"
 * closes the descriptor: {@link #close} if nothing is in flight, else the last command to return.
 * So a descriptor number is never closed (and reused by the process) under a running ioctl.
 * <li>{@code slots}: a semaphore of {@link #maxInFlight} permits around every command.
 * </ul>
 * The kernel transfers data to and from a page-aligned buffer of the command's own, copied from
 * the caller's segment before and back after success: a caller's arena closed by another thread
 * while the ioctl runs then costs an exception, never a write into freed memory.
 */
public final class IoctlAdminChannel implements AdminChannel {
    /** In-flight bound by default: about what the driver's admin queue holds (30 tags). */
    public static final int DEFAULT_MAX_IN_FLIGHT = 30;

    private static final int UNKNOWN = 0;
    private static final int CLOSED = 1 << 31;

    private final String device;
    private final DeviceFile file;
    private final int namespaceId;
    private final boolean allowDestructive;
    private final int maxInFlight;
    private final Semaphore slots;
    private final AtomicInteger users = new AtomicInteger();
    private volatile int admin = UNKNOWN;

    IoctlAdminChannel(String device, DeviceFile file, int namespaceId, int maxInFlight, boolean allowDestructive) {
        if (maxInFlight < 1)
            throw new IllegalArgumentException("maxInFlight must be positive: " + maxInFlight);
        this.device = Objects.requireNonNull(device, "device");
        this.file = Objects.requireNonNull(file, "file");
        this.namespaceId = namespaceId;
        this.allowDestructive = allowDestructive;
        this.maxInFlight = maxInFlight;
        this.slots = new Semaphore(maxInFlight);
    }

    /** Opens {@code path} read-only with {@link #DEFAULT_MAX_IN_FLIGHT} and the kernel's probe timeout. */
    public static IoctlAdminChannel open(Path path) throws NvmeException {
        return open(path, DEFAULT_MAX_IN_FLIGHT, Duration.ZERO, false);
    }

    /**
     * open - open an NVMe controller, or one of its namespaces, for admin commands
     *
     * <p>Checks that the file is an NVMe device: {@code NVME_IOCTL_ID} answers on a namespace
     * device; on anything else, an Identify Controller must get through to a controller.
     *
     * @param maxInFlight      the most commands in the kernel at once, from all threads
     * @param probeTimeout     how long the identifying command may take ({@link Duration#ZERO}: the
     *                         kernel's admin timeout, 60 s by default)
     * @param allowDestructive send every admin opcode, not only the read-only ones
     *                         ({@link AdminOpcode#readOnly()}), and open the file read-write, which the
     *                         driver wants for them from a user without CAP_SYS_ADMIN
     * @throws NativeCallException open failed (ENOENT, EACCES, ...), or the file is not an NVMe
     *                             device (ENOTTY)
     * @throws NvmeException       the identifying command failed otherwise (timeout)
     */
    public static IoctlAdminChannel open(Path path, int maxInFlight, Duration probeTimeout, boolean allowDestructive)
            throws NvmeException {
        String name = path.toString();
        int flags = (allowDestructive ? Syscalls.O_RDWR : Syscalls.O_RDONLY) | Syscalls.O_CLOEXEC;
        DeviceFile file = Syscalls.open(name, flags);
        try {
            return probe(name, file, maxInFlight, probeTimeout, allowDestructive);
        } catch (NvmeException | RuntimeException | Error e) {
            file.close();
            throw e;
        }
    }

    /**
     * probe - a controller on {@code file} if it is an NVMe device
     * <p>On a namespace device {@code NVME_IOCTL_ID} returns the namespace ID. A controller's
     * character device answers it with ENOTTY, like a file that is not NVMe at all; there an
     * Identify Controller decides (and settles which admin request the driver takes). A status
     * from the device proves it NVMe as well as success does.
     */
    static IoctlAdminChannel probe(String name, DeviceFile file, int maxInFlight, Duration timeout, boolean allowDestructive)
            throws NvmeException {
        int nsid = file.ioctl(NvmeIoctl.NVME_IOCTL_ID, MemorySegment.NULL);
        if (nsid < 0 && nsid != -Errno.ENOTTY)
            throw new NativeCallException("ioctl", name, -nsid);
        IoctlAdminChannel c = new IoctlAdminChannel(name, file, Math.max(nsid, 0), maxInFlight, allowDestructive);
        if (nsid < 0) {
            try (Arena arena = Arena.ofConfined()) {
                c.execute(AdminCommand.identify(AdminCommand.CNS_CONTROLLER, 0, AdminCommand.CSI_NVM).withTimeout(timeout),
                        DataBuffers.allocate(arena, DataBuffers.IDENTIFY_SIZE));
            } catch (NvmeStatusException e) {
                // The controller answered: an NVMe device.
            }
        }
        return c;
    }

    /**
     * {@inheritDoc}
     * <p>{@code data} may be any segment the calling thread can access, of at most 4 GiB.
     * @throws CommandRefusedException the opcode is not read-only and the handle was opened
     *                                 without {@code allowDestructive}
     * @throws IllegalStateException   the handle is closed
     */
    @Override
    public int execute(AdminCommand command, MemorySegment data) throws NvmeException {
        check(command, data);
        slots.acquireUninterruptibly();
        try {
            return passthru(command, data);
        } finally {
            slots.release();
        }
    }

    /**
     * {@inheritDoc}
     * <p>Runs the ioctl on a new virtual thread, which stays pinned to its carrier until the
     * device answers: at most as many commands progress at once as the virtual thread scheduler
     * has carriers (one per core), and other virtual threads wait for a carrier meanwhile. The
     * caller waits (uninterruptibly) while {@link #maxInFlight()} commands are in flight.
     * {@code data} must be accessible from that thread (a shared, automatic or global arena).
     * @throws CommandRefusedException  see {@link #execute}
     * @throws IllegalArgumentException {@code data} is confined to a thread
     * @throws IllegalStateException    the handle is closed
     */
    @Override
    public CompletableFuture<Integer> submit(AdminCommand command, MemorySegment data) {
        check(command, data);
        if (users.get() < 0)
            throw closed();
        CompletableFuture<Integer> result = new CompletableFuture<>();
        Thread worker = Thread.ofVirtual().name("nvme-ioctl " + device).unstarted(() -> {
            try {
                result.complete(passthru(command, data));
            } catch (Throwable t) {
                result.completeExceptionally(t);
            } finally {
                slots.release();
            }
        });
        if (!data.isAccessibleBy(worker))
            throw new IllegalArgumentException(device + ": submit() needs a data segment other threads can"
                    + " access (shared, automatic or global arena); a confined one works with execute()");
        slots.acquireUninterruptibly();
        try {
            worker.start();
        } catch (Throwable t) {
            slots.release();
            throw t;
        }
        return result;
    }

    /** Refuses a command this handle may not send, or data it cannot describe, before anything. */
    private void check(AdminCommand command, MemorySegment data) {
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(data, "data");
        AdminOpcode.requireAllowed(device, command, allowDestructive);
        if (data.byteSize() > 0xffff_ffffL)
            throw new IllegalArgumentException(device + ": data buffer larger than 4 GiB: " + data.byteSize());
    }

    /** One command through the kernel, the descriptor held open meanwhile. */
    private int passthru(AdminCommand command, MemorySegment data) throws NvmeException {
        enter();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cmd = arena.allocate(NvmeIoctl.PASSTHRU_CMD64);
            MemorySegment buffer = data.byteSize() == 0 ? MemorySegment.NULL
                    : DataBuffers.allocate(arena, data.byteSize()).copyFrom(data);
            NvmeIoctl.write(cmd, command, buffer);
            int request = admin;
            int res;
            if (request == NvmeIoctl.NVME_IOCTL_ADMIN_CMD) {
                res = file.ioctl(request, cmd);
            } else {
                res = file.ioctl(NvmeIoctl.NVME_IOCTL_ADMIN64_CMD, cmd);
                if (request == UNKNOWN) {
                    request = res == -Errno.ENOTTY ? NvmeIoctl.NVME_IOCTL_ADMIN_CMD : NvmeIoctl.NVME_IOCTL_ADMIN64_CMD;
                    admin = request;
                    if (request == NvmeIoctl.NVME_IOCTL_ADMIN_CMD)
                        res = file.ioctl(request, cmd);
                }
            }
            if (res != 0)
                throw rethrow(Passthru.failure("ioctl", device, command, res));
            if (buffer.byteSize() > 0)
                data.copyFrom(buffer);
            return request == NvmeIoctl.NVME_IOCTL_ADMIN_CMD ? NvmeIoctl.result32(cmd) : NvmeIoctl.result64(cmd);
        } finally {
            exit();
        }
    }

    private static NvmeException rethrow(Exception e) {
        if (e instanceof NvmeException n)
            return n;
        throw (RuntimeException) e;
    }

    private void enter() {
        int u;
        do {
            u = users.get();
            if (u < 0)
                throw closed();
        } while (!users.compareAndSet(u, u + 1));
    }

    private void exit() {
        if (users.decrementAndGet() == CLOSED)
            file.close();
    }

    private IllegalStateException closed() {
        return new IllegalStateException(device + ": controller handle is closed");
    }

    /** {@inheritDoc} <p>Asked of the driver with {@code NVME_IOCTL_ID} when the file was opened. */
    @Override
    public OptionalInt namespaceId() {
        return namespaceId > 0 ? OptionalInt.of(namespaceId) : OptionalInt.empty();
    }

    /** Whether it was opened with {@code allowDestructive}. */
    public boolean allowsDestructive() {
        return allowDestructive;
    }

    @Override
    public int maxInFlight() {
        return maxInFlight;
    }

    @Override
    public String device() {
        return device;
    }

    @Override
    public String backend() {
        return "ioctl";
    }

    /** {@inheritDoc} <p>Always: the ioctl blocks its thread in the kernel. */
    @Override
    public boolean pinsCarrier() {
        return true;
    }

    /**
     * Refuses new commands at once; the descriptor closes now if no command is in the kernel,
     * else when the last one returns. Idempotent.
     */
    @Override
    public void close() {
        if (users.getAndUpdate(u -> u | CLOSED) == 0)
            file.close();
    }

    @Override
    public String toString() {
        return "IoctlAdminChannel[" + device + ", ioctl]";
    }
}

package dev.nvmescan.nativebindings.uring;

import static dev.nvmescan.nativebindings.uring.IoUringAbi.CQE32_SIZE;
import static dev.nvmescan.nativebindings.uring.IoUringAbi.CQE_BIG_CQE;
import static dev.nvmescan.nativebindings.uring.IoUringAbi.CQE_RES;
import static dev.nvmescan.nativebindings.uring.IoUringAbi.CQE_USER_DATA;
import static dev.nvmescan.nativebindings.uring.IoUringAbi.SQE128_SIZE;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.nvmescan.nativebindings.Errno;
import dev.nvmescan.nativebindings.NativeCallException;
import dev.nvmescan.nativebindings.linux.Libc;
import dev.nvmescan.nativebindings.linux.Syscalls;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * One io_uring instance with 128-byte submission and 32-byte completion entries, set up and mapped
 * with raw system calls ({@code io_uring_setup}, {@code io_uring_enter}, {@code mmap}); no liburing.
 *
 * <p>The SQ ring's index array is used as the kernel intends: entry {@code tail & mask} names which
 * SQE to take next, so a caller may keep each SQE for one command at a time and fill it while other
 * SQEs are still owned by the kernel.
 *
 * <p>Threading: {@link #sqe} writing and {@link #submit} must be serialized by the caller (one
 * submitter at a time); {@link #drain} and {@link #awaitCompletions} belong to one reaping thread.
 * The two sides may run at once. {@link #close} must follow the end of both.
 *
 * <p>Memory ordering: an SQE and its index are written with plain stores, then the SQ tail with a
 * release store that pairs with the kernel's acquiring load of the tail. The CQ tail is read with
 * acquire (the kernel publishes CQEs with a release store), the CQE's fields are read, and only
 * then the new CQ head is stored with release, so the kernel never overwrites an entry being read.
 * The mappings belong to a shared arena: an access after {@link #close} throws instead of touching
 * unmapped memory.
 */
final class IoUring implements Ring {
    /* Downcall handles in holder classes, each made on its first call (the linker generates code for each). */
    private static final class Setup {
        static final MethodHandle HANDLE = Libc.downcall("syscall",
                FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS), Linker.Option.firstVariadicArg(1));
    }

    private static final class Enter {
        static final MethodHandle HANDLE = Libc.downcall("syscall",
                FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG,
                        JAVA_LONG), Linker.Option.firstVariadicArg(1));
    }

    private static final class Mmap {
        static final MethodHandle HANDLE = Libc.downcall("mmap",
                FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG));
    }

    private static final class Munmap {
        static final MethodHandle HANDLE = Libc.downcall("munmap", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
    }

    private static final int PROT_READ_WRITE = 0x1 | 0x2, MAP_SHARED_POPULATE = 0x01 | 0x08000;
    private static final VarHandle INT = JAVA_INT.varHandle();

    private final int fd;
    private final Arena arena;
    private final MemorySegment sqRing, cqRing, sqes;
    private final int sqEntries, sqMask, cqMask;
    private final long sqHeadOff, sqTailOff, sqArrayOff, cqHeadOff, cqTailOff, cqesOff;
    private final MemorySegment submitErrno, waitErrno, waitArg, waitTimeout;
    private int sqTail;     // submitter's copy of the SQ tail
    private int cqHead;     // reaper's copy of the CQ head

    private IoUring(int fd, Arena arena, MemorySegment params, MemorySegment sqRing, MemorySegment cqRing,
                    MemorySegment sqes) {
        this.fd = fd;
        this.arena = arena;
        this.sqRing = sqRing;
        this.cqRing = cqRing;
        this.sqes = sqes;
        this.sqEntries = param(params, "sq_entries");
        this.sqMask = sqRing.get(JAVA_INT, param(params, "sq_off", "ring_mask"));
        this.cqMask = cqRing.get(JAVA_INT, param(params, "cq_off", "ring_mask"));
        this.sqHeadOff = param(params, "sq_off", "head");
        this.sqTailOff = param(params, "sq_off", "tail");
        this.sqArrayOff = param(params, "sq_off", "array");
        this.cqHeadOff = param(params, "cq_off", "head");
        this.cqTailOff = param(params, "cq_off", "tail");
        this.cqesOff = param(params, "cq_off", "cqes");
        this.submitErrno = Libc.allocateErrno(arena);
        this.waitErrno = Libc.allocateErrno(arena);
        this.waitTimeout = arena.allocate(IoUringAbi.KERNEL_TIMESPEC);
        this.waitArg = arena.allocate(IoUringAbi.GETEVENTS_ARG);
        waitArg.set(JAVA_LONG, IoUringAbi.offset(IoUringAbi.GETEVENTS_ARG, "ts"), waitTimeout.address());
        this.sqTail = sqRing.get(JAVA_INT, sqTailOff);
        this.cqHead = cqRing.get(JAVA_INT, cqHeadOff);
    }

    /**
     * setup - create a ring of at least {@code entries} SQEs with {@code flags} and map it
     * @param device named in error messages
     * @throws NativeCallException io_uring_setup or mmap failed; nothing is left open
     */
    static IoUring setup(int entries, int flags, String device) throws NativeCallException {
        Arena arena = Arena.ofShared();
        int fd = -1;
        try {
            MemorySegment params = arena.allocate(IoUringAbi.PARAMS);
            params.set(JAVA_INT, IoUringAbi.offset(IoUringAbi.PARAMS, "flags"), flags);
            MemorySegment errno = Libc.allocateErrno(arena);
            fd = (int) (long) Setup.HANDLE.invokeExact(errno, IoUringAbi.SYS_IO_URING_SETUP, (long) entries, params);
            if (fd < 0)
                throw new NativeCallException("io_uring_setup", device, Libc.errno(errno));
            long sqSize = param(params, "sq_off", "array") + 4L * param(params, "sq_entries");
            long cqSize = param(params, "cq_off", "cqes") + CQE32_SIZE * param(params, "cq_entries");
            if ((param(params, "features") & IoUringAbi.IORING_FEAT_EXT_ARG) == 0)    // waits with a timeout: 5.11
                throw new NativeCallException("io_uring_setup", device, Errno.EINVAL);
            boolean single = (param(params, "features") & IoUringAbi.IORING_FEAT_SINGLE_MMAP) != 0;
            if (single)
                sqSize = cqSize = Math.max(sqSize, cqSize);
            MemorySegment sqRing = map(fd, sqSize, IoUringAbi.IORING_OFF_SQ_RING, arena, errno, device);
            MemorySegment cqRing = single ? sqRing : map(fd, cqSize, IoUringAbi.IORING_OFF_CQ_RING, arena, errno, device);
            MemorySegment sqes = map(fd, SQE128_SIZE * param(params, "sq_entries"), IoUringAbi.IORING_OFF_SQES,
                    arena, errno, device);
            return new IoUring(fd, arena, params, sqRing, cqRing, sqes);
        } catch (NativeCallException | RuntimeException | Error e) {
            arena.close();
            if (fd >= 0)
                Syscalls.close(fd, "io_uring");
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    private static int param(MemorySegment params, String... path) {
        return params.get(JAVA_INT, IoUringAbi.offset(IoUringAbi.PARAMS, path));
    }

    /** Maps {@code size} bytes of the ring at {@code offset}; unmapped when {@code arena} closes. */
    private static MemorySegment map(int fd, long size, long offset, Arena arena, MemorySegment errno,
                                     String device) throws Throwable {
        MemorySegment at = (MemorySegment) Mmap.HANDLE.invokeExact(errno, MemorySegment.NULL, size,
                PROT_READ_WRITE, MAP_SHARED_POPULATE, fd, offset);
        if (at.address() == -1L)
            throw new NativeCallException("mmap", device, Libc.errno(errno));
        return at.reinterpret(size, arena, IoUring::unmap);
    }

    /** Cleanup of a mapping; munmap of a range this ring mapped cannot fail. */
    private static void unmap(MemorySegment mapping) {
        try (Arena scratch = Arena.ofConfined()) {
            int unused = (int) Munmap.HANDLE.invokeExact(Libc.allocateErrno(scratch), mapping, mapping.byteSize());
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** How many SQEs the kernel gave the ring (the request rounded up to a power of two). */
    @Override
    public int sqEntries() {
        return sqEntries;
    }

    /** SQE {@code index}, zeroed, for the caller to fill; submitter side. */
    @Override
    public MemorySegment sqe(int index) {
        return sqes.asSlice(index * SQE128_SIZE, SQE128_SIZE).fill((byte) 0);
    }

    /**
     * submit - publish SQE {@code index} and have the kernel consume it
     *
     * <p>Submitter side. With every earlier entry consumed, the kernel takes exactly this one.
     * @return 0, or the errno of an {@code io_uring_enter} that took nothing; the entry is then
     *         withdrawn from the ring and will never run
     */
    @Override
    public int submit(int index) {
        int tail = sqTail;
        sqRing.set(JAVA_INT, sqArrayOff + 4L * (tail & sqMask), index);
        INT.setRelease(sqRing, sqTailOff, tail + 1);
        for (;;) {
            long taken = enter(1, 0, 0, submitErrno);
            int errno = taken < 0 ? Libc.errno(submitErrno) : taken == 0 ? Errno.EAGAIN : 0;
            if (errno == Errno.EINTR)
                continue;
            if (errno == 0 || (int) INT.getAcquire(sqRing, sqHeadOff) != tail) {
                sqTail = tail + 1;
                return 0;
            }
            INT.setRelease(sqRing, sqTailOff, tail);
            return errno;
        }
    }

    /** Hands every completion already posted to {@code sink}, oldest first; reaper side. */
    @Override
    public void drain(CompletionSink sink) {
        int head = cqHead;
        int tail = (int) INT.getAcquire(cqRing, cqTailOff);
        while (head != tail) {
            long cqe = cqesOff + CQE32_SIZE * (head & cqMask);
            long userData = cqRing.get(JAVA_LONG, cqe + CQE_USER_DATA);
            int res = cqRing.get(JAVA_INT, cqe + CQE_RES);
            long extra = cqRing.get(JAVA_LONG, cqe + CQE_BIG_CQE);
            INT.setRelease(cqRing, cqHeadOff, ++head);
            cqHead = head;
            sink.accept(userData, res, extra);
        }
    }

    /**
     * Blocks until at least one completion is posted or {@code timeoutNanos} passed; reaper side.
     * @return 0, also on the timeout or a signal, or the errno of a failed io_uring_enter
     */
    @Override
    public int awaitCompletions(long timeoutNanos) {
        waitTimeout.set(JAVA_LONG, 0, timeoutNanos / 1_000_000_000L);
        waitTimeout.set(JAVA_LONG, 8, timeoutNanos % 1_000_000_000L);
        if (enter(0, 1, IoUringAbi.IORING_ENTER_GETEVENTS | IoUringAbi.IORING_ENTER_EXT_ARG, waitArg.address(),
                IoUringAbi.GETEVENTS_ARG.byteSize(), waitErrno) >= 0)
            return 0;
        int errno = Libc.errno(waitErrno);
        return errno == Errno.EINTR || errno == Errno.ETIME ? 0 : errno;
    }

    private long enter(int toSubmit, int minComplete, int flags, MemorySegment errno) {
        return enter(toSubmit, minComplete, flags, 0L, 0L, errno);
    }

    private long enter(int toSubmit, int minComplete, int flags, long arg, long argSize, MemorySegment errno) {
        try {
            return (long) Enter.HANDLE.invokeExact(errno, IoUringAbi.SYS_IO_URING_ENTER, (long) fd, (long) toSubmit,
                    (long) minComplete, (long) flags, arg, argSize);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** Unmaps the rings and closes the ring's file descriptor. */
    @Override
    public void close() {
        arena.close();
        Syscalls.close(fd, "io_uring");
    }
}

package dev.nvmescan.nativebindings.uring;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nvmescan.nativebindings.Errno;
import dev.nvmescan.nativebindings.NativeCallException;
import dev.nvmescan.nativebindings.NvmeException;
import dev.nvmescan.nativebindings.linux.Libc;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The dispatcher on a real io_uring of the host kernel, with NOPs and reads of a pipe. */
class UringDispatcherTest {
    static final byte IORING_OP_READ = 22;
    private static final MethodHandle PIPE = Libc.downcall("pipe", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle WRITE = Libc.downcall("write",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle CLOSE = Libc.downcall("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));

    private final Arena arena = Arena.ofShared();
    private final MemorySegment errno = Libc.allocateErrno(arena);
    private int readEnd = -1, writeEnd = -1;

    @BeforeEach
    void openPipe() throws Throwable {
        MemorySegment fds = arena.allocate(JAVA_INT, 2);
        assertEquals(0, (int) PIPE.invokeExact(errno, fds));
        readEnd = fds.getAtIndex(JAVA_INT, 0);
        writeEnd = fds.getAtIndex(JAVA_INT, 1);
    }

    @AfterEach
    void closePipe() throws Throwable {
        int unused = (int) CLOSE.invokeExact(errno, readEnd);
        unused = (int) CLOSE.invokeExact(errno, writeEnd);
        arena.close();
    }

    /** An operation with a given SQE whose outcome goes to a future. */
    static class Op implements UringDispatcher.Operation {
        final CompletableFuture<Integer> result = new CompletableFuture<>();
        final Consumer<MemorySegment> filler;
        volatile Thread completedOn;

        Op(Consumer<MemorySegment> filler) {
            this.filler = filler;
        }

        @Override
        public void prepare(MemorySegment sqe) {
            filler.accept(sqe);
        }

        @Override
        public void complete(int res, long extra) {
            completedOn = Thread.currentThread();
            result.complete(res);
        }

        @Override
        public void fail(Throwable cause) {
            result.completeExceptionally(cause);
        }
    }

    static Op nop() {
        return new Op(sqe -> sqe.set(JAVA_BYTE, IoUringAbi.SQE_OPCODE, IoUringAbi.IORING_OP_NOP));
    }

    Op readOneByte(MemorySegment into) {
        return new Op(sqe -> {
            sqe.set(JAVA_BYTE, IoUringAbi.SQE_OPCODE, IORING_OP_READ);
            sqe.set(JAVA_INT, IoUringAbi.SQE_FD, readEnd);
            sqe.set(JAVA_LONG, IoUringAbi.SQE_ADDR, into.address());
            sqe.set(JAVA_INT, IoUringAbi.SQE_LEN, 1);
        });
    }

    void writeBytes(int n) throws Throwable {
        MemorySegment bytes = arena.allocate(n);
        assertEquals(n, (long) WRITE.invokeExact(errno, writeEnd, bytes, (long) n));
    }

    static UringDispatcher dispatcher(int maxInFlight) throws NvmeException {
        IoUring ring = IoUring.setup(maxInFlight + 1,
                IoUringAbi.IORING_SETUP_SQE128 | IoUringAbi.IORING_SETUP_CQE32, "test");
        return UringDispatcher.start(ring, maxInFlight, "test");
    }

    static void awaitParked(Thread t) {
        while (t.getState() != Thread.State.WAITING)
            Thread.onSpinWait();
    }

    @Test
    void nopCompletesOnTheCompletionThread() throws Exception {
        try (UringDispatcher d = dispatcher(4)) {
            Op op = nop();
            d.submit(op);
            assertEquals(0, op.result.join());
            assertSame(d.completionThread(), op.completedOn);
            assertTrue(d.completionThread().isDaemon());
            assertFalse(d.completionThread().isVirtual());
        }
    }

    @Test
    void manyVirtualThreadsShareOneRing() throws Exception {
        int callers = 2000;
        List<Op> ops = new ArrayList<>();
        try (UringDispatcher d = dispatcher(8);
             var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < callers; i++) {
                Op op = nop();
                ops.add(op);
                executor.submit(() -> {
                    d.submit(op);
                    return op.result.join();
                });
            }
            executor.shutdown();
            for (Op op : ops)
                assertEquals(0, op.result.join());
        }
        assertEquals(callers, ops.stream().filter(o -> o.completedOn != null).count());
    }

    @Test
    void inFlightOperationsAreBounded() throws Throwable {
        int bound = 4, readers = 200;
        AtomicInteger inFlight = new AtomicInteger(), most = new AtomicInteger();
        List<Op> ops = new ArrayList<>();
        try (UringDispatcher d = dispatcher(bound);
             var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < readers; i++) {
                Op op = new Op(readOneByte(arena.allocate(1)).filler) {
                    @Override
                    public void prepare(MemorySegment sqe) {
                        most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                        super.prepare(sqe);
                    }

                    @Override
                    public void complete(int res, long extra) {
                        inFlight.decrementAndGet();
                        super.complete(res, extra);
                    }
                };
                ops.add(op);
                executor.submit(() -> d.submit(op));
            }
            while (inFlight.get() < bound)  // the pipe is empty: the first reads stay in flight
                Thread.onSpinWait();
            writeBytes(readers);
            for (Op op : ops)
                assertEquals(1, op.result.join());
        }
        assertEquals(bound, most.get(), "the most reads in flight at once");
    }

    @Test
    void submitterWaitsForAFreeSlot() throws Throwable {
        try (UringDispatcher d = dispatcher(2)) {
            Op first = readOneByte(arena.allocate(1)), second = readOneByte(arena.allocate(1));
            d.submit(first);
            d.submit(second);
            Op third = nop();
            Thread waiter = Thread.ofVirtual().start(() -> d.submit(third));
            awaitParked(waiter);
            assertFalse(third.result.isDone());
            writeBytes(1);
            waiter.join();
            assertEquals(0, third.result.join());
            assertEquals(1, CompletableFuture.anyOf(first.result, second.result).join());
        }
    }

    @Test
    void closeFailsOutstandingAndLaterOperations() throws Throwable {
        UringDispatcher d = dispatcher(2);
        Op first = readOneByte(arena.allocate(1)), second = readOneByte(arena.allocate(1));
        d.submit(first);
        d.submit(second);
        Op blocked = nop();
        Thread waiter = Thread.ofVirtual().start(() -> d.submit(blocked));
        awaitParked(waiter);
        d.close();
        waiter.join();
        for (Op op : List.of(first, second, blocked))
            assertCancelled(op);
        Op late = nop();
        d.submit(late);
        assertCancelled(late);
        d.close();
        assertTrue(d.completionThread().isAlive(), "the kernel still owns both reads: the ring stays");
        writeBytes(2);                          // the reads complete now
        d.completionThread().join();
        assertNull(first.completedOn, "a cancelled operation is never completed");
        assertNull(second.completedOn);
    }

    /** A read given up at close is held while the kernel owns it, and let go once it completed. */
    @Test
    void anOperationGivenUpAtCloseIsReleasedWhenTheKernelCompletesIt() throws Throwable {
        UringDispatcher d = dispatcher(2);
        Op read = readOneByte(arena.allocate(1));
        WeakReference<Op> ref = new WeakReference<>(read);
        d.submit(read);
        d.close();
        assertCancelled(read);
        read = null;
        System.gc();
        assertNotNull(ref.get(), "the kernel may still write its buffer: it must stay reachable");
        writeBytes(1);
        d.completionThread().join();
        for (int i = 0; i < 50 && ref.get() != null; i++) {
            System.gc();
            Thread.sleep(20);
        }
        assertNull(ref.get(), "completed by the kernel, the operation is garbage");
    }

    /** The kernel refuses the stop marker: close still ends, within the completion thread's wake-up. */
    @Test
    void aStopMarkerTheKernelRefusesStillClosesTheDispatcher() throws Exception {
        FakeRing ring = new FakeRing(4);
        UringDispatcher d = UringDispatcher.start(ring, 3, "fake");
        Op pending = nop();
        d.submit(pending);                      // the fake completes nothing by itself
        ring.refuse = Errno.EBUSY;
        d.close();
        assertCancelled(pending);
        ring.completeAll();
        d.completionThread().join();
        assertTrue(ring.closed);
    }

    /** A submission handed off by a completion callback that throws fails its operation. */
    @Test
    void aHandedOffSubmissionThatThrowsFailsItsOperation() throws Exception {
        try (UringDispatcher d = dispatcher(1)) {
            IllegalStateException boom = new IllegalStateException("prepare failed");
            Op bad = new Op(sqe -> { throw boom; });
            Op first = new Op(nop().filler) {
                @Override
                public void complete(int res, long extra) {
                    d.submit(bad);
                    super.complete(res, extra);
                }
            };
            d.submit(first);
            assertEquals(0, first.result.join());
            CompletionException e = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class,
                    bad.result::join);
            assertSame(boom, e.getCause());
        }
    }

    /**
     * A ring in memory: submissions are kept until {@link #completeAll}, a submission may be
     * refused with an errno, and waits time out as the kernel's do.
     */
    static final class FakeRing implements Ring {
        private final MemorySegment sqes;
        private final java.util.concurrent.LinkedBlockingQueue<long[]> cq = new java.util.concurrent.LinkedBlockingQueue<>();
        private final List<Long> submitted = java.util.Collections.synchronizedList(new ArrayList<>());
        private final int entries;
        volatile int refuse;
        volatile boolean closed;

        FakeRing(int entries) {
            this.entries = entries;
            this.sqes = Arena.ofAuto().allocate(IoUringAbi.SQE128_SIZE * entries);
        }

        @Override
        public int sqEntries() {
            return entries;
        }

        @Override
        public MemorySegment sqe(int index) {
            return sqes.asSlice(index * IoUringAbi.SQE128_SIZE, IoUringAbi.SQE128_SIZE).fill((byte) 0);
        }

        @Override
        public int submit(int index) {
            if (refuse != 0)
                return refuse;
            submitted.add(sqe(index).get(JAVA_LONG, IoUringAbi.SQE_USER_DATA));
            return 0;
        }

        void completeAll() {
            synchronized (submitted) {
                for (long userData : submitted)
                    cq.add(new long[] {userData, 0});
                submitted.clear();
            }
        }

        @Override
        public void drain(CompletionSink sink) {
            for (long[] c; (c = cq.poll()) != null; )
                sink.accept(c[0], (int) c[1], 0);
        }

        @Override
        public int awaitCompletions(long timeoutNanos) {
            try {
                long[] c = cq.poll(timeoutNanos, java.util.concurrent.TimeUnit.NANOSECONDS);
                if (c != null)
                    cq.add(c);          // drain takes it
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return 0;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    private static void assertCancelled(Op op) {
        CompletionException e = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class,
                op.result::join);
        NativeCallException cause = assertInstanceOf(NativeCallException.class, e.getCause());
        assertEquals(Errno.ECANCELED, cause.errno());
    }

    @Test
    void closeFromTheCompletionThreadDoesNotWaitForItself() throws Exception {
        UringDispatcher d = dispatcher(2);
        CountDownLatch closed = new CountDownLatch(1);
        Op op = new Op(nop().filler) {
            @Override
            public void complete(int res, long extra) {
                d.close();
                closed.countDown();
                super.complete(res, extra);
            }
        };
        d.submit(op);
        closed.await();
        d.completionThread().join();
        assertEquals(0, op.result.join());
        Op late = nop();
        d.submit(late);
        assertCancelled(late);
    }

    @Test
    void aCompletionCallbackMaySubmitWhileItHoldsTheOnlySlot() throws Exception {
        try (UringDispatcher d = dispatcher(1)) {
            Op second = nop();
            Op first = new Op(nop().filler) {
                @Override
                public void complete(int res, long extra) {
                    d.submit(second);  // the slot is still taken: must not wait for it here
                    super.complete(res, extra);
                }
            };
            d.submit(first);
            assertEquals(0, first.result.join());
            assertEquals(0, second.result.join());
            assertSame(d.completionThread(), second.completedOn);
        }
    }

    @Test
    void ringIsRoundedUpAndLeavesRoomForTheStopMarker() throws Exception {
        IoUring ring = IoUring.setup(5, IoUringAbi.IORING_SETUP_SQE128 | IoUringAbi.IORING_SETUP_CQE32, "test");
        assertEquals(8, ring.sqEntries());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> UringDispatcher.start(ring, 8, "test"));
        ring.close();
    }
}

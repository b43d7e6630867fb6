package dev.nvmescan.nativebindings.uring;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.nvmescan.nativebindings.Errno;
import dev.nvmescan.nativebindings.NativeCallException;
import dev.nvmescan.nativebindings.NvmeException;

import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Carries operations from any number of threads onto one {@link IoUring}, and their completions
 * back on one completion thread.
 *
 * <p>Implementation overview.
 *
 * <p><b>Slots.</b> The ring has at least {@code maxInFlight + 1} SQEs. An operation runs in a slot
 * {@code s < maxInFlight} taken from {@code freeSlots} before submission and given back when its
 * completion has been taken; waiting for a free slot is what bounds the operations in flight. The
 * slot is the operation's SQE index and its {@code user_data}, and {@code inFlight[s]} holds the
 * operation meanwhile, so an SQE is never rewritten while the kernel may still read it. SQE
 * {@code maxInFlight} is reserved for the stop marker.
 *
 * <p><b>Submission.</b> Under {@code submitLock}, after checking {@code closed}: fill the SQE,
 * publish it (release store of the SQ tail) and {@code io_uring_enter} it. Holding the lock across
 * the system call costs no concurrency (the kernel serializes submission on its own ring lock) and
 * gives two invariants: when the lock is released every published entry has been consumed or
 * withdrawn, so a failed enter withdraws exactly its own entry and fails only its own operation;
 * and no submitter touches the ring once {@code closed} is set.
 *
 * <p><b>Completion.</b> The completion thread, a platform daemon thread, drains the CQ, claims
 * {@code inFlight[s]} with getAndSet (each operation completes exactly once), completes the
 * operation and then frees the slot, so at most {@code maxInFlight} operations are ever between
 * submission and the end of their completion. With the CQ empty it blocks in
 * {@code io_uring_enter(GETEVENTS)}. It must never wait for a slot itself: a submission made on it
 * (from a completion callback) continues on a new virtual thread.
 * Submitters publish {@code inFlight[s]} before the SQ tail; the completion thread reads it after
 * an acquiring load of the CQ tail that shows the kernel has taken that SQE and completed it.
 *
 * <p><b>Close.</b> {@link #close} sets {@code closed} and submits a NOP whose {@code user_data} is
 * {@code STOP}, under the lock, so it is the last entry ever published. The completion thread,
 * having seen it, tears down: operations the kernel still owns fail with {@code ECANCELED} and are
 * kept reachable for good in {@code ABANDONED} (a device may still write their buffers, so the
 * garbage collector must never free them), threads waiting for a slot are woken, and the ring is
 * unmapped and closed. {@code close} waits for that, unless it is called on the completion thread.
 */
final class UringDispatcher implements AutoCloseable {

    /** One operation carried on the ring. */
    interface Operation {
        /** Fills the zeroed SQE, all but {@code user_data}; runs on the submitting thread. */
        void prepare(MemorySegment sqe);

        /** Takes the completion ({@code res}, {@code big_cqe[0]}); runs on the completion thread, must not throw. */
        void complete(int res, long extra);

        /** The operation never ran, or its completion was lost when the ring closed. */
        void fail(NvmeException cause);
    }

    private static final long STOP = -1L;
    private static final int CLOSED = -1;
    /** Operations whose buffers the kernel still owned when their ring closed. */
    private static final Set<Operation> ABANDONED = ConcurrentHashMap.newKeySet();

    private final String device;
    private final IoUring ring;
    private final int maxInFlight;
    private final AtomicReferenceArray<Operation> inFlight;
    /** Free slot numbers, and {@code CLOSED} once torn down; capacity maxInFlight + 1. */
    private final ArrayBlockingQueue<Integer> freeSlots;
    private final ReentrantLock submitLock = new ReentrantLock();
    private boolean closed;                 // guarded by submitLock
    private final Thread completionThread;
    private boolean stopSeen;               // completion thread only

    private UringDispatcher(IoUring ring, int maxInFlight, String device) {
        if (maxInFlight < 1 || maxInFlight >= ring.sqEntries())
            throw new IllegalArgumentException("maxInFlight " + maxInFlight + " needs a ring of more than "
                    + maxInFlight + " entries, have " + ring.sqEntries());
        this.device = device;
        this.ring = ring;
        this.maxInFlight = maxInFlight;
        this.inFlight = new AtomicReferenceArray<>(maxInFlight);
        this.freeSlots = new ArrayBlockingQueue<>(maxInFlight + 1);
        for (int s = 0; s < maxInFlight; s++)
            freeSlots.add(s);
        this.completionThread = Thread.ofPlatform().daemon().name("io_uring completion " + device)
                .unstarted(this::run);
    }

    /**
     * start - dispatch onto {@code ring}, which must have more than {@code maxInFlight} entries
     * <p>The dispatcher owns the ring from here on and closes it.
     */
    static UringDispatcher start(IoUring ring, int maxInFlight, String device) {
        UringDispatcher d = new UringDispatcher(ring, maxInFlight, device);
        d.completionThread.start();
        return d;
    }

    int maxInFlight() {
        return maxInFlight;
    }

    /** The thread that completes every operation. */
    Thread completionThread() {
        return completionThread;
    }

    /**
     * submit - run {@code op} on the ring
     *
     * <p>Waits, uninterruptibly, for a free slot (keeping the thread's interrupt status); on the
     * completion thread it returns at once and a virtual thread submits. The outcome reaches
     * {@code op}: {@code complete} on the completion thread, or {@code fail} on the submitting
     * thread when the dispatcher is closed or the kernel refused the submission.
     */
    void submit(Operation op) {
        if (Thread.currentThread() == completionThread) {
            // A completion callback submitting more: waiting here for a slot would stop the thread
            // that frees slots.
            Thread.ofVirtual().name("io_uring submit " + device).start(() -> submit(op));
            return;
        }
        int slot = takeSlot();
        if (slot == CLOSED) {
            op.fail(cancelled());
            return;
        }
        NvmeException failure;
        submitLock.lock();
        try {
            if (closed) {
                failure = cancelled();
            } else {
                inFlight.set(slot, op);
                int errno;
                try {
                    MemorySegment sqe = ring.sqe(slot);
                    op.prepare(sqe);
                    sqe.set(JAVA_LONG, IoUringAbi.SQE_USER_DATA, slot);
                    errno = ring.submit(slot);
                } catch (RuntimeException | Error e) {
                    inFlight.set(slot, null);
                    freeSlots.add(slot);
                    throw e;
                }
                if (errno == 0)
                    return;
                inFlight.set(slot, null);
                failure = new NativeCallException("io_uring_enter", device, errno);
            }
        } finally {
            submitLock.unlock();
        }
        freeSlots.add(slot);
        op.fail(failure);
    }

    private int takeSlot() {
        boolean interrupted = false;
        try {
            for (;;) {
                try {
                    int slot = freeSlots.take();
                    if (slot == CLOSED)
                        freeSlots.add(CLOSED);  // pass the news to the next waiter
                    return slot;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted)
                Thread.currentThread().interrupt();
        }
    }

    private NvmeException cancelled() {
        return new NativeCallException("io_uring", device, Errno.ECANCELED);
    }

    private void run() {
        int errno = 0;
        try {
            while (!stopSeen && errno == 0) {
                ring.drain(this::completed);
                if (!stopSeen)
                    errno = ring.awaitCompletions();
            }
        } finally {
            tearDown(errno == 0 ? cancelled() : new NativeCallException("io_uring_enter", device, errno));
        }
    }

    private void completed(long userData, int res, long extra) {
        if (userData == STOP) {
            stopSeen = true;
            return;
        }
        int slot = (int) userData;
        Operation op = inFlight.getAndSet(slot, null);
        if (op == null)
            throw new IllegalStateException(device + ": io_uring completion for idle slot " + slot);
        op.complete(res, extra);
        freeSlots.add(slot);
    }

    private void tearDown(NvmeException cause) {
        submitLock.lock();
        try {
            closed = true;
        } finally {
            submitLock.unlock();
        }
        for (int s = 0; s < maxInFlight; s++) {
            Operation op = inFlight.getAndSet(s, null);
            if (op != null) {
                ABANDONED.add(op);
                op.fail(cause);
            }
        }
        freeSlots.add(CLOSED);
        ring.close();
    }

    /**
     * Stops the completion thread and closes the ring; operations still in flight fail with
     * {@code ECANCELED}. Waits for the teardown unless called on the completion thread. Idempotent.
     */
    @Override
    public void close() {
        submitLock.lock();
        try {
            if (!closed) {
                closed = true;
                MemorySegment sqe = ring.sqe(maxInFlight);
                sqe.set(JAVA_BYTE, IoUringAbi.SQE_OPCODE, IoUringAbi.IORING_OP_NOP);
                sqe.set(JAVA_LONG, IoUringAbi.SQE_USER_DATA, STOP);
                int errno = ring.submit(maxInFlight);
                if (errno != 0)
                    throw new UncheckedIOException(new NativeCallException("io_uring_enter", device, errno));
            }
        } finally {
            submitLock.unlock();
        }
        if (Thread.currentThread() != completionThread)
            joinCompletionThread();
    }

    private void joinCompletionThread() {
        boolean interrupted = false;
        for (;;) {
            try {
                completionThread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted)
            Thread.currentThread().interrupt();
    }
}

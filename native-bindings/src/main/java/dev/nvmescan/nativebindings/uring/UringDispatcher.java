package dev.nvmescan.nativebindings.uring;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.nvmescan.nativebindings.Errno;
import dev.nvmescan.nativebindings.NativeCallException;
import dev.nvmescan.nativebindings.NvmeException;

import java.lang.foreign.MemorySegment;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Carries operations from any number of threads onto one {@link Ring}, and their completions back
 * on one completion thread.
 *
 * <p>Implementation overview.
 *
 * <p><b>Slots.</b> The ring has at least {@code maxInFlight + 1} SQEs. An operation runs in a slot
 * {@code s < maxInFlight} taken from {@code freeSlots} before submission and given back when its
 * completion has been taken; waiting for a free slot is what bounds the operations in flight. The
 * slot is the operation's SQE index and its {@code user_data}, and {@code inFlight[s]} holds the
 * operation meanwhile, so an SQE is never rewritten while the kernel may still read it, and the
 * operation (with the buffer the kernel writes) stays reachable exactly as long as the kernel owns
 * it. SQE {@code maxInFlight} is reserved for the stop marker.
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
 * submission and the end of their completion. With the CQ empty it waits in
 * {@code io_uring_enter(GETEVENTS)} for at most {@code WAKE_NANOS}, so it notices a close even when
 * no completion can come. It must never wait for a slot itself: a submission made on it (from a
 * completion callback) continues on a new virtual thread, and whatever that submission throws fails
 * its operation. Submitters publish {@code inFlight[s]} before the SQ tail; the completion thread
 * reads it after an acquiring load of the CQ tail that shows the kernel took that SQE and completed it.
 *
 * <p><b>Close.</b> {@link #close} sets {@code closed} under the lock, so no entry is published
 * after it, and submits a NOP whose {@code user_data} is {@code STOP} only to wake the completion
 * thread at once (if the kernel refuses it, the next wake-up does). The completion thread then fails
 * every operation still in flight with {@code ECANCELED}, so their callers stop waiting, marks their
 * slots {@code cancelled} and lets threads waiting for a slot go; but it keeps those operations in
 * {@code inFlight} and goes on reaping, ignoring their results, until the kernel has completed every
 * one of them (their own timeouts bound that), and only then unmaps and closes the ring. {@code close}
 * waits for the callers to be failed, not for the kernel, unless it is called on the completion
 * thread. Should waiting on the ring itself fail, nothing can tell when the kernel is done with the
 * operations left: those are kept reachable for good, in {@code STRANDED}.
 */
final class UringDispatcher implements AutoCloseable {

    /** One operation carried on the ring. */
    interface Operation {
        /** Fills the zeroed SQE, all but {@code user_data}; runs on the submitting thread. */
        void prepare(MemorySegment sqe);

        /** Takes the completion ({@code res}, {@code big_cqe[0]}); runs on the completion thread, must not throw. */
        void complete(int res, long extra);

        /**
         * The operation never ran, could not be submitted, or was given up by {@link #close} (the
         * kernel may still hold it: it is never completed after this).
         */
        void fail(Throwable cause);
    }

    private static final long STOP = -1L;
    private static final int CLOSED = -1;
    private static final long WAKE_NANOS = 100_000_000L;
    /** Operations whose ring could no longer be waited on while the kernel owned them. */
    private static final Set<Operation> STRANDED = ConcurrentHashMap.newKeySet();

    private final String device;
    private final Ring ring;
    private final int maxInFlight;
    private final AtomicReferenceArray<Operation> inFlight;
    /** Free slot numbers, and {@code CLOSED} once closing; capacity maxInFlight + 1. */
    private final ArrayBlockingQueue<Integer> freeSlots;
    private final ReentrantLock submitLock = new ReentrantLock();
    private boolean closed;                 // guarded by submitLock
    private volatile boolean closing;       // closed, as the completion thread reads it between waits
    private final CountDownLatch callersFailed = new CountDownLatch(1);
    private final Thread completionThread;
    private final boolean[] cancelled;      // completion thread only

    private UringDispatcher(Ring ring, int maxInFlight, String device) {
        if (maxInFlight < 1 || maxInFlight >= ring.sqEntries())
            throw new IllegalArgumentException("maxInFlight " + maxInFlight + " needs a ring of more than "
                    + maxInFlight + " entries, have " + ring.sqEntries());
        this.device = device;
        this.ring = ring;
        this.maxInFlight = maxInFlight;
        this.inFlight = new AtomicReferenceArray<>(maxInFlight);
        this.cancelled = new boolean[maxInFlight];
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
    static UringDispatcher start(Ring ring, int maxInFlight, String device) {
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
     * {@code op}: {@code complete} on the completion thread, or {@code fail} when the dispatcher is
     * closed, the kernel refused the submission, or (handed to a virtual thread) preparing it threw.
     */
    void submit(Operation op) {
        if (Thread.currentThread() == completionThread) {
            // A completion callback submitting more: waiting here for a slot would stop the thread
            // that frees slots. Nobody is left to catch what the submission throws but op itself.
            Thread.ofVirtual().name("io_uring submit " + device).start(() -> {
                try {
                    submit(op);
                } catch (Throwable t) {
                    op.fail(t);
                }
            });
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
        boolean draining = false;
        try {
            for (;;) {
                ring.drain(this::completed);
                if (closing && !draining) {
                    failCallers(cancelled());
                    draining = true;
                }
                if (draining && idle())
                    return;
                errno = ring.awaitCompletions(WAKE_NANOS);
                if (errno != 0)
                    return;
            }
        } finally {
            if (!draining)
                failCallers(new NativeCallException("io_uring_enter", device, errno));
            for (int s = 0; s < maxInFlight; s++) {
                Operation op = inFlight.get(s);
                if (op != null)
                    STRANDED.add(op);
            }
            ring.close();
        }
    }

    private void completed(long userData, int res, long extra) {
        if (userData == STOP)
            return;                             // it only woke this thread; closing says the rest
        int slot = (int) userData;
        Operation op = inFlight.getAndSet(slot, null);
        if (op == null)
            throw new IllegalStateException(device + ": io_uring completion for idle slot " + slot);
        if (cancelled[slot]) {
            cancelled[slot] = false;            // its caller was failed at close; the kernel is done with it now
            return;
        }
        op.complete(res, extra);
        freeSlots.add(slot);
    }

    /** Closes for submitters, fails every caller still waiting, and lets slot waiters go. */
    private void failCallers(NvmeException cause) {
        submitLock.lock();
        try {
            closed = true;
        } finally {
            submitLock.unlock();
        }
        for (int s = 0; s < maxInFlight; s++) {
            Operation op = inFlight.get(s);
            if (op != null) {
                cancelled[s] = true;
                op.fail(cause);
            }
        }
        freeSlots.offer(CLOSED);
        callersFailed.countDown();
    }

    /** Whether the kernel owns no operation any more. */
    private boolean idle() {
        for (int s = 0; s < maxInFlight; s++)
            if (inFlight.get(s) != null)
                return false;
        return true;
    }

    /**
     * Fails the operations still in flight with {@code ECANCELED}, and every later one; the ring is
     * unmapped and closed once the kernel has completed what it still owns. Waits until the callers
     * were failed, unless called on the completion thread. Idempotent.
     */
    @Override
    public void close() {
        submitLock.lock();
        try {
            if (!closed) {
                closed = true;
                closing = true;
                MemorySegment sqe = ring.sqe(maxInFlight);
                sqe.set(JAVA_BYTE, IoUringAbi.SQE_OPCODE, IoUringAbi.IORING_OP_NOP);
                sqe.set(JAVA_LONG, IoUringAbi.SQE_USER_DATA, STOP);
                int unused = ring.submit(maxInFlight);  // refused: the completion thread's next wake-up sees closing
            }
        } finally {
            submitLock.unlock();
        }
        if (Thread.currentThread() != completionThread)
            awaitCallersFailed();
    }

    private void awaitCallersFailed() {
        boolean interrupted = false;
        for (;;) {
            try {
                callersFailed.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted)
            Thread.currentThread().interrupt();
    }
}

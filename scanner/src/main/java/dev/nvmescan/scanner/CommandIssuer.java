package dev.nvmescan.scanner;

import dev.nvmescan.nativebindings.AdminChannel;
import dev.nvmescan.nativebindings.AdminCommand;
import dev.nvmescan.nativebindings.NvmeException;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Issues admin commands for a scan, at most {@link #depth()} at once, so that the bound is
 * actually reached from virtual threads whatever the channel, and admits them in the order their
 * callers {@linkplain #reserve() reserve} queue slots.
 *
 * <p><b>Implementation overview.</b> A caller reserves a {@link Slot}: one of {@code depth} permits,
 * then a free lane (an index below {@code depth}, for traces). It may issue several dependent
 * commands through the slot, one after the other, and closes it when done; {@link #issue} is a slot
 * for one command. The permit and the lane are given back when the slot is closed <em>and</em> its
 * last command completed, not when its caller stops waiting, so an interrupted caller never lets
 * more than {@code depth} commands reach the device. The permits are a FIFO-queued semaphore, so
 * whoever asks first is served first: a scan whose dispatcher reserves the slots for its
 * namespaces in list order gets its commands admitted in list order. How a command waits depends on
 * the channel:
 * <ul>
 * <li>Channels whose blocking call sits in native code ({@link AdminChannel#pinsCarrier()}: the ioctl,
 * the simulator in its ioctl mode) would pin a virtual thread's carrier for the whole command,
 * so on 2 cores only 2 commands could be in flight. Their commands run on a pool of exactly
 * {@code depth} platform threads; the virtual caller waits on the pool's future and unmounts.
 * {@code depth} is the queue depth asked for, but at most {@link #MAX_BLOCKING}: an ioctl beyond
 * what the admin queue holds only sleeps in the kernel for a tag, on a thread of its own.
 * <li>Channels that complete asynchronously ({@code io_uring}, the simulator in its io_uring mode) take the
 * command through {@link AdminChannel#submit}; the caller waits on the future and unmounts.
 * </ul>
 * Either way the caller's wait is interruptible, which is how a scan is cancelled.
 */
final class CommandIssuer implements AutoCloseable {
    /**
     * The most commands in flight, and platform threads, on a channel that blocks: what a Linux
     * admin queue takes. Its 32 entries (NVME_AQ_DEPTH) less the one kept for asynchronous events
     * and the one a full ring leaves empty are 30 tags (NVME_AQ_MQ_TAG_DEPTH); fabrics keep one
     * more for connect and keep-alive.
     */
    static final int MAX_BLOCKING = 30;

    private final AdminChannel channel;
    private final CommandObserver observer;
    private final int depth;
    private final Semaphore permits;
    /** Bit i of word i/64 set: lane i is taken. Lanes are few (queue depth), a scan is cheap next to a command. */
    private final AtomicLongArray lanes;
    private final ExecutorService blockingPool;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger peakInFlight = new AtomicInteger();
    private final AtomicLong commands = new AtomicLong();
    private final AtomicLong lastDone = new AtomicLong(Long.MIN_VALUE);

    CommandIssuer(AdminChannel channel, int queueDepth, CommandObserver observer) {
        if (queueDepth < 1)
            throw new IllegalArgumentException("queue depth must be positive: " + queueDepth);
        this.channel = channel;
        this.observer = observer;
        this.depth = channel.pinsCarrier() ? Math.min(queueDepth, MAX_BLOCKING) : queueDepth;
        this.permits = new Semaphore(depth, true);
        this.lanes = new AtomicLongArray((depth + 63) / 64);
        this.blockingPool = channel.pinsCarrier()
                ? Executors.newFixedThreadPool(depth, Thread.ofPlatform().daemon().name("nvmescan-ioctl-", 0).factory())
                : null;
    }

    /** The most commands in flight: the queue depth asked for, capped at {@link #MAX_BLOCKING} on a blocking channel. */
    int depth() {
        return depth;
    }

    /** How the commands wait: for messages and benchmarks. */
    String strategy() {
        return blockingPool != null ? "platform pool" : "async submit";
    }

    /**
     * Waits for a queue slot, after every caller that asked before.
     *
     * @throws InterruptedException the caller was interrupted; nothing is reserved
     */
    Slot reserve() throws InterruptedException {
        permits.acquire();
        return new Slot(takeLane());
    }

    /** Issues one command on a slot of its own and waits for it; see {@link Slot#issue}. */
    int issue(AdminCommand command, MemorySegment data) throws NvmeException, InterruptedException {
        try (Slot slot = reserve()) {
            return slot.issue(command, data);
        }
    }

    /**
     * One queue slot, held across dependent commands by one caller: one permit and one lane, given
     * back once the slot is closed and its last command completed.
     */
    final class Slot implements AutoCloseable {
        private final int lane;
        /** The holder until closed, plus each command in flight; the slot is free at 0. */
        private final AtomicInteger holds = new AtomicInteger(1);
        private boolean closed;

        private Slot(int lane) {
            this.lane = lane;
        }

        /**
         * Issues a command through this slot and waits for it. Not concurrently with another
         * command of the same slot.
         *
         * @param data a buffer accessible from any thread (a shared or automatic arena)
         * @return the completion's dword 0
         * @throws InterruptedException the caller was interrupted; the command may still complete
         *                              later, and keeps the slot taken until it does
         */
        int issue(AdminCommand command, MemorySegment data) throws NvmeException, InterruptedException {
            if (closed)
                throw new IllegalStateException("slot closed");
            holds.incrementAndGet();
            long start = System.nanoTime();
            commands.incrementAndGet();
            peakInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            Future<Integer> result;
            try {
                result = blockingPool != null ? blockingPool.submit(() -> {
                    Throwable failure = null;
                    try {
                        return channel.execute(command, data);
                    } catch (Throwable t) {
                        failure = t;
                        throw t;
                    } finally {
                        done(command, start, failure);
                    }
                }) : channel.submit(command, data).whenComplete((r, t) -> done(command, start, unwrap(t)));
            } catch (RuntimeException e) {      // rejected: the pool or the channel is closed
                done(command, start, e);
                throw e;
            }
            try {
                return result.get();
            } catch (ExecutionException e) {
                throw rethrow(e.getCause());
            } catch (CancellationException e) {
                throw new InterruptedException("command cancelled");
            }
        }

        private void done(AdminCommand command, long start, Throwable failure) {
            long end = System.nanoTime();
            inFlight.decrementAndGet();
            lastDone.accumulateAndGet(end, Math::max);
            try {
                observer.completed(command, lane, start, end, failure);
            } finally {
                drop();
            }
        }

        /** Gives the slot back once its last command completed. Idempotent. */
        @Override
        public void close() {
            if (!closed) {
                closed = true;
                drop();
            }
        }

        private void drop() {
            if (holds.decrementAndGet() == 0) {
                freeLane(lane);
                permits.release();
            }
        }
    }

    private int takeLane() {
        for (;;) {
            for (int w = 0; w < lanes.length(); w++) {
                long bits = lanes.get(w);
                long free = ~bits;
                if (free == 0)
                    continue;
                long bit = Long.lowestOneBit(free);
                if (lanes.compareAndSet(w, bits, bits | bit))
                    return w * 64 + Long.numberOfTrailingZeros(bit);
                w--;                          // lost a race on this word: look at it again
            }
            Thread.onSpinWait();              // only after lost races: a lane is freed before its permit
        }
    }

    private void freeLane(int lane) {
        long bit = 1L << (lane & 63);
        lanes.getAndUpdate(lane >>> 6, bits -> bits & ~bit);
    }

    private static Throwable unwrap(Throwable t) {
        return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    }

    private static NvmeException rethrow(Throwable cause) {
        cause = unwrap(cause);
        if (cause instanceof NvmeException e)
            return e;
        if (cause instanceof RuntimeException e)
            throw e;
        if (cause instanceof Error e)
            throw e;
        throw new IllegalStateException(cause);
    }

    /** Commands issued so far. */
    long commands() {
        return commands.get();
    }

    /** The most commands this issuer had in flight at once. */
    int peakInFlight() {
        return peakInFlight.get();
    }

    /** {@link System#nanoTime()} when the last command to complete did, {@link Long#MIN_VALUE} before any did. */
    long lastDoneNanos() {
        return lastDone.get();
    }

    /** Stops the platform pool, if any, without waiting for commands blocked in the kernel. */
    @Override
    public void close() {
        if (blockingPool != null)
            blockingPool.shutdownNow();
    }
}

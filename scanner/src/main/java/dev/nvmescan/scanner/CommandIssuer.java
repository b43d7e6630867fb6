package dev.nvmescan.scanner;

import dev.nvmescan.nativebindings.AdminChannel;
import dev.nvmescan.nativebindings.AdminCommand;
import dev.nvmescan.nativebindings.NvmeException;

import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Issues admin commands for a scan, at most {@link #depth()} at once, so that the bound is
 * actually reached from virtual threads whatever the channel, and admits them in the order their
 * callers lined up for queue slots.
 *
 * <p><b>Implementation overview.</b> A caller takes a {@link Place} in line ({@link #enqueue()},
 * never blocking), and later awaits its {@link Slot}: one of {@code depth} lanes (an index below
 * {@code depth}, for traces). Slots are granted strictly in line order, by whoever frees one: the
 * slot's lane goes straight to the first place in line, so a scan whose dispatcher lines up its
 * namespaces in list order gets their commands admitted in list order without the dispatcher
 * taking part. A slot carries several dependent commands, one after the other, and is closed when
 * its holder is done; {@link #issue} is a place and a slot for one command. The lane is given back
 * when the slot is closed <em>and</em> its last command completed, not when its caller stops
 * waiting, so an interrupted caller never lets more than {@code depth} commands reach the device.
 * How a command waits depends on the channel:
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
    private final ReentrantLock lock = new ReentrantLock();
    /** Guarded by lock: the places waiting for a slot, first first. */
    private final ArrayDeque<Place> line = new ArrayDeque<>();
    /** Guarded by lock: lanes no slot holds; only while the line is empty. */
    private final ArrayDeque<Integer> freeLanes = new ArrayDeque<>();
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
        for (int lane = 0; lane < depth; lane++)
            freeLanes.add(lane);
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

    /** Takes a place in line for a slot, behind every place taken before; never blocks. */
    Place enqueue() {
        Place place = new Place();
        Integer lane = null;
        lock.lock();
        try {
            if (line.isEmpty())
                lane = freeLanes.poll();
            if (lane == null)
                line.add(place);
        } finally {
            lock.unlock();
        }
        if (lane != null)
            place.grant.complete(new Slot(lane));
        return place;
    }

    /** Issues one command on a slot of its own and waits for it; see {@link Slot#issue}. */
    int issue(AdminCommand command, MemorySegment data) throws NvmeException, InterruptedException {
        try (Slot slot = enqueue().await()) {
            return slot.issue(command, data);
        }
    }

    /** Hands a freed lane to the first place in line, or keeps it free. */
    private void handOn(int lane) {
        Place next;
        lock.lock();
        try {
            next = line.poll();
            if (next == null)
                freeLanes.push(lane);
        } finally {
            lock.unlock();
        }
        if (next != null)
            next.grant.complete(new Slot(lane));
    }

    /** A place in line for a queue slot. */
    final class Place {
        private final CompletableFuture<Slot> grant = new CompletableFuture<>();

        private Place() {
        }

        /**
         * Waits for this place's slot.
         *
         * @throws InterruptedException the caller was interrupted; the place is given up
         */
        Slot await() throws InterruptedException {
            try {
                return grant.get();
            } catch (InterruptedException e) {
                leave();
                throw e;
            } catch (ExecutionException e) {
                throw new IllegalStateException(e);       // a grant never fails
            }
        }

        /** Gives the place up, or the slot it was granted: for a caller that will not use it. */
        void leave() {
            boolean inLine;
            lock.lock();
            try {
                inLine = line.remove(this);
            } finally {
                lock.unlock();
            }
            if (!inLine)
                grant.join().close();                     // granted, or being granted now
        }
    }

    /**
     * One queue slot, held across dependent commands by one caller: its lane is handed on once the
     * slot is closed and its last command completed.
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
            if (holds.decrementAndGet() == 0)
                handOn(lane);
        }
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

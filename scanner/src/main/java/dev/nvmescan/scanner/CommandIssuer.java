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
 * Issues admin commands for a scan, at most {@code queueDepth} at once, so that the bound is
 * actually reached from virtual threads whatever the channel.
 *
 * <p><b>Implementation overview.</b> A caller takes one of {@code queueDepth} permits, then a free
 * lane (an index below {@code queueDepth}, for traces), then hands the command to the channel; the
 * permit and the lane are given back when the <em>command</em> completes, not when its caller stops
 * waiting, so an interrupted caller never lets more than {@code queueDepth} commands reach the device.
 * How the command waits depends on the channel:
 * <ul>
 * <li>Channels whose blocking call sits in native code ({@link AdminChannel#pinsCarrier()}: the ioctl,
 * the simulator in its ioctl mode) would pin a virtual thread's carrier for the whole command,
 * so on 2 cores only 2 commands could be in flight. Their commands run on a pool of exactly
 * {@code queueDepth} platform threads; the virtual caller waits on the pool's future and unmounts.
 * <li>Channels that complete asynchronously ({@code io_uring}, the simulator in its io_uring mode) take the
 * command through {@link AdminChannel#submit}; the caller waits on the future and unmounts.
 * </ul>
 * Either way the caller's wait is interruptible, which is how a scan is cancelled.
 */
final class CommandIssuer implements AutoCloseable {
    private final AdminChannel channel;
    private final CommandObserver observer;
    private final Semaphore permits;
    /** Bit i of word i/64 set: lane i is taken. Lanes are few (queue depth), a scan is cheap next to a command. */
    private final AtomicLongArray lanes;
    private final ExecutorService blockingPool;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger peakInFlight = new AtomicInteger();
    private final AtomicLong commands = new AtomicLong();

    CommandIssuer(AdminChannel channel, int queueDepth, CommandObserver observer) {
        if (queueDepth < 1)
            throw new IllegalArgumentException("queue depth must be positive: " + queueDepth);
        this.channel = channel;
        this.observer = observer;
        this.permits = new Semaphore(queueDepth);
        this.lanes = new AtomicLongArray((queueDepth + 63) / 64);
        this.blockingPool = channel.pinsCarrier()
                ? Executors.newFixedThreadPool(queueDepth, Thread.ofPlatform().daemon().name("nvmescan-ioctl-", 0).factory())
                : null;
    }

    /** How the commands wait: for messages and benchmarks. */
    String strategy() {
        return blockingPool != null ? "platform pool" : "async submit";
    }

    /**
     * Issues a command and waits for it.
     *
     * @param data a buffer accessible from any thread (a shared or automatic arena)
     * @return the completion's dword 0
     * @throws InterruptedException the caller was interrupted; the command may still complete later
     */
    int issue(AdminCommand command, MemorySegment data) throws NvmeException, InterruptedException {
        permits.acquire();
        int lane = takeLane();
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
                    done(command, lane, start, failure);
                }
            }) : channel.submit(command, data).whenComplete((r, t) -> done(command, lane, start, unwrap(t)));
        } catch (RuntimeException e) {      // rejected: the pool or the channel is closed
            done(command, lane, start, e);
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

    private void done(AdminCommand command, int lane, long start, Throwable failure) {
        long end = System.nanoTime();
        inFlight.decrementAndGet();
        try {
            observer.completed(command, lane, start, end, failure);
        } finally {
            freeLane(lane);
            permits.release();
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

    /** Stops the platform pool, if any, without waiting for commands blocked in the kernel. */
    @Override
    public void close() {
        if (blockingPool != null)
            blockingPool.shutdownNow();
    }
}

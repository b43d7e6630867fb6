package dev.nvmescan.chain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nvmescan.chain.CompletionChain.Link;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Randomized stress: links are added progressively while worker threads take them in add order
 * and finish them in random order. Some workers complete before awaiting (and publish nothing),
 * some wait with short timeouts and retry, some are interrupted and retry, some wait
 * uninterruptibly, some complete at once with a turn that publishes; a flusher checks
 * {@code flush} against the links added before it. What is published must be exactly the publishing
 * links in add order, never two at once. Without a flusher (whose barrier links sit between the
 * workers'), a turn told {@code more} must be followed by the next link's turn on the same thread. Every round is bounded by a
 * watchdog deadline that fails the test with the chain's progress.
 */
class CompletionChainStressTest {

    private static final int LINKS = 20_000;
    private static final Duration WATCHDOG = Duration.ofSeconds(60);

    private enum Behaviour { AWAIT, TIMED, UNINTERRUPTIBLE, COMPLETE_FIRST, COMPLETE_FIRST_THEN_AWAIT, IN_TURN }

    private record Job(int index, Link link) { }

    private static final Job END = new Job(-1, null);

    @ParameterizedTest(name = "{0} threads x {1}, seed {2}")
    @CsvSource({
        "PLATFORM, 16, 1",
        "PLATFORM, 64, 2",
        "VIRTUAL, 64, 3",
        "VIRTUAL, 2000, 4",
    })
    void publicationOrderIsAddOrder(CompletionChainTest.Kind kind, int threads, long seed)
            throws InterruptedException {
        SplittableRandom seeds = new SplittableRandom(seed);
        CompletionChain chain = new CompletionChain();
        BlockingQueue<Job> jobs = new LinkedBlockingQueue<>();
        AtomicInteger added = new AtomicInteger();
        AtomicIntegerArray completed = new AtomicIntegerArray(LINKS);
        int[] published = new int[LINKS];
        AtomicInteger publishedCount = new AtomicInteger();
        Turns turns = new Turns(LINKS);
        AtomicInteger finished = new AtomicInteger();
        AtomicInteger timeouts = new AtomicInteger();
        AtomicInteger interrupts = new AtomicInteger();
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        boolean[] publishes = new boolean[LINKS];
        Behaviour[] behaviours = new Behaviour[LINKS];
        for (int i = 0; i < LINKS; i++) {
            behaviours[i] = Behaviour.values()[seeds.nextInt(Behaviour.values().length)];
            publishes[i] = behaviours[i] != Behaviour.COMPLETE_FIRST
                    && behaviours[i] != Behaviour.COMPLETE_FIRST_THEN_AWAIT;
        }

        List<Thread> workers = new ArrayList<>();
        for (int w = 0; w < threads; w++) {
            SplittableRandom rnd = seeds.split();
            workers.add(kind.start(() -> {
                try {
                    for (Job job; (job = take(jobs)) != END; ) {
                        work(job, behaviours[job.index()], rnd, published, publishedCount, completed,
                                timeouts, interrupts, turns);
                        finished.incrementAndGet();
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            }));
        }
        Thread adder = kind.start(() -> {
            SplittableRandom rnd = seeds.split();
            for (int i = 0; i < LINKS; i++) {
                jobs.add(new Job(i, chain.add()));
                added.set(i + 1);
                if (rnd.nextInt(64) == 0) {
                    Thread.yield();
                }
            }
            for (int w = 0; w < threads; w++) {
                jobs.add(END);
            }
        });
        Thread flusher = kind.start(() -> {
            try {
                while (finished.get() < LINKS) {
                    int before = added.get();
                    if (chain.flush(Duration.ofMillis(2))) {
                        for (int i = 0; i < before; i++) {
                            if (completed.get(i) == 0) {
                                throw new AssertionError("flush returned before link " + i + " completed");
                            }
                        }
                    }
                }
            } catch (Throwable e) {
                failures.add(e);
            }
        });
        Thread interrupter = Thread.ofPlatform().daemon().start(() -> {
            SplittableRandom rnd = seeds.split();
            while (finished.get() < LINKS && failures.isEmpty()) {
                workers.get(rnd.nextInt(workers.size())).interrupt();
                LockSupport.parkNanos(rnd.nextLong(20_000, 200_000));
            }
        });

        long deadline = System.nanoTime() + WATCHDOG.toNanos();
        for (Thread t : List.of(adder, flusher, interrupter)) {
            watch(t, deadline, finished, publishedCount, failures);
        }
        for (Thread t : workers) {
            watch(t, deadline, finished, publishedCount, failures);
        }
        if (!failures.isEmpty()) {
            AssertionError error = new AssertionError("stress failed, seed " + seed);
            failures.forEach(error::addSuppressed);
            throw error;
        }
        int[] expected = IntStream.range(0, LINKS).filter(i -> publishes[i]).toArray();
        assertEquals(expected.length, publishedCount.get());
        int[] actual = new int[publishedCount.get()];
        System.arraycopy(published, 0, actual, 0, actual.length);
        assertArrayEquals(expected, actual, "publication order differs from add order, seed " + seed);
        assertTrue(chain.flush(Duration.ZERO));
        assertTrue(timeouts.get() > 0 && interrupts.get() > 0,
                "the run must exercise timeouts (" + timeouts + ") and interrupts (" + interrupts + ")");
    }

    @ParameterizedTest(name = "{0} threads x {1}, seed {2}")
    @CsvSource({
        "PLATFORM, 8, 5",
        "VIRTUAL, 64, 6",
    })
    void aTurnToldMoreIsFollowedByTheNextOnItsThread(CompletionChainTest.Kind kind, int threads, long seed)
            throws InterruptedException {
        CompletionChain chain = new CompletionChain();
        Link[] links = new Link[LINKS];
        for (int i = 0; i < LINKS; i++) {
            links[i] = chain.add();
        }
        int[] published = new int[LINKS];
        AtomicInteger publishedCount = new AtomicInteger();
        Turns turns = new Turns(LINKS);
        AtomicInteger taken = new AtomicInteger();
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        SplittableRandom seeds = new SplittableRandom(seed);
        List<Thread> workers = new ArrayList<>();
        for (int w = 0; w < threads; w++) {
            SplittableRandom rnd = seeds.split();
            workers.add(kind.start(() -> {
                try {
                    for (int i; (i = taken.getAndIncrement()) < LINKS; ) {
                        if (rnd.nextInt(8) == 0) {
                            Thread.yield();
                        }
                        int index = i;
                        links[i].complete(more -> {
                            turns.more[index] = more;
                            turns.thread[index] = Thread.currentThread().threadId();
                            publish(index, published, publishedCount, turns);
                        });
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            }));
        }
        AtomicInteger finished = new AtomicInteger();
        long deadline = System.nanoTime() + WATCHDOG.toNanos();
        for (Thread t : workers) {
            watch(t, deadline, finished, publishedCount, failures);
        }
        assertTrue(failures.isEmpty(), () -> "failed: " + failures);
        assertEquals(LINKS, publishedCount.get());
        assertArrayEquals(IntStream.range(0, LINKS).toArray(), published);
        int told = 0;
        for (int i = 0; i + 1 < LINKS; i++) {
            if (turns.more[i]) {
                told++;
                assertEquals(turns.thread[i], turns.thread[i + 1], "turn " + i + " said more, seed " + seed);
            }
        }
        assertTrue(told > 0, "no turn was told more: the completions never overtook each other");
    }

    private static void work(Job job, Behaviour behaviour, SplittableRandom rnd, int[] published,
            AtomicInteger publishedCount, AtomicIntegerArray completed, AtomicInteger timeouts,
            AtomicInteger interrupts, Turns turns) {
        Link link = job.link();
        if (rnd.nextInt(4) == 0) {
            Thread.yield();
        }
        switch (behaviour) {
            case COMPLETE_FIRST -> {
                completed.set(job.index(), 1);
                link.complete();
                return;
            }
            case COMPLETE_FIRST_THEN_AWAIT -> {
                completed.set(job.index(), 1);
                link.complete();
                awaitRetrying(link, rnd, timeouts, interrupts, false);
                return;
            }
            case IN_TURN -> {
                completed.set(job.index(), 1);
                link.complete(more -> {
                    turns.more[job.index()] = more;
                    turns.thread[job.index()] = Thread.currentThread().threadId();
                    publish(job.index(), published, publishedCount, turns);
                });
                return;
            }
            case UNINTERRUPTIBLE -> {
                link.awaitUninterruptibly();
                Thread.interrupted();
            }
            case AWAIT -> awaitRetrying(link, rnd, timeouts, interrupts, false);
            case TIMED -> awaitRetrying(link, rnd, timeouts, interrupts, true);
        }
        if (!link.isReady()) {
            throw new AssertionError("await returned before link " + job.index() + " was ready");
        }
        publish(job.index(), published, publishedCount, turns);
        completed.set(job.index(), 1);
        link.complete();
    }

    /** What turns saw, written in each turn and read after every thread ended. */
    private static final class Turns {
        final boolean[] more;
        final long[] thread;
        final AtomicInteger inside = new AtomicInteger();

        Turns(int links) {
            more = new boolean[links];
            thread = new long[links];
        }
    }

    private static void publish(int index, int[] published, AtomicInteger publishedCount, Turns turns) {
        if (turns.inside.incrementAndGet() != 1) {
            throw new AssertionError("link " + index + " published while another link was publishing");
        }
        int position = publishedCount.getAndIncrement();
        if (position > 0 && published[position - 1] >= index) {
            throw new AssertionError("link " + index + " published after link " + published[position - 1]);
        }
        published[position] = index;
        turns.inside.decrementAndGet();
    }

    private static void awaitRetrying(Link link, SplittableRandom rnd, AtomicInteger timeouts,
            AtomicInteger interrupts, boolean timed) {
        for (;;) {
            try {
                if (!timed) {
                    link.await();
                    return;
                }
                if (link.await(Duration.ofNanos(rnd.nextLong(1_000, 100_000)))) {
                    return;
                }
                timeouts.incrementAndGet();
            } catch (InterruptedException e) {
                interrupts.incrementAndGet();
            }
        }
    }

    /** Takes the next job; the interrupter aims at the chain, so interrupts here are ignored. */
    private static Job take(BlockingQueue<Job> jobs) {
        for (;;) {
            try {
                return jobs.take();
            } catch (InterruptedException e) {
                // retry
            }
        }
    }

    /** Waits for {@code t} until the deadline, ending the round early once anything failed. */
    private static void watch(Thread t, long deadline, AtomicInteger finished, AtomicInteger published,
            ConcurrentLinkedQueue<Throwable> failures) throws InterruptedException {
        while (t.isAlive() && failures.isEmpty() && System.nanoTime() < deadline) {
            t.join(Duration.ofMillis(10));
        }
        if (t.isAlive()) {
            AssertionError error = new AssertionError((failures.isEmpty() ? "watchdog: " : "failed: ") + t
                    + " still running; " + finished + " of " + LINKS + " links finished, " + published
                    + " published");
            failures.forEach(error::addSuppressed);
            throw error;
        }
    }
}

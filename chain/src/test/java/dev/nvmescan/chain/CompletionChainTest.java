package dev.nvmescan.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nvmescan.chain.CompletionChain.Link;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The rules of {@link CompletionChain}, each with platform and virtual threads where threads matter. */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class CompletionChainTest {

    /** How a test starts its helper threads. */
    enum Kind {
        PLATFORM, VIRTUAL;

        Thread start(Runnable task) {
            return (this == PLATFORM ? Thread.ofPlatform().daemon() : Thread.ofVirtual()).start(task);
        }
    }

    /** Waits (bounded) until {@code t} parks, so a test knows a waiter is really blocked. */
    private static void awaitParked(Thread t) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (t.getState() != Thread.State.WAITING && t.getState() != Thread.State.TIMED_WAITING) {
            assertTrue(t.isAlive(), "waiter ended instead of blocking");
            assertTrue(System.nanoTime() < deadline, "waiter never blocked: " + t.getState());
            Thread.sleep(1);
        }
    }

    private static void join(Thread t) throws InterruptedException {
        t.join(Duration.ofSeconds(10));
        assertFalse(t.isAlive(), "thread did not finish: " + t);
    }

    @Test
    void firstLinkIsReadyAtOnce() {
        Link first = new CompletionChain().add();
        assertTrue(first.isReady());
        assertTrue(first.isPending());
    }

    @Test
    void linkBecomesReadyWhenPredecessorCompletes() {
        CompletionChain chain = new CompletionChain();
        Link a = chain.add();
        Link b = chain.add();
        Link c = chain.add();
        assertFalse(b.isReady());
        a.complete();
        assertTrue(b.isReady());
        assertFalse(c.isReady(), "readiness must not skip a pending link");
        assertFalse(a.isPending());
        assertTrue(b.isPending());
    }

    @Test
    void linkAddedAfterEverythingCompletedIsReadyAtOnce() {
        CompletionChain chain = new CompletionChain();
        Link a = chain.add();
        Link b = chain.add();
        a.complete();
        b.complete();
        assertTrue(chain.add().isReady());
    }

    @Test
    void earlyCompletionCascadesThroughInAnyOrder() {
        CompletionChain chain = new CompletionChain();
        Link[] links = new Link[6];
        for (int i = 0; i < links.length; i++) {
            links[i] = chain.add();
        }
        // complete 3, 1, 2, 4 before 0: none of them may become ready yet
        for (int i : new int[] {3, 1, 2, 4}) {
            links[i].complete();
            assertFalse(links[i].isPending());
        }
        for (int i = 1; i < links.length; i++) {
            assertFalse(links[i].isReady(), "link " + i);
        }
        links[0].complete();
        for (int i = 1; i < links.length; i++) {
            assertTrue(links[i].isReady(), "link " + i);
        }
        Link later = chain.add();
        assertFalse(later.isReady(), "link 5 is still pending");
        links[5].complete();
        assertTrue(later.isReady());
    }

    @Test
    void longEarlyCascadeUsesConstantStack() {
        CompletionChain chain = new CompletionChain();
        Link head = chain.add();
        Link[] rest = new Link[1_000_000];
        for (int i = 0; i < rest.length; i++) {
            rest[i] = chain.add();
        }
        for (int i = rest.length - 1; i >= 0; i--) {
            rest[i].complete();
        }
        head.complete();
        assertTrue(rest[rest.length - 1].isReady());
        assertTrue(chain.add().isReady());
    }

    @Test
    void completingTwiceThrowsAndLeavesChainIntact() {
        CompletionChain chain = new CompletionChain();
        Link a = chain.add();
        Link b = chain.add();
        Link c = chain.add();
        b.complete();
        assertThrows(IllegalStateException.class, b::complete, "twice before ready");
        assertFalse(c.isReady());
        a.complete();
        assertThrows(IllegalStateException.class, a::complete, "twice after ready");
        assertTrue(c.isReady());
        Link d = chain.add();
        assertFalse(d.isReady(), "a repeated completion must not let anything through");
        c.complete();
        assertTrue(d.isReady());
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void awaitBlocksUntilPredecessorCompletes(Kind kind) throws InterruptedException {
        CompletionChain chain = new CompletionChain();
        Link a = chain.add();
        Link b = chain.add();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicInteger woke = new AtomicInteger();
        Thread waiter = kind.start(() -> {
            try {
                b.await();
                woke.incrementAndGet();
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        awaitParked(waiter);
        assertEquals(0, woke.get());
        a.complete();
        join(waiter);
        assertEquals(1, woke.get());
        assertEquals(null, failure.get());
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void everyWaiterOfOneLinkWakesExactlyOnce(Kind kind) throws InterruptedException {
        CompletionChain chain = new CompletionChain();
        Link a = chain.add();
        Link b = chain.add();
        int waiters = kind == Kind.VIRTUAL ? 5_000 : 50;
        AtomicInteger woke = new AtomicInteger();
        CountDownLatch started = new CountDownLatch(waiters);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < waiters; i++) {
            int variant = i % 3;
            threads.add(kind.start(() -> {
                started.countDown();
                try {
                    switch (variant) {
                        case 0 -> b.await();
                        case 1 -> assertTrue(b.await(Duration.ofMinutes(1)));
                        default -> b.awaitUninterruptibly();
                    }
                    woke.incrementAndGet();
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            }));
        }
        assertTrue(started.await(20, TimeUnit.SECONDS));
        awaitParked(threads.getLast());
        assertEquals(0, woke.get());
        a.complete();
        for (Thread t : threads) {
            join(t);
        }
        assertEquals(waiters, woke.get());
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void manyVirtualOrPlatformThreadsPassInAddOrder(Kind kind) throws InterruptedException {
        CompletionChain chain = new CompletionChain();
        int n = kind == Kind.VIRTUAL ? 10_000 : 200;
        Link[] links = new Link[n];
        for (int i = 0; i < n; i++) {
            links[i] = chain.add();
        }
        int[] order = new int[n];
        AtomicInteger published = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int i = n - 1; i >= 0; i--) {        // started latest first: all but one must wait
            int index = i;
            threads.add(kind.start(() -> {
                links[index].awaitUninterruptibly();
                order[published.getAndIncrement()] = index;
                links[index].complete();
            }));
        }
        assertTrue(chain.flush(Duration.ofSeconds(20)), "chain never drained");
        for (Thread t : threads) {
            join(t);
        }
        for (int i = 0; i < n; i++) {
            assertEquals(i, order[i]);
        }
    }

    @Test
    void timedAwaitReturnsFalseOnTimeoutAndTrueWhenReady() throws InterruptedException {
        CompletionChain chain = new CompletionChain();
        Link a = chain.add();
        Link b = chain.add();
        assertFalse(b.await(Duration.ofMillis(20)));
        assertFalse(b.await(Duration.ZERO));
        assertFalse(b.await(Duration.ofNanos(-5)));
        assertTrue(a.await(Duration.ZERO));
        assertTrue(a.await(Duration.ofSeconds(-1)), "a ready link is ready whatever the timeout");
        a.complete();
        assertTrue(b.await(Duration.ofDays(365 * 1000)), "a huge timeout must not overflow");
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void timedOutWaiterLeavesTheOrderIntact(Kind kind) throws InterruptedException {
        CompletionChain chain = new CompletionChain();
        Link a = chain.add();
        Link b = chain.add();
        Link c = chain.add();
        AtomicReference<Boolean> result = new AtomicReference<>();
        Thread quitter = kind.start(() -> {
            try {
                result.set(b.await(Duration.ofMillis(30)));
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        });
        join(quitter);
        assertEquals(Boolean.FALSE, result.get());
        assertFalse(b.isReady());
        a.complete();
        assertTrue(b.isReady());
        assertFalse(c.isReady());
        b.complete();
        assertTrue(c.isReady());
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void interruptedWaiterThrowsAndLeavesTheOrderIntact(Kind kind) throws InterruptedException {
        CompletionChain chain = new CompletionChain();
        Link a = chain.add();
        Link b = chain.add();
        Link c = chain.add();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicReference<Boolean> stillInterrupted = new AtomicReference<>();
        Thread waiter = kind.start(() -> {
            try {
                c.await();
            } catch (Throwable e) {
                thrown.set(e);
                stillInterrupted.set(Thread.currentThread().isInterrupted());
            }
        });
        awaitParked(waiter);
        waiter.interrupt();
        join(waiter);
        assertTrue(thrown.get() instanceof InterruptedException, String.valueOf(thrown.get()));
        assertEquals(Boolean.FALSE, stillInterrupted.get(), "InterruptedException clears the status");
        assertFalse(c.isReady());
        a.complete();
        b.complete();
        assertTrue(c.isReady());
    }

    @Test
    void interruptedThreadThrowsAtOnceUnlessReady() throws InterruptedException {
        CompletionChain chain = new CompletionChain();
        Link a = chain.add();
        Link b = chain.add();
        Thread.currentThread().interrupt();
        a.await();                                   // ready: returns, status untouched
        assertTrue(Thread.currentThread().isInterrupted());
        assertThrows(InterruptedException.class, b::await);
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> b.await(Duration.ofSeconds(10)));
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, chain::flush);
        assertFalse(Thread.interrupted());
        a.complete();
        assertTrue(b.isReady());
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void awaitUninterruptiblyIgnoresInterruptsAndRestoresStatus(Kind kind) throws InterruptedException {
        CompletionChain chain = new CompletionChain();
        Link a = chain.add();
        Link b = chain.add();
        AtomicReference<Boolean> interruptedAfter = new AtomicReference<>();
        Thread waiter = kind.start(() -> {
            b.awaitUninterruptibly();
            interruptedAfter.set(Thread.currentThread().isInterrupted());
        });
        awaitParked(waiter);
        for (int i = 0; i < 3; i++) {
            waiter.interrupt();
        }
        Thread.sleep(20);
        assertTrue(waiter.isAlive(), "an interrupt must not end awaitUninterruptibly");
        a.complete();
        join(waiter);
        assertEquals(Boolean.TRUE, interruptedAfter.get());
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void flushWaitsForEarlierLinksOnly(Kind kind) throws InterruptedException {
        CompletionChain chain = new CompletionChain();
        Link a = chain.add();
        Link b = chain.add();
        AtomicInteger flushed = new AtomicInteger();
        Thread flusher = kind.start(() -> {
            try {
                chain.flush();
                flushed.incrementAndGet();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        });
        awaitParked(flusher);
        Link later = chain.add();
        later.complete();                // a later link completing must not release the flush
        a.complete();
        assertEquals(0, flushed.get());
        assertFalse(flusher.getState() == Thread.State.TERMINATED);
        b.complete();
        join(flusher);
        assertEquals(1, flushed.get());
        assertTrue(chain.add().isReady());
    }

    @Test
    void timedOutOrInterruptedFlushDoesNotHoldUpLaterLinks() throws InterruptedException {
        CompletionChain chain = new CompletionChain();
        Link a = chain.add();
        assertFalse(chain.flush(Duration.ofMillis(10)));
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, chain::flush);
        Link b = chain.add();
        assertFalse(b.isReady());
        a.complete();
        assertTrue(b.isReady(), "the abandoned flush barriers must have passed readiness on");
        assertTrue(chain.flush(Duration.ZERO) == false);
        b.complete();
        assertTrue(chain.flush(Duration.ZERO));
        chain.flush();
    }

    @Test
    void completingFromAnotherThreadPublishesItsWrites() throws InterruptedException {
        CompletionChain chain = new CompletionChain();
        Link a = chain.add();
        Link b = chain.add();
        int[] data = new int[1];
        Thread producer = Thread.ofVirtual().start(() -> {
            data[0] = 42;
            a.complete();
        });
        b.await();
        assertEquals(42, data[0]);
        join(producer);
    }

    @Test
    void nullTimeoutIsRejected() {
        CompletionChain chain = new CompletionChain();
        Link a = chain.add();
        assertThrows(NullPointerException.class, () -> a.await(null));
        assertThrows(NullPointerException.class, () -> chain.flush(null));
    }

    @Test
    void turnsRunInAddOrderOnTheThreadThatCompletesTheHead() {
        CompletionChain chain = new CompletionChain();
        Link[] links = new Link[6];
        for (int i = 0; i < links.length; i++)
            links[i] = chain.add();
        List<String> turns = new ArrayList<>();
        Thread self = Thread.currentThread();
        for (int i = links.length - 1; i >= 1; i--) {      // all but the head, newest first
            int n = i;
            if (n == 3) {
                links[n].complete();                         // a plain completion in the run
                continue;
            }
            links[n].complete(more -> turns.add(n + (more ? "+" : ".") + (Thread.currentThread() == self)));
        }
        assertEquals(List.of(), turns, "no turn before the head completed");
        links[0].complete(more -> turns.add("0" + (more ? "+" : ".") + (Thread.currentThread() == self)));
        // "+": the next link was completed already; "." ends the run; then: ran on this thread
        assertEquals(List.of("0+true", "1+true", "2+true", "4+true", "5.true"), turns);
        assertTrue(chain.add().isReady());
    }

    @Test
    void turnOfAReadyLinkRunsAtOnceAndTheNextLinkIsReadyOnlyAfterIt() {
        CompletionChain chain = new CompletionChain();
        Link a = chain.add();
        Link b = chain.add();
        boolean[] seen = new boolean[2];
        a.complete(more -> {
            seen[0] = more;
            seen[1] = b.isReady();
        });
        assertFalse(seen[0], "b was not completed");
        assertFalse(seen[1], "b became ready before a's turn returned");
        assertTrue(b.isReady());
    }

    @Test
    void aThrowingTurnIsRethrownAndTheCascadeGoesOn() {
        CompletionChain chain = new CompletionChain();
        Link a = chain.add();
        Link b = chain.add();
        Link c = chain.add();
        List<String> turns = new ArrayList<>();
        c.complete(more -> turns.add("c"));
        b.complete(more -> {
            turns.add("b");
            throw new IllegalArgumentException("from b");
        });
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> a.complete(more -> turns.add("a")));
        assertEquals("from b", e.getMessage());
        assertEquals(List.of("a", "b", "c"), turns);
        assertTrue(chain.add().isReady());
    }

    @Test
    void completingTwiceWithATurnThrowsAndRunsNeitherAgain() {
        CompletionChain chain = new CompletionChain();
        Link a = chain.add();
        Link b = chain.add();
        AtomicInteger runs = new AtomicInteger();
        b.complete(more -> runs.incrementAndGet());
        assertThrows(IllegalStateException.class, () -> b.complete(more -> runs.addAndGet(100)));
        assertThrows(IllegalStateException.class, b::complete);
        assertEquals(0, runs.get());
        a.complete();
        assertEquals(1, runs.get());
        assertThrows(IllegalStateException.class, () -> a.complete(more -> runs.addAndGet(100)));
        assertEquals(1, runs.get());
    }

    @Test
    void toStringShowsState() {
        CompletionChain chain = new CompletionChain();
        Link a = chain.add();
        Link b = chain.add();
        b.complete();
        assertEquals("CompletionChain.Link[ready, pending]", a.toString());
        assertEquals("CompletionChain.Link[waiting, completed]", b.toString());
    }
}

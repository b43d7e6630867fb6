package dev.nvmescan.chain;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Phaser;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Per-link hand-off through an ordered turnstile: every benchmark thread repeatedly takes a
 * place at the tail, waits until every earlier place was released, and releases its own. With
 * one thread this is the uncontended cost of add, await and complete; with more threads every
 * operation is a hand-off from whichever thread added the previous place. Run by
 * {@link HandoffBenchmarkMain} at several thread counts, on platform and virtual threads.
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.Throughput, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 1, time = 1)
@Measurement(iterations = 2, time = 1)
@Fork(1)
public class HandoffBenchmark {

    /** One ordered turnstile implementation under test. */
    interface Turnstile {
        Object add();

        void await(Object place) throws InterruptedException;

        void complete(Object place);
    }

    @Param({"chain", "kernel", "phaser", "future"})
    public String impl;

    private Turnstile turnstile;

    @Setup
    public void setUp() {
        turnstile = switch (impl) {
            case "chain" -> new ChainTurnstile();
            case "kernel" -> new KernelTurnstile();
            case "phaser" -> new PhaserTurnstile();
            case "future" -> new FutureTurnstile();
            default -> throw new IllegalArgumentException("unknown impl " + impl);
        };
    }

    @Benchmark
    public Object handoff() throws InterruptedException {
        Turnstile t = turnstile;
        Object place = t.add();
        t.await(place);
        t.complete(place);
        return place;
    }

    /** {@link CompletionChain}. */
    static final class ChainTurnstile implements Turnstile {
        private final CompletionChain chain = new CompletionChain();

        @Override
        public Object add() {
            return chain.add();
        }

        @Override
        public void await(Object place) throws InterruptedException {
            ((CompletionChain.Link) place).await();
        }

        @Override
        public void complete(Object place) {
            ((CompletionChain.Link) place).complete();
        }
    }

    /** The kernel design, {@link KernelComplChain}. */
    static final class KernelTurnstile implements Turnstile {
        private final KernelComplChain chain = new KernelComplChain();

        @Override
        public Object add() {
            KernelComplChain.Entry entry = new KernelComplChain.Entry();
            chain.add(entry);
            return entry;
        }

        @Override
        public void await(Object place) {
            KernelComplChain.await((KernelComplChain.Entry) place);
        }

        @Override
        public void complete(Object place) {
            KernelComplChain.complete((KernelComplChain.Entry) place);
        }
    }

    /** A one-party {@link Phaser} whose phase is the number of released places: a ticket lock. */
    static final class PhaserTurnstile implements Turnstile {
        private final Phaser phaser = new Phaser(1);
        private final AtomicInteger tickets = new AtomicInteger();

        @Override
        public Object add() {
            return tickets.getAndIncrement();
        }

        @Override
        public void await(Object place) throws InterruptedException {
            int ticket = (Integer) place;
            for (int phase; (phase = phaser.getPhase()) < ticket; ) {
                phaser.awaitAdvanceInterruptibly(phase);
            }
        }

        @Override
        public void complete(Object place) {
            phaser.arrive();
        }
    }

    /** Each place is a future; a place waits for its predecessor's future. */
    static final class FutureTurnstile implements Turnstile {
        private record Place(CompletableFuture<Void> previous, CompletableFuture<Void> own) { }

        private final AtomicReference<CompletableFuture<Void>> tail =
                new AtomicReference<>(CompletableFuture.completedFuture(null));

        @Override
        public Object add() {
            CompletableFuture<Void> own = new CompletableFuture<>();
            return new Place(tail.getAndSet(own), own);
        }

        @Override
        public void await(Object place) {
            ((Place) place).previous().join();
        }

        @Override
        public void complete(Object place) {
            ((Place) place).own().complete(null);
        }
    }
}

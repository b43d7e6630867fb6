package dev.nvmescan.chain;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;

import dev.nvmescan.chain.CompletionChain.Link;
import java.time.Duration;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * jcstress: a non-blocking {@code flush(ZERO)} races the completion of a, while b (added
 * after a) was completed early, so the flush barrier is attached while readiness may be
 * cascading from a through b. If the flush succeeds, a's completion and the data written
 * before it must be visible; a flush that failed must not hold up later links.
 * r1: x as seen after a successful flush (-1: the flush found a pending);
 * r2: a link added after everything ended is ready, and a second flush succeeds (must be 1).
 */
@JCStressTest
@Outcome(id = "-1, 1", expect = ACCEPTABLE, desc = "flushed while a was pending")
@Outcome(id = "1, 1", expect = ACCEPTABLE_INTERESTING, desc = "flushed after the cascade")
@State
public class FlushVersusCompletionRace {
    private final CompletionChain chain = new CompletionChain();
    private final Link a = chain.add();
    private final Link b = chain.add();
    private int x;

    public FlushVersusCompletionRace() {
        b.complete();
    }

    @Actor
    public void completer() {
        x = 1;
        a.complete();
    }

    @Actor
    public void flusher(II_Result r) {
        try {
            r.r1 = chain.flush(Duration.ZERO) ? x : -1;
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Arbiter
    public void arbiter(II_Result r) {
        try {
            Link later = chain.add();
            boolean ready = later.isReady();
            later.complete();
            r.r2 = ready && chain.flush(Duration.ZERO) ? 1 : 0;
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}

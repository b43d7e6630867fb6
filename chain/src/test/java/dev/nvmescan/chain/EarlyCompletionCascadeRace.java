package dev.nvmescan.chain;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;

import dev.nvmescan.chain.CompletionChain.Link;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * jcstress: links a, b, c, d with a ready and c completed early; a and b are completed at
 * once, so b may be completed before it is ready and readiness must cascade through b and c
 * to d. Whichever completion comes last releases the cascade in its own thread, so at least
 * one completer sees d ready, and then with the data written before both completions.
 * r1, r2: x + y as seen by the completers of a and b when d is ready (-1: not yet ready);
 * r3: a, b, c and d are all ready at the end, and a new link waits for d (must be 1).
 */
@JCStressTest
@Outcome(id = "2, -1, 1", expect = ACCEPTABLE, desc = "a completed last and released the cascade")
@Outcome(id = "-1, 2, 1", expect = ACCEPTABLE, desc = "b completed last and released the cascade")
@Outcome(id = "2, 2, 1", expect = ACCEPTABLE_INTERESTING, desc = "both saw the cascade done")
@State
public class EarlyCompletionCascadeRace {
    private final CompletionChain chain = new CompletionChain();
    private final Link a = chain.add();
    private final Link b = chain.add();
    private final Link c = chain.add();
    private final Link d = chain.add();
    private int x;
    private int y;

    public EarlyCompletionCascadeRace() {
        c.complete();
    }

    @Actor
    public void completeA(III_Result r) {
        x = 1;
        a.complete();
        r.r1 = d.isReady() ? x + y : -1;
    }

    @Actor
    public void completeB(III_Result r) {
        y = 1;
        b.complete();
        r.r2 = d.isReady() ? x + y : -1;
    }

    @Arbiter
    public void arbiter(III_Result r) {
        r.r3 = b.isReady() && c.isReady() && d.isReady() && !chain.add().isReady() ? 1 : 0;
    }
}

package dev.nvmescan.chain;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;

import dev.nvmescan.chain.CompletionChain.Link;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * jcstress: {@code add()} races the completion of its predecessor on the predecessor's
 * {@code next}. Whoever loses, the new link must end up ready exactly when it is observed
 * ready, the completer's writes must be visible to it, and the link after it must not be.
 * r1: the data the adder sees when its link is ready already (-1: not ready yet);
 * r2: whether the new link is ready once both are done (must be 1).
 */
@JCStressTest
@Outcome(id = "-1, 1", expect = ACCEPTABLE, desc = "added before the predecessor completed")
@Outcome(id = "42, 1", expect = ACCEPTABLE_INTERESTING, desc = "added after it completed: ready at once")
@State
public class AddVersusCompletionRace {
    private final CompletionChain chain = new CompletionChain();
    private final Link first = chain.add();
    private int data;
    private Link added;

    @Actor
    public void completer() {
        data = 42;
        first.complete();
    }

    @Actor
    public void adder(II_Result r) {
        Link link = chain.add();
        added = link;
        r.r1 = link.isReady() ? data : -1;
    }

    @Arbiter
    public void arbiter(II_Result r) {
        r.r2 = added.isReady() && !chain.add().isReady() ? 1 : 0;
    }
}

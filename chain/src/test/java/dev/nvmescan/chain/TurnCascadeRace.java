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
 * jcstress: links a (ready) and b are completed at once, each with a turn. b's turn must run once,
 * after a's, and see what a's turn wrote, on whichever thread completed last; when a's turn was
 * told {@code more}, b's turn must follow on a's thread.
 * r1: a's turn was told more (1) or not (0); r2: the actor whose thread ran b's turn;
 * r3: what b's turn saw of a's turn (1), or -1 if it ran more than once.
 */
@JCStressTest
@Outcome(id = "0, 2, 1", expect = ACCEPTABLE, desc = "a's turn ended its run; b's completer ran b's turn")
@Outcome(id = "1, 1, 1", expect = ACCEPTABLE_INTERESTING, desc = "b completed first: a's thread ran both")
@Outcome(id = "0, 1, 1", expect = ACCEPTABLE_INTERESTING, desc = "b completed during a's turn: a's thread ran both")
@State
public class TurnCascadeRace {
    private final CompletionChain chain = new CompletionChain();
    private final Link a = chain.add();
    private final Link b = chain.add();
    private int written;
    private int aMore;
    private int bRanOn;
    private int bSaw;
    private Thread bThread;

    @Actor
    public void completeA() {
        a.complete(more -> {
            aMore = more ? 1 : 0;
            written = 1;
        });
    }

    @Actor
    public void completeB() {
        bThread = Thread.currentThread();            // published to a's thread by b's completion
        b.complete(more -> {
            bSaw = bRanOn == 0 ? written : -1;
            bRanOn = Thread.currentThread() == bThread ? 2 : 1;
        });
    }

    @Arbiter
    public void arbiter(III_Result r) {
        r.r1 = aMore;
        r.r2 = bRanOn;
        r.r3 = bSaw;
    }
}

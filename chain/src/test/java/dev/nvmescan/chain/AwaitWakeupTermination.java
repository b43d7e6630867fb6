package dev.nvmescan.chain;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.nvmescan.chain.CompletionChain.Link;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Mode;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.Signal;
import org.openjdk.jcstress.annotations.State;

/**
 * jcstress: a thread parked in {@code await()} must wake when the predecessor completes; a
 * lost wake-up shows as a stale actor.
 */
@JCStressTest(Mode.Termination)
@Outcome(id = "TERMINATED", expect = ACCEPTABLE, desc = "woke when the predecessor completed")
@Outcome(id = "STALE", expect = FORBIDDEN, desc = "lost wake-up")
@State
public class AwaitWakeupTermination {
    private final CompletionChain chain = new CompletionChain();
    private final Link first = chain.add();
    private final Link second = chain.add();

    @Actor
    public void waiter() {
        second.awaitUninterruptibly();
    }

    @Signal
    public void completer() {
        first.complete();
    }
}

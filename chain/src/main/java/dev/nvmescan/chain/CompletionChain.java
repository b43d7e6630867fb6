package dev.nvmescan.chain;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A lock-free completion chain: operations are {@linkplain #add() added} in some order, run
 * concurrently, and each one may {@linkplain Link#await() wait} until every operation added before
 * it has {@linkplain Link#complete() completed}. It serializes the <em>publication</em> of results
 * that are produced out of order, e.g. namespaces identified concurrently but reported in NSID order.
 *
 * <pre>{@code
 * CompletionChain chain = new CompletionChain();
 * for (Job job : jobs) {
 *     CompletionChain.Link link = chain.add();          // in the order results must appear
 *     executor.execute(() -> {
 *         Result r = job.run();                          // concurrently
 *         link.await();                                  // until all earlier links completed
 *         publish(r);                                    // in add order
 *         link.complete();                               // lets the next link through
 *     });
 * }
 * chain.flush();                                         // all of them published
 * }</pre>
 *
 * <p>A link is <em>ready</em> once its predecessor has completed and was itself ready, i.e. once all
 * earlier links completed. {@link Link#complete()} never blocks: a link completed before it is ready
 * is remembered, and when it becomes ready, readiness passes straight through it to its successor.
 * Completing a link twice throws {@link IllegalStateException} (two completions racing each other
 * may go unnoticed: a link has one owner). Any number of threads may wait for
 * the same link; all of them wake when it becomes ready. Actions of a thread before it completes a
 * link <em>happen-before</em> the actions of every thread after it observes a later link ready
 * (a return from {@code await}, or {@code isReady()} returning {@code true}).
 *
 * <p>Instead of awaiting its turn, an operation may hand the chain what to do in it:
 * {@link Link#complete(InTurn)} completes the link with an action that runs once the link is ready,
 * on whichever thread makes it so, before readiness passes on. Then nobody waits: the thread that
 * completes the oldest pending link runs its action and those of the run of successors that were
 * completed already, one after the other, and tells each action whether another follows at once.
 * The actions of a chain run in add order, one at a time, each happening-before the next.
 *
 * <p>{@code add} and {@code complete} are lock-free. A waiter whose predecessor is ready (the one
 * next in line) spins for a few microseconds first; every other waiter parks with
 * {@link LockSupport} at once, so virtual threads waiting on a chain release their carriers. A waiter that times out or is
 * interrupted leaves the chain intact: only completions move it. The chain references only its
 * newest link, and a link that has passed readiness on references nothing, so links that are done
 * with are garbage once their owners drop them, however long the chain runs.
 *
 * <p>This is the counterpart of the Linux kernel's proposed {@code compl_chain} helper, which keeps
 * its entries on a spinlock-protected list and whose completion blocks until the entry is ready.
 */
public final class CompletionChain {

    /*
     * Implementation overview.
     *
     * The chain is a singly linked list threaded through Link.next, with the newest link in
     * `tail` (like the queue of an MCS lock). The chain starts with a sentinel link that is
     * already passed. Each link carries:
     *
     *   state    READY (all earlier links completed) and DONE (complete() was called) bits.
     *            Each bit is set exactly once, by an atomic getAndBitwiseOr. The link is
     *            "passed" once both are set, and the one thread whose getAndBitwiseOr set the
     *            second bit hands readiness on to the successor (pass()). So every link is
     *            handed on by exactly one thread, exactly once.
     *   next     null while the successor is unknown, then the successor, then PASSED once
     *            readiness was handed on (clearing the reference, so passed links hold nothing).
     *   waiters  a Treiber stack of parked threads, swapped out when the link becomes READY.
     *
     * Invariants: (1) tail is never null and is the newest link; (2) a link's READY bit is set
     * iff its predecessor has been passed (the sentinel counts as passed); (3) a link's next
     * goes null -> successor -> PASSED, or null -> PASSED, and never changes otherwise.
     *
     * Racy point 1, add() against the completion of its predecessor. add() swaps itself into
     * tail with getAndSet, which gives each link exactly one predecessor `prev` and each link
     * at most one successor. Both sides then race on the single word prev.next: add()
     * CASes it null -> link; pass(prev) CASes it null -> PASSED. Exactly one CAS wins. If
     * add() wins, pass() reads the successor from its failed CAS and marks it READY; if pass()
     * wins, add() sees PASSED and marks its own link READY. Either way the link becomes READY
     * exactly once, and nothing is lost: neither side waits for the other. Both CASes are
     * volatile, so the successor is published safely to pass(), and everything the passing
     * thread did before its CAS happens-before add() reading PASSED.
     *
     * Racy point 2, complete() against the link becoming READY (the early-complete cascade).
     * Both set their bit with getAndBitwiseOr on state, a volatile read-modify-write; they
     * are totally ordered, so exactly one of them sees the other's bit and calls pass().
     * pass() loops (never recurses) down the chain while the links it readies were DONE
     * already, so a long run of early completions is released by one thread in constant stack.
     * Happens-before: the completer's RMW releases, the readier's RMW acquires (or the other
     * way round), and each hand-off is another volatile RMW, so completions of all earlier
     * links happen-before a thread's observing READY: the ordering promised above.
     *
     * Racy point 3, a waiter parking against the link becoming READY (no lost wake-up).
     * The waiter pushes its node onto `waiters` (volatile CAS), then re-reads state before
     * every park. The readier sets READY (volatile RMW) and then reads `waiters`: if it is
     * null, it leaves it; otherwise it swaps in RELEASED and unparks every node's thread.
     * Volatile accesses are sequentially consistent, so in the synchronization order either
     * the waiter's push precedes the readier's read of `waiters` (and the readier unparks
     * it; an unpark before the park leaves a permit, so the park returns at once), or the
     * readier's write of READY precedes the waiter's read of state (and it never parks).
     * A push that finds RELEASED means READY is already set. Spurious wake-ups re-check.
     *
     * Racy point 4, cancellation. A waiter that times out or is interrupted clears its node's
     * thread (so it is never unparked later) and unlinks cancelled nodes: it pops them off the
     * head with CAS, and splices them out of the interior with simple writes (no CAS) to next.
     * Nodes are only ever pushed at the head, and an interior next only ever moves forward
     * over cancelled nodes, so racing splices can at worst re-link a cancelled node, never
     * drop a live one. Giving up touches neither state nor next: the order stays intact.
     *
     * Turns. complete(InTurn) stores the action in the link's plain field `turn` before its
     * DONE RMW, which publishes it to whichever thread sets the other bit; that thread runs it
     * in pass(), before handing readiness on, and clears it. So actions run in chain order on
     * the passing threads, one at a time, each happening-before the next (same thread, or the
     * volatile RMWs of the hand-off). Before running an action, pass() reads the successor's
     * state: DONE seen there stays set, so the hand-off's RMW will see it too and the cascade
     * goes on in this thread; that is the action's `more`. DONE not seen may still be set
     * before the RMW, so `more == false` only hints at the end of a run. An action that throws
     * does not stop the cascade (later completers returned already and count on it): the
     * first throwable is rethrown from the complete() that ran it, once the cascade ended.
     *
     * Fast paths. complete() on a link already READY stores DONE with a release write instead of
     * an RMW: READY is set once, so no other thread writes that state any more, and the passer
     * reading it is the completer itself. pass() reads next first and CASes only while it is
     * null (the successor not attached yet): once attached, only the passer changes it. Both are
     * the path of a link completed after its await returned, i.e. of every uncontended link.
     *
     * Spinning. add() records the predecessor in the new link's `prev` (before attach publishes
     * the link), and whoever makes the link ready clears it. A waiter spins only while `prev` is
     * READY, i.e. its owner is running toward its completion; the race on `prev` is benign (a
     * stale value costs at most one bounded spin), and it only ever points at a link that has
     * not passed readiness on, so it keeps nothing finished alive.
     *
     * Memory: the chain references only tail; pass() clears next, turn and the successor's prev;
     * a RELEASED stack is empty. A link therefore keeps only not-yet-passed links alive, never
     * finished ones.
     */

    /** The newest link; initially a sentinel that is already passed. */
    private volatile Link tail = Link.passedSentinel();

    /** Creates an empty chain: its first link will be ready at once. */
    public CompletionChain() {
    }

    /**
     * Adds a link at the tail of the chain. The link is ready at once if every link added
     * before it has completed (or none was), otherwise when the last of them completes.
     *
     * @return the new link, pending until {@link Link#complete()} is called on it
     */
    public Link add() {
        Link link = new Link();
        Link prev = (Link) TAIL.getAndSet(this, link);
        link.prev = prev;           // before attach() publishes the link to prev's passer
        prev.attach(link);
        return link;
    }

    /**
     * Waits until every link added before this call has completed. It adds a barrier link,
     * completes it at once and waits for it, so links added later are never held up, not even
     * when the wait is interrupted.
     *
     * @throws InterruptedException if interrupted while waiting
     */
    public void flush() throws InterruptedException {
        Link barrier = add();
        barrier.complete();
        barrier.await();
    }

    /**
     * Waits at most {@code timeout} until every link added before this call has completed.
     *
     * @param timeout the longest time to wait; zero or negative just checks
     * @return {@code true} if all of them completed, {@code false} if the time ran out first
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean flush(Duration timeout) throws InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        Link barrier = add();
        barrier.complete();
        return barrier.await(timeout);
    }

    /** What an operation does in its turn: see {@link Link#complete(InTurn)}. */
    @FunctionalInterface
    public interface InTurn {
        /**
         * Runs in the link's turn: after the actions of every earlier link, before those of any
         * later one, and before the next link becomes ready.
         *
         * @param more the next link was completed already, so its turn follows on this thread at
         *             once; {@code false} hints that a run of turns ends here (a completion racing
         *             with it may still extend the run, never the other way round)
         */
        void run(boolean more);
    }

    /**
     * One operation's place in a {@link CompletionChain}, created by {@link CompletionChain#add()}.
     * All methods are thread-safe; any thread may complete a link and any number may await it.
     */
    public static final class Link {
        /** State bit: every link added before this one has completed. */
        private static final int READY = 1;
        /** State bit: {@link #complete()} has been called. */
        private static final int DONE = 2;
        /** How often {@link #spin} checks before the waiter parks: a few microseconds. */
        private static final int SPINS = 128;

        /** Marks {@link #next} of a link that has handed readiness on, or must do so on attach. */
        private static final Link PASSED = new Link();
        /** Marks {@link #waiters} of a link whose waiters were released. */
        private static final Waiter RELEASED = new Waiter(null);

        private volatile int state;
        private volatile Link next;
        private volatile Waiter waiters;
        /** The action for this link's turn; written before DONE is set, cleared when it ran. */
        private InTurn turn;
        /** The predecessor until this link is ready, for {@link #spin}; a benign race, read as a hint. */
        private Link prev;

        private Link() {
        }

        /** The chain's initial tail: ready, completed, and already passed on. */
        static Link passedSentinel() {
            Link sentinel = new Link();
            sentinel.state = READY | DONE;
            sentinel.next = PASSED;
            return sentinel;
        }

        /**
         * Waits until this link is ready, i.e. every link added before it has completed.
         * Returns at once if it is ready already, even when the thread is interrupted.
         *
         * @throws InterruptedException if interrupted while waiting; the chain is unaffected
         */
        public void await() throws InterruptedException {
            if ((state & READY) == 0) {
                block(true, false, 0L);
            }
        }

        /**
         * Waits at most {@code timeout} until this link is ready.
         *
         * @param timeout the longest time to wait; zero or negative just checks
         * @return {@code true} if the link is ready, {@code false} if the time ran out first
         * @throws InterruptedException if interrupted while waiting; the chain is unaffected
         */
        public boolean await(Duration timeout) throws InterruptedException {
            long nanos = TimeUnit.NANOSECONDS.convert(Objects.requireNonNull(timeout, "timeout"));
            if ((state & READY) != 0) {
                return true;
            }
            return nanos > 0L && block(true, true, nanos);
        }

        /**
         * Waits until this link is ready, ignoring interrupts; if the thread was interrupted
         * meanwhile, its interrupt status is set again on return.
         */
        public void awaitUninterruptibly() {
            if ((state & READY) == 0) {
                try {
                    block(false, false, 0L);
                } catch (InterruptedException impossible) {
                    throw new AssertionError(impossible);
                }
            }
        }

        /** {@return whether every link added before this one has completed} Never blocks. */
        public boolean isReady() {
            return (state & READY) != 0;
        }

        /** {@return whether this link has been added and not yet completed} Never blocks. */
        public boolean isPending() {
            return (state & DONE) == 0;
        }

        /**
         * Completes this link. Never blocks: if this link is ready, the next one becomes ready
         * now; otherwise the completion is remembered, and readiness passes through this link as
         * soon as it becomes ready.
         *
         * @throws IllegalStateException if this link was completed already
         */
        public void complete() {
            if (state == READY) {           // nobody else writes state once READY is set
                STATE.setRelease(this, READY | DONE);
                pass();
                return;
            }
            int s = (int) STATE.getAndBitwiseOr(this, DONE);
            if ((s & DONE) != 0) {
                throw new IllegalStateException("completion chain link completed twice");
            }
            if ((s & READY) != 0) {
                pass();
            }
        }

        /**
         * Completes this link with an action for its turn. Never waits: if this link is ready,
         * the calling thread runs {@code action} now, and then the actions of the successors that
         * were completed already, in order; otherwise the thread that makes this link ready runs
         * it. Either way readiness passes on to the next link only after {@code action} returned.
         * An action should not throw: if one does, the cascade still goes on, and the throwable
         * is rethrown from this call or from the {@code complete} of an earlier link, whichever
         * ran it.
         *
         * @param action what to do in this link's turn, told whether the next turn follows at once
         * @throws IllegalStateException if this link was completed already
         */
        public void complete(InTurn action) {
            Objects.requireNonNull(action, "action");
            if ((state & DONE) != 0) {          // before touching turn, which a passer may read
                throw new IllegalStateException("completion chain link completed twice");
            }
            turn = action;
            if (state == READY) {
                STATE.setRelease(this, READY | DONE);
                pass();
                return;
            }
            int s = (int) STATE.getAndBitwiseOr(this, DONE);
            if ((s & DONE) != 0) {
                throw new IllegalStateException("completion chain link completed twice");
            }
            if ((s & READY) != 0) {
                pass();
            }
        }

        @Override
        public String toString() {
            int s = state;
            return "CompletionChain.Link[" + ((s & READY) != 0 ? "ready" : "waiting")
                    + ((s & DONE) != 0 ? ", completed]" : ", pending]");
        }

        /** Links {@code succ} behind this link, the chain's tail until {@code succ} replaced it. */
        private void attach(Link succ) {
            if (next == PASSED || !NEXT.compareAndSet(this, null, succ)) {
                succ.prev = null;
                succ.state = READY;     // unpublished to its owner yet: no waiters, not DONE
            }
        }

        /**
         * Hands readiness on from this ready and completed link, and on through every
         * successor that was completed early, running each link's turn before it hands on.
         * Called once per link, by the thread that set the second of its two state bits.
         */
        private void pass() {
            Throwable failure = null;
            Link p = this;
            for (;;) {
                InTurn action = p.turn;
                if (action != null) {
                    p.turn = null;
                    Link n = p.next;        // only this thread makes it PASSED
                    try {
                        action.run(n != null && (n.state & DONE) != 0);
                    } catch (Throwable t) {
                        if (failure == null) {
                            failure = t;
                        } else {
                            failure.addSuppressed(t);
                        }
                    }
                }
                Link succ = p.next;         // once attached, only this thread changes it
                if (succ == PASSED) {
                    throw new IllegalStateException("completion chain link completed twice");
                }
                if (succ == null) {
                    succ = (Link) NEXT.compareAndExchange(p, null, PASSED);
                }
                if (succ == null) {
                    break;                  // its add() will find PASSED and make itself ready
                }
                NEXT.set(p, PASSED);        // forget the successor; nobody else reads p.next now
                succ.prev = null;
                int s = (int) STATE.getAndBitwiseOr(succ, READY);
                succ.release();
                if ((s & DONE) == 0) {
                    break;                  // its complete() will pass it on
                }
                p = succ;
            }
            if (failure instanceof RuntimeException e) {
                throw e;
            }
            if (failure instanceof Error e) {
                throw e;
            }
            if (failure != null) {
                throw new IllegalStateException("a turn threw", failure);
            }
        }

        /**
         * Spins a little while the predecessor is ready, i.e. its owner is between its own turn
         * and its completion, which is usually shorter than parking and being woken. A waiter
         * further back parks at once, so however many threads wait, about one spins.
         *
         * @return {@code true} if this link became ready meanwhile
         */
        private boolean spin() {
            Link p = prev;
            if (p == null || (p.state & READY) == 0) {
                return false;
            }
            for (int i = 0; i < SPINS; i++) {
                Thread.onSpinWait();
                if ((state & READY) != 0) {
                    return true;
                }
            }
            return false;
        }

        /** Unparks every waiter; called once, after READY was set. */
        private void release() {
            if (waiters != null) {
                for (Waiter w = (Waiter) WAITERS.getAndSet(this, RELEASED); w != null; w = w.next) {
                    Thread t = w.thread;
                    if (t != null) {
                        w.thread = null;
                        LockSupport.unpark(t);
                    }
                }
            }
        }

        /**
         * Parks the current thread until this link is ready.
         *
         * @return {@code true} if ready, {@code false} if timed out
         * @throws InterruptedException if interruptible and interrupted before ready
         */
        private boolean block(boolean interruptible, boolean timed, long nanos)
                throws InterruptedException {
            if (spin()) {
                return true;
            }
            long deadline = timed ? System.nanoTime() + nanos : 0L;
            Waiter node = new Waiter(Thread.currentThread());
            Waiter head;
            do {
                head = waiters;
                if (head == RELEASED) {
                    return true;
                }
                node.next = head;
            } while (!WAITERS.compareAndSet(this, head, node));

            boolean interrupted = false;
            try {
                for (;;) {
                    if ((state & READY) != 0) {
                        node.thread = null;
                        return true;
                    }
                    if (Thread.interrupted()) {
                        if (interruptible) {
                            cancel(node);
                            throw new InterruptedException();
                        }
                        interrupted = true;
                    }
                    if (timed) {
                        nanos = deadline - System.nanoTime();
                        if (nanos <= 0L) {
                            cancel(node);
                            return (state & READY) != 0;
                        }
                        LockSupport.parkNanos(this, nanos);
                    } else {
                        LockSupport.park(this);
                    }
                }
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        /** Withdraws a waiter that gives up, and unlinks every withdrawn waiter it can find. */
        private void cancel(Waiter node) {
            node.thread = null;
            Waiter head;
            while ((head = waiters) != null && head != RELEASED && head.thread == null) {
                WAITERS.compareAndSet(this, head, head.next);
            }
            if (head == null || head == RELEASED) {
                return;
            }
            for (Waiter p = head, q; (q = p.next) != null; ) {
                if (q.thread == null) {
                    p.next = q.next;
                } else {
                    p = q;
                }
            }
        }
    }

    /** A parked thread in a link's stack of waiters; {@code thread} is null once it left. */
    private static final class Waiter {
        volatile Thread thread;
        volatile Waiter next;

        Waiter(Thread thread) {
            this.thread = thread;
        }
    }

    private static final VarHandle TAIL;
    private static final VarHandle STATE;
    private static final VarHandle NEXT;
    private static final VarHandle WAITERS;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            TAIL = lookup.findVarHandle(CompletionChain.class, "tail", Link.class);
            STATE = lookup.findVarHandle(Link.class, "state", int.class);
            NEXT = lookup.findVarHandle(Link.class, "next", Link.class);
            WAITERS = lookup.findVarHandle(Link.class, "waiters", Waiter.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}

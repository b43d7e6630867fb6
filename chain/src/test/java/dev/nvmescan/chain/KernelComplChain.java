package dev.nvmescan.chain;

import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * Benchmark baseline: a faithful Java port of the Linux kernel's proposed {@code compl_chain}
 * (a spinlock, an intrusive doubly linked list, and one {@code struct completion} per entry whose
 * wait queue is guarded by its own spinlock). Only one adaptation: user space cannot disable
 * preemption, so a spinning platform thread yields its CPU after a few dozen failed attempts;
 * without that, 64 platform threads on 2 cores would measure the scheduler's time slice, not the
 * design. Virtual threads are never preempted inside a critical section, so they spin like kernel
 * code; letting them yield too hung the 64-virtual-thread benchmark under JMH (a chain-lock
 * holder that yielded while taking a completion's lock was never run again).
 */
final class KernelComplChain {

    /** {@code spinlock_t}. */
    static final class SpinLock {
        private static final int SPINS_BEFORE_YIELD = 64;
        private final AtomicBoolean locked = new AtomicBoolean();

        void lock() {
            int spins = 0;
            while (locked.get() || !locked.compareAndSet(false, true)) {
                if (++spins < SPINS_BEFORE_YIELD || Thread.currentThread().isVirtual()) {
                    Thread.onSpinWait();
                } else {
                    spins = 0;
                    Thread.yield();
                }
            }
        }

        void unlock() {
            locked.setRelease(false);
        }
    }

    /** {@code struct completion}: a done count and a simple wait queue under a raw spinlock. */
    static final class Completion {
        private static final int ALL = Integer.MAX_VALUE;       // UINT_MAX in the kernel
        private final SpinLock lock = new SpinLock();
        private final ArrayDeque<Thread> waiters = new ArrayDeque<>(2);
        private volatile int done;

        /** {@code wait_for_completion}: sleep until done, consuming one completion unless all. */
        void waitFor() {
            lock.lock();
            if (done == 0) {
                waiters.addLast(Thread.currentThread());
                do {
                    lock.unlock();
                    LockSupport.park(this);
                    lock.lock();
                } while (done == 0);
            }
            if (done != ALL) {
                done--;
            }
            lock.unlock();
        }

        /** {@code complete_all}: mark done forever and wake every waiter, under the lock. */
        void completeAll() {
            lock.lock();
            done = ALL;
            for (Thread t; (t = waiters.pollFirst()) != null; ) {
                LockSupport.unpark(t);
            }
            lock.unlock();
        }
    }

    /** {@code struct compl_chain_entry} with its {@code list_head} inlined. */
    static final class Entry {
        private Entry prev = this;
        private Entry next = this;
        private final Completion prevFinished = new Completion();
        private volatile KernelComplChain chain;
    }

    private final SpinLock lock = new SpinLock();
    private final Entry list = new Entry();            // list head

    /** {@code compl_chain_add}. */
    void add(Entry entry) {
        entry.chain = this;
        lock.lock();
        if (list.next == list) {
            entry.prevFinished.completeAll();
        }
        Entry last = list.prev;                        // list_add_tail
        entry.next = list;
        entry.prev = last;
        last.next = entry;
        list.prev = entry;
        lock.unlock();
    }

    /** {@code compl_chain_wait}. */
    static void await(Entry entry) {
        entry.prevFinished.waitFor();
    }

    /** {@code compl_chain_complete}: waits for the predecessor, unlinks, wakes the next entry. */
    static void complete(Entry entry) {
        KernelComplChain chain = entry.chain;
        entry.prevFinished.waitFor();
        chain.lock.lock();
        entry.prev.next = entry.next;                  // list_del
        entry.next.prev = entry.prev;
        entry.next = null;
        entry.prev = null;
        if (chain.list.next != chain.list) {
            chain.list.next.prevFinished.completeAll();
        }
        chain.lock.unlock();
        entry.chain = null;
    }

    /** {@code compl_chain_pending}. */
    static boolean pending(Entry entry) {
        return entry.chain != null;
    }
}

package dev.nvmescan.nativebindings.uring;

import java.lang.foreign.MemorySegment;

/**
 * What {@link UringDispatcher} needs of a ring: {@link IoUring} on the kernel, a fake in tests that
 * must make the kernel's rare answers (a refused submission) happen on demand.
 *
 * <p>Threading as in {@link IoUring}: one submitter at a time for {@link #sqe} and {@link #submit};
 * one reaping thread for {@link #drain} and {@link #awaitCompletions}; {@link #close} after both.
 */
interface Ring extends AutoCloseable {

    /** Receives one completion: its user_data, res and big_cqe[0]. */
    @FunctionalInterface
    interface CompletionSink {
        void accept(long userData, int res, long extra);
    }

    /** How many SQEs the ring has. */
    int sqEntries();

    /** SQE {@code index}, zeroed, for the caller to fill. */
    MemorySegment sqe(int index);

    /**
     * submit - publish SQE {@code index} and have the kernel consume it
     * @return 0, or the errno of a submission that took nothing: the entry will never run
     */
    int submit(int index);

    /** Hands every completion already posted to {@code sink}, oldest first. */
    void drain(CompletionSink sink);

    /**
     * Blocks until at least one completion is posted or {@code timeoutNanos} passed.
     * @return 0, also on the timeout or a signal, or the errno of a failed wait
     */
    int awaitCompletions(long timeoutNanos);

    /** Unmaps the ring and closes its descriptor. */
    @Override
    void close();
}

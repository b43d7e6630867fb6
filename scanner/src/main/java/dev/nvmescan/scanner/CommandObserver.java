package dev.nvmescan.scanner;

import dev.nvmescan.nativebindings.AdminCommand;

/** Sees every command a scan issues, when it completes; called from any thread, concurrently. */
@FunctionalInterface
public interface CommandObserver {
    /** Observes nothing. */
    CommandObserver NONE = (command, lane, startNanos, endNanos, failure) -> {};

    /**
     * A command completed.
     *
     * @param command    the command
     * @param lane       which of the queue-depth slots carried it, 0 based (no two overlapping commands share one)
     * @param startNanos {@link System#nanoTime()} when it was handed to the channel
     * @param endNanos   {@link System#nanoTime()} when it completed
     * @param failure    why it failed, or null
     */
    void completed(AdminCommand command, int lane, long startNanos, long endNanos, Throwable failure);
}

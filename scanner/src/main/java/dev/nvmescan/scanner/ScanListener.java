package dev.nvmescan.scanner;

import dev.nvmescan.nativebindings.identify.IdentifyController;

/**
 * Receives a scan's results as they are published. Calls never overlap: they come from one thread
 * at a time, with happens-before between consecutive calls, {@link #controller} first. In
 * {@link ScanMode#ORDERED} the namespaces come in NSID-list order.
 *
 * <p>Publications come in <em>runs</em>: namespaces that were ready together are published one after
 * the other by one thread, and {@link #endOfRun} follows the last of them, before any later
 * namespace and before {@link NamespaceScanner#scan} returns. A listener that buffers its output
 * flushes there, once per run rather than once per namespace. (Unordered and sequential scans end a
 * run after every namespace; an ordered scan may end one early, never late.)
 */
public interface ScanListener {
    /**
     * Identify Controller succeeded; called before any namespace. Does nothing by default.
     *
     * @param controller the controller's Identify data
     */
    default void controller(IdentifyController controller) {}

    /**
     * One namespace, identified or failed. If this throws, the scan publishes an error entry
     * (kind {@code internal}) for the namespace in its place, once.
     *
     * @param entry the namespace, in its place (see {@link NamespaceEntry#position()})
     */
    void published(NamespaceEntry entry);

    /**
     * The run of publications since the previous run ended is complete. Should not throw: there is
     * no namespace left to report it in, so what it throws is dropped.
     */
    default void endOfRun() {}
}

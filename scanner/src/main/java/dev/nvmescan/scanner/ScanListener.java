package dev.nvmescan.scanner;

import dev.nvmescan.nativebindings.identify.IdentifyController;

/**
 * Receives a scan's results as they are published. Calls never overlap: {@link #published} is called
 * from one thread at a time (in NSID-list order in {@link ScanMode#ORDERED}), with happens-before
 * between consecutive calls.
 */
public interface ScanListener {
    /**
     * Identify Controller succeeded; called before any namespace. Does nothing by default.
     *
     * @param controller the controller's Identify data
     */
    default void controller(IdentifyController controller) {}

    /**
     * One namespace, identified or failed.
     *
     * @param entry the namespace, in its place (see {@link NamespaceEntry#position()})
     */
    void published(NamespaceEntry entry);
}

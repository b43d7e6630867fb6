package dev.nvmescan.scanner;

/** How a scan issues its namespaces and publishes them. */
public enum ScanMode {
    /** Namespaces identified concurrently, published in NSID-list order (the default). */
    ORDERED,
    /** Namespaces identified concurrently, published as each completes. */
    UNORDERED,
    /** One namespace after the other, one command at a time. */
    SEQUENTIAL
}

package dev.nvmescan.scanner.output;

/** {@code -o}: how results are printed. */
public enum OutputFormat {
    /** Text for people. */
    normal,
    /** One JSON document (nvme-cli's keys for the Identify commands). */
    json,
    /** One compact JSON object per line, written as results arrive. */
    ndjson,
    /** The raw data structure the controller returned, as nvme-cli's {@code -o binary} (id-ctrl, id-ns, ns-descs). */
    binary
}

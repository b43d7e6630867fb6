package dev.nvmescan.scanner;

import java.time.Duration;

/**
 * How a scan went.
 *
 * @param mode         the mode it ran in
 * @param queueDepth   the in-flight bound it ran with
 * @param namespaces   namespaces published
 * @param failed       of which failed
 * @param commands     admin commands issued
 * @param peakInFlight the most commands in flight at once
 * @param elapsed      wall time from Identify Controller to the last publication
 * @param cancelled    the scan was cancelled: the namespaces published are a prefix (ordered mode)
 */
public record ScanSummary(ScanMode mode, int queueDepth, long namespaces, long failed, long commands,
                          int peakInFlight, Duration elapsed, boolean cancelled) {}

package dev.nvmescan.scanner;

import java.time.Duration;

/**
 * How a scan went.
 *
 * @param mode         the mode it ran in
 * @param queueDepth   the in-flight bound it ran with: the queue depth asked for, capped on channels
 *                     that block a thread per command (the ioctl) at what an admin queue takes
 * @param namespaces   namespaces published
 * @param failed       of which failed
 * @param commands     admin commands issued
 * @param peakInFlight the most commands in flight at once
 * @param elapsed      wall time from Identify Controller to the last publication
 * @param cancelled    the scan was cancelled: the namespaces published are a prefix (ordered mode)
 * @param timeline     when the publications came
 */
public record ScanSummary(ScanMode mode, int queueDepth, long namespaces, long failed, long commands,
                          int peakInFlight, Duration elapsed, boolean cancelled, Timeline timeline) {

    /**
     * When the publications came, each since the scan started. A publication's time is when the
     * listener's {@link ScanListener#published} returned.
     *
     * @param firstPublication the first namespace published; zero if none was
     * @param lastCommandDone  the last command to complete; zero if none did
     * @param lastPublication  the last namespace published; zero if none was
     */
    public record Timeline(Duration firstPublication, Duration lastCommandDone, Duration lastPublication) {
        /** {@return from the last command's completion to the last publication, never negative: what publishing in order cost at the end} */
        public Duration publicationTail() {
            Duration d = lastPublication.minus(lastCommandDone);
            return d.isNegative() ? Duration.ZERO : d;
        }
    }
}

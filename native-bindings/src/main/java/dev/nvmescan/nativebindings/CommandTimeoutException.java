package dev.nvmescan.nativebindings;

import java.time.Duration;

/** A command did not complete within its timeout (the kernel aborted it, or the simulator gave up). */
public final class CommandTimeoutException extends NvmeException {
    private static final long serialVersionUID = 1L;
    private final transient Duration timeout;

    public CommandTimeoutException(String device, AdminCommand command, Duration timeout) {
        super(device + ": " + command.describe() + " timed out after " + timeout.toMillis() + " ms");
        this.timeout = timeout;
    }

    public Duration timeout() {
        return timeout;
    }
}

package dev.nvmescan.nativebindings;

import java.time.Duration;

/** A command did not complete within its timeout (the kernel aborted it, or the simulator gave up). */
public final class CommandTimeoutException extends NvmeException {
    private static final long serialVersionUID = 1L;
    private final transient Duration timeout;

    /**
     * A timeout of {@code command}, naming the command and the time in the message.
     *
     * @param device  the channel's device
     * @param command the command that timed out
     * @param timeout the timeout it had
     */
    public CommandTimeoutException(String device, AdminCommand command, Duration timeout) {
        super(device + ": " + command.describe() + " timed out after " + timeout.toMillis() + " ms");
        this.timeout = timeout;
    }

    /** {@return the timeout the command had; null once deserialized} */
    public Duration timeout() {
        return timeout;
    }
}

package dev.nvmescan.nativebindings;

/** The controller completed a command with a non-zero NVMe status. */
public final class NvmeStatusException extends NvmeException {
    private static final long serialVersionUID = 1L;
    private final transient NvmeStatus status;

    /**
     * A failure of {@code command}, naming the command and the status in the message.
     *
     * @param device  the channel's device
     * @param command the command that failed
     * @param status  the status it completed with
     */
    public NvmeStatusException(String device, AdminCommand command, NvmeStatus status) {
        super(device + ": " + command.describe() + " failed: " + status);
        this.status = status;
    }

    /** {@return the status the command completed with; null once deserialized} */
    public NvmeStatus status() {
        return status;
    }
}

package dev.nvmescan.nativebindings;

/** The controller completed a command with a non-zero NVMe status. */
public final class NvmeStatusException extends NvmeException {
    private static final long serialVersionUID = 1L;
    private final transient NvmeStatus status;

    public NvmeStatusException(String device, AdminCommand command, NvmeStatus status) {
        super(device + ": " + command.describe() + " failed: " + status);
        this.status = status;
    }

    public NvmeStatus status() {
        return status;
    }
}

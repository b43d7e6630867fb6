package dev.nvmescan.nativebindings;

import java.io.IOException;

/** Base of every failure of an NVMe command or of the system calls that carry it. */
public abstract sealed class NvmeException extends IOException
        permits NativeCallException, NvmeStatusException, CommandTimeoutException {
    private static final long serialVersionUID = 1L;

    /**
     * A failure with its message.
     *
     * @param message the one-line message, naming the device and the command or call
     */
    protected NvmeException(String message) {
        super(message);
    }
}

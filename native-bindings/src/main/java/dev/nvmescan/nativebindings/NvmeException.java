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

    /**
     * propagate - the exception to throw for the cause of a failed command future
     *
     * <p>An {@code NvmeException} is returned for the caller to throw; a {@code RuntimeException} or
     * {@code Error} is thrown as it is; anything else, which no channel completes a future with, is
     * thrown wrapped in an {@code IllegalStateException}.
     *
     * @param cause the cause of a {@code CompletionException} or {@code ExecutionException}
     * @return {@code cause} as an {@code NvmeException}
     */
    public static NvmeException propagate(Throwable cause) {
        if (cause instanceof NvmeException e)
            return e;
        if (cause instanceof RuntimeException e)
            throw e;
        if (cause instanceof Error e)
            throw e;
        throw new IllegalStateException(cause);
    }
}

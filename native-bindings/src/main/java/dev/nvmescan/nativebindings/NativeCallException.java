package dev.nvmescan.nativebindings;

/**
 * A system call failed. Carries the call, the path it acted on, errno, its symbolic name and the
 * C library's text, e.g. {@code open(/dev/nvme9): No such file or directory (ENOENT)}.
 */
public final class NativeCallException extends NvmeException {
    private static final long serialVersionUID = 1L;
    /** The failed call. */
    private final String call;
    /** The path it acted on. */
    private final String path;
    /** The errno value it left. */
    private final int errno;

    /**
     * A failure of {@code call}, with errno's name and text in the message.
     *
     * @param call  the failed call: {@code open}, {@code ioctl}, ...
     * @param path  the device path it acted on
     * @param errno the errno value it left
     */
    public NativeCallException(String call, String path, int errno) {
        super(call + "(" + path + "): " + Errno.describe(errno) + " (" + Errno.name(errno) + ")");
        this.call = call;
        this.path = path;
        this.errno = errno;
    }

    /** {@return the failed call: {@code open}, {@code ioctl}, {@code io_uring_setup}, ...} */
    public String call() { return call; }

    /** {@return the device path the call acted on} */
    public String path() { return path; }

    /** {@return the errno value the call left} */
    public int errno() { return errno; }

    /** {@return the symbolic errno name, e.g. {@code ENOTTY}} */
    public String errnoName() { return Errno.name(errno); }

    /** {@return the C library's text for errno, e.g. {@code Inappropriate ioctl for device}} */
    public String strerror() { return Errno.describe(errno); }
}

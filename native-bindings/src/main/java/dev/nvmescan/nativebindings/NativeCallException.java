package dev.nvmescan.nativebindings;

/**
 * A system call failed. Carries the call, the path it acted on, errno, its symbolic name and the
 * C library's text, e.g. {@code open(/dev/nvme9): No such file or directory (ENOENT)}.
 */
public final class NativeCallException extends NvmeException {
    private static final long serialVersionUID = 1L;
    private final String call;
    private final String path;
    private final int errno;

    public NativeCallException(String call, String path, int errno) {
        super(call + "(" + path + "): " + Errno.describe(errno) + " (" + Errno.name(errno) + ")");
        this.call = call;
        this.path = path;
        this.errno = errno;
    }

    /** The failed call: {@code open}, {@code ioctl}, {@code io_uring_setup}, ... */
    public String call() { return call; }

    /** The device path the call acted on. */
    public String path() { return path; }

    /** The errno value the call left. */
    public int errno() { return errno; }

    /** The symbolic errno name, e.g. {@code ENOTTY}. */
    public String errnoName() { return Errno.name(errno); }

    /** The C library's text for errno, e.g. {@code Inappropriate ioctl for device}. */
    public String strerror() { return Errno.describe(errno); }
}

package dev.nvmescan.nativebindings;

/** Linux errno values this project meets, with their names and glibc's texts. */
public final class Errno {
    /** The errno values the bindings test for by name (Linux's asm-generic numbering). */
    public static final int EPERM = 1, ENOENT = 2, EINTR = 4, EIO = 5, ENXIO = 6, EBADF = 9,
            EAGAIN = 11, ENOMEM = 12, EACCES = 13, EFAULT = 14, EBUSY = 16, ENODEV = 19,
            EINVAL = 22, ENOTTY = 25, ENOSPC = 28, ENOSYS = 38, ENODATA = 61, ETIME = 62, EOPNOTSUPP = 95,
            ETIMEDOUT = 110, ECANCELED = 125;

    private static final String[][] TABLE = new String[134][];

    static {
        def(EPERM, "EPERM", "Operation not permitted");
        def(ENOENT, "ENOENT", "No such file or directory");
        def(EINTR, "EINTR", "Interrupted system call");
        def(EIO, "EIO", "Input/output error");
        def(ENXIO, "ENXIO", "No such device or address");
        def(EBADF, "EBADF", "Bad file descriptor");
        def(EAGAIN, "EAGAIN", "Resource temporarily unavailable");
        def(ENOMEM, "ENOMEM", "Cannot allocate memory");
        def(EACCES, "EACCES", "Permission denied");
        def(EFAULT, "EFAULT", "Bad address");
        def(EBUSY, "EBUSY", "Device or resource busy");
        def(ENODEV, "ENODEV", "No such device");
        def(EINVAL, "EINVAL", "Invalid argument");
        def(ENOTTY, "ENOTTY", "Inappropriate ioctl for device");
        def(ENOSPC, "ENOSPC", "No space left on device");
        def(ENOSYS, "ENOSYS", "Function not implemented");
        def(ENODATA, "ENODATA", "No data available");
        def(ETIME, "ETIME", "Timer expired");
        def(EOPNOTSUPP, "EOPNOTSUPP", "Operation not supported");
        def(ETIMEDOUT, "ETIMEDOUT", "Connection timed out");
        def(ECANCELED, "ECANCELED", "Operation canceled");
        def(20, "ENOTDIR", "Not a directory");
        def(21, "EISDIR", "Is a directory");
        def(24, "EMFILE", "Too many open files");
        def(30, "EROFS", "Read-only file system");
        def(40, "ELOOP", "Too many levels of symbolic links");
    }

    private Errno() {}

    private static void def(int errno, String name, String text) {
        TABLE[errno] = new String[] {name, text};
    }

    /**
     * Names an errno value.
     *
     * @param errno the value
     * @return the symbolic name, e.g. {@code ENOTTY}, or {@code errno N} for one not in the table
     */
    public static String name(int errno) {
        String[] e = errno > 0 && errno < TABLE.length ? TABLE[errno] : null;
        return e != null ? e[0] : "errno " + errno;
    }

    /**
     * Describes an errno value as the C library does.
     *
     * @param errno the value
     * @return glibc's strerror text, or {@code Unknown error N}
     */
    public static String describe(int errno) {
        String[] e = errno > 0 && errno < TABLE.length ? TABLE[errno] : null;
        return e != null ? e[1] : "Unknown error " + errno;
    }
}

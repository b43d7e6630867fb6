package dev.nvmescan.scanner.cli;

import dev.nvmescan.nativebindings.Errno;
import dev.nvmescan.nativebindings.NativeCallException;
import dev.nvmescan.nativebindings.NvmeException;

/** The one line a user reads when a device cannot be opened, is not NVMe, or a command to it failed. */
final class DeviceErrors {
    private DeviceErrors() {}

    /** The one line for a failed open or probe. */
    static DeviceException explain(String device, NvmeException e) {
        if (e instanceof NativeCallException n) {
            int errno = n.errno();
            String msg;
            if (errno == Errno.ENOENT || errno == Errno.ENXIO || errno == Errno.ENODEV)
                msg = device + ": " + Errno.describe(errno);
            else if (errno == Errno.EACCES || errno == Errno.EPERM)
                msg = device + ": Permission denied (run as root)";
            else if (errno == Errno.ENOTTY || errno == Errno.EOPNOTSUPP || errno == Errno.EINVAL)
                msg = device + ": not an NVMe controller (" + Errno.name(errno) + ")";
            else if (errno == Errno.EAGAIN && n.call().equals("open"))
                msg = device + ": the controller is not live (resetting or reconnecting); try again later (EAGAIN)";
            else
                msg = device + ": " + n.call() + ": " + Errno.describe(errno) + " (" + Errno.name(errno) + ")";
            return new DeviceException(msg, e);
        }
        return new DeviceException(e.getMessage(), e);
    }
}

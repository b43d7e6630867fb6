package dev.nvmescan.scanner;

import dev.nvmescan.nativebindings.AdminChannel;
import dev.nvmescan.nativebindings.Errno;
import dev.nvmescan.nativebindings.NativeCallException;
import dev.nvmescan.nativebindings.NvmeController;
import dev.nvmescan.nativebindings.NvmeException;
import dev.nvmescan.nativebindings.SimulatedController;
import dev.nvmescan.nativebindings.UringAdminChannel;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/** Opens DEVICE arguments: a path to a controller, or a {@code sim:} spec, and says why not in one line. */
final class Devices {
    /** {@code --backend}. */
    enum Backend { auto, ioctl, uring }

    private Devices() {}

    /**
     * Opens {@code device} with the given backend and in-flight bound.
     *
     * @throws IllegalArgumentException a malformed {@code sim:} spec (a usage error)
     * @throws DeviceException          the device cannot be opened or is not NVMe
     */
    static AdminChannel open(String device, Backend backend, int queueDepth) throws DeviceException {
        if (SimulatedController.isSpec(device)) {
            SimulatedController.Builder b = SimulatedController.parseSpec(device);
            if (backend == Backend.ioctl)
                b.mode(SimulatedController.Mode.IOCTL);
            else if (backend == Backend.uring)
                b.mode(SimulatedController.Mode.URING);
            return b.build();
        }
        Path path = Path.of(device);
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS))
            throw new DeviceException(device + ": No such file or directory", null);
        try {
            if (backend != Backend.ioctl)
                NvmeController.open(path, 1).close();  // is it NVMe? io_uring alone would not tell for every file
            return switch (backend) {
                case auto -> UringAdminChannel.openPreferred(path, queueDepth, p -> NvmeController.open(p, queueDepth))
                        .channel();
                case uring -> UringAdminChannel.open(path, queueDepth);
                case ioctl -> NvmeController.open(path, queueDepth);
            };
        } catch (NvmeException e) {
            throw explain(device, e);
        }
    }

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
            else
                msg = device + ": " + n.call() + ": " + Errno.describe(errno) + " (" + Errno.name(errno) + ")";
            return new DeviceException(msg, e);
        }
        return new DeviceException(e.getMessage(), e);
    }
}

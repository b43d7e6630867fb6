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
import java.time.Duration;
import java.util.function.Consumer;

/** Opens DEVICE arguments: a path to a controller, or a {@code sim:} spec, and says why not in one line. */
final class Devices {
    /** {@code --backend}. */
    enum Backend { auto, ioctl, uring }

    private Devices() {}

    /**
     * Opens {@code device} with the given backend and in-flight bound. A device path is probed with
     * one Identify Controller (through the backend that will carry the scan), which gives up after
     * {@code timeout} like every other command ({@link Duration#ZERO}: the kernel's timeout).
     * Where {@code auto} falls back from io_uring to the ioctl, {@code notice} is told why; it is
     * warned of a queue depth that io_uring does not take safely.
     *
     * @throws IllegalArgumentException a malformed {@code sim:} spec (a usage error)
     * @throws DeviceException          the device cannot be opened or is not NVMe
     */
    static AdminChannel open(String device, Backend backend, int queueDepth, Duration timeout,
                             Consumer<String> notice) throws DeviceException {
        if (SimulatedController.isSpec(device)) {
            SimulatedController.Builder b = SimulatedController.parseSpec(device);
            if (backend == Backend.ioctl)
                b.mode(SimulatedController.Mode.IOCTL);
            else if (backend == Backend.uring)
                b.mode(SimulatedController.Mode.URING);
            return b.build();
        }
        if (backend != Backend.ioctl && queueDepth > UringAdminChannel.DEFAULT_MAX_IN_FLIGHT)
            notice.accept("warning: --queue-depth " + queueDepth + " above " + UringAdminChannel.DEFAULT_MAX_IN_FLIGHT
                    + " over io_uring: commands beyond the admin queue's tags may fail with EFAULT (Linux 6.1);"
                    + " --backend ioctl waits for tags instead");
        Path path = Path.of(device);
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS))
            throw new DeviceException(device + ": No such file or directory", null);
        try {
            return switch (backend) {
                // A file without NVMe passthrough refuses the io_uring probe and falls back to
                // the ioctl probe, which tells NVMe from anything else.
                case auto -> {
                    UringAdminChannel.Selection s = UringAdminChannel.openPreferred(path, queueDepth, timeout,
                            p -> NvmeController.open(p, queueDepth, timeout));
                    s.fallbackReason().ifPresent(why -> notice.accept(device + ": " + why));
                    yield s.channel();
                }
                case uring -> {
                    NvmeController.open(path, 1, timeout).close();  // the ring alone would not tell NVMe apart
                    yield UringAdminChannel.open(path, queueDepth);
                }
                case ioctl -> NvmeController.open(path, queueDepth, timeout);
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
            else if (errno == Errno.EAGAIN && n.call().equals("open"))
                msg = device + ": the controller is not live (resetting or reconnecting); try again later (EAGAIN)";
            else
                msg = device + ": " + n.call() + ": " + Errno.describe(errno) + " (" + Errno.name(errno) + ")";
            return new DeviceException(msg, e);
        }
        return new DeviceException(e.getMessage(), e);
    }
}

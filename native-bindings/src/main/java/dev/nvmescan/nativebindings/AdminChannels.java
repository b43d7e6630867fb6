package dev.nvmescan.nativebindings;

import dev.nvmescan.nativebindings.ioctl.IoctlAdminChannel;
import dev.nvmescan.nativebindings.linux.DeviceNode;
import dev.nvmescan.nativebindings.sim.SimulatedController;
import dev.nvmescan.nativebindings.uring.UringAdminChannel;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Opens admin channels: the one place that turns a device and a choice of backend into an
 * {@link AdminChannel}. A device is a path ({@code /dev/nvme0}, {@code /dev/nvme0n1},
 * {@code /dev/ng0n1}) or a simulated controller's spec ({@code sim:?namespaces=100&latency=150ms},
 * see {@link SimulatedController#parseSpec}), which needs neither hardware nor root.
 *
 * <pre>{@code
 * try (AdminChannel ch = AdminChannels.open("/dev/nvme0")) { ... }
 * }</pre>
 *
 * <p>Every channel opened here applies the read-only guard ({@link AdminOpcode#requireAllowed}).
 */
public final class AdminChannels {

    /** How commands reach a device path. */
    public enum Backend {
        /**
         * io_uring passthrough where the kernel and the device take it, else the ioctl, saying why;
         * the ioctl alone for a queue depth of 1, where a ring brings nothing: one command at a
         * time blocks one thread either way, and the ring's set-up is the dearer start.
         */
        AUTO,
        /** The passthrough ioctl: blocks its thread for the whole command. */
        IOCTL,
        /** io_uring passthrough ({@code URING_CMD}, Linux 5.19 and later) only. */
        URING
    }

    /**
     * The default in-flight bound: what every Linux admin queue takes from io_uring, 28 on fabrics
     * (30 on PCIe). io_uring channels keep within the controller's own bound whatever the queue
     * depth, read from its transport in sysfs ({@link DeviceNode#adminTags}).
     */
    public static final int DEFAULT_QUEUE_DEPTH = UringAdminChannel.DEFAULT_MAX_IN_FLIGHT;

    /**
     * How to open a channel.
     *
     * @param backend          how commands reach a device path; a simulated controller takes IOCTL and
     *                         URING as the way it waits, AUTO as its spec says
     * @param queueDepth       the most commands in flight at once, 1 to 4096 (a simulated controller
     *                         takes its own from its spec)
     * @param probeTimeout     how long the Identify Controller that proves a path is NVMe may take
     *                         ({@link Duration#ZERO}: the kernel's admin timeout)
     * @param allowDestructive send every admin opcode, not only the read-only ones; Format NVM,
     *                         Sanitize, Set Features, ... can destroy data
     * @param notice           told, in one line, why AUTO fell back to the ioctl
     */
    public record Options(Backend backend, int queueDepth, Duration probeTimeout, boolean allowDestructive,
                          Consumer<String> notice) {
        /**
         * Checks the options.
         *
         * @throws IllegalArgumentException a queue depth outside 1 to 4096, or a negative probe timeout
         */
        public Options {
            Objects.requireNonNull(backend, "backend");
            Objects.requireNonNull(probeTimeout, "probeTimeout");
            Objects.requireNonNull(notice, "notice");
            if (queueDepth < 1 || queueDepth > 4096)
                throw new IllegalArgumentException("queue depth must be 1 to 4096: " + queueDepth);
            if (probeTimeout.isNegative())
                throw new IllegalArgumentException("negative probe timeout: " + probeTimeout);
        }

        /** {@return AUTO, {@link #DEFAULT_QUEUE_DEPTH}, the kernel's timeout, read-only, notices dropped} */
        public static Options defaults() {
            return new Options(Backend.AUTO, DEFAULT_QUEUE_DEPTH, Duration.ZERO, false, note -> {});
        }

        /**
         * Another backend.
         *
         * @param b the backend
         * @return these options with backend {@code b}
         */
        public Options withBackend(Backend b) {
            return new Options(b, queueDepth, probeTimeout, allowDestructive, notice);
        }

        /**
         * Another in-flight bound.
         *
         * @param depth the most commands in flight at once, 1 to 4096
         * @return these options with queue depth {@code depth}
         */
        public Options withQueueDepth(int depth) {
            return new Options(backend, depth, probeTimeout, allowDestructive, notice);
        }

        /**
         * Another probe timeout.
         *
         * @param t the probe's timeout; {@link Duration#ZERO} for the kernel's admin timeout
         * @return these options with probe timeout {@code t}
         */
        public Options withProbeTimeout(Duration t) {
            return new Options(backend, queueDepth, t, allowDestructive, notice);
        }

        /**
         * Another receiver of notices.
         *
         * @param n where the one-line notices go
         * @return these options with notice {@code n}
         */
        public Options withNotice(Consumer<String> n) {
            return new Options(backend, queueDepth, probeTimeout, allowDestructive, n);
        }
    }

    /** Where sysfs is: it tells a device file's driver before the file is opened. */
    private static final Path SYS = Path.of("/sys");

    private AdminChannels() {}

    /**
     * Tells a simulated controller's spec from a path.
     *
     * @param device a device as {@link #open(String)} takes it
     * @return whether {@code device} names a simulated controller ({@code sim:...}) rather than a path
     */
    public static boolean isSimulated(String device) {
        return SimulatedController.isSpec(device);
    }

    /**
     * Opens {@code device} with {@link Options#defaults()}.
     *
     * @param device a path or a {@code sim:} spec
     * @return the channel; the caller closes it
     * @throws IllegalArgumentException a malformed {@code sim:} spec
     * @throws NvmeException            the path cannot be opened, is not NVMe, or the probe failed
     *                                  (see {@link #open(String, Options)})
     */
    public static AdminChannel open(String device) throws NvmeException {
        return open(device, Options.defaults());
    }

    /**
     * open - open {@code device} for admin commands
     *
     * <p>A path that is plainly not a device of the NVMe driver ({@code /dev/null}, a regular file:
     * see {@link DeviceNode#plainlyNotNvme}) is refused at once, with the ENOTTY its probe would
     * have met, and nothing opened. Any other path is proved to be NVMe with one Identify
     * Controller through the backend that will carry the commands (URING: through the ioctl first,
     * since a ring alone takes commands on files that are not NVMe).
     *
     * @param device a path or a {@code sim:} spec
     * @param o      the backend, queue depth, probe timeout, opt-in and where notices go
     * @return the channel; the caller closes it
     * @throws IllegalArgumentException a malformed {@code sim:} spec; the message names the parameter
     * @throws NativeCallException      the path cannot be opened (ENOENT, EACCES, ...) or is not NVMe (ENOTTY)
     * @throws NvmeException            the probing command failed otherwise (a timeout)
     */
    public static AdminChannel open(String device, Options o) throws NvmeException {
        if (isSimulated(device))
            return simulated(device, o.backend());
        Backend backend = o.backend() == Backend.AUTO && o.queueDepth() == 1 ? Backend.IOCTL : o.backend();
        Path path = Path.of(device);
        if (DeviceNode.plainlyNotNvme(path, SYS))
            throw new NativeCallException("probe", device, Errno.ENOTTY);
        // io_uring keeps within the admin queue's free tags whatever the queue depth: a command
        // beyond them fails (EFAULT), where the ioctl would wait for a tag.
        int ring = Math.min(o.queueDepth(), DeviceNode.adminTags(path, SYS).orElse(UringAdminChannel.DEFAULT_MAX_IN_FLIGHT));
        return switch (backend) {
            case AUTO -> {
                UringAdminChannel.Probe p = UringAdminChannel.probe(path, ring, o.probeTimeout(), o.allowDestructive());
                if (p.channel() != null)
                    yield p.channel();
                // A file without NVMe passthrough refuses the io_uring probe; the ioctl probe tells
                // NVMe from anything else.
                AdminChannel ioctl = ioctl(path, o);
                o.notice().accept(device + ": io_uring not available (" + p.refusal() + "), using " + ioctl.backend());
                yield ioctl;
            }
            case URING -> {
                ioctl(path, o.withQueueDepth(1)).close();
                yield UringAdminChannel.open(path, ring, o.allowDestructive());
            }
            case IOCTL -> ioctl(path, o);
        };
    }

    private static AdminChannel ioctl(Path path, Options o) throws NvmeException {
        return IoctlAdminChannel.open(path, o.queueDepth(), o.probeTimeout(), o.allowDestructive());
    }

    private static AdminChannel simulated(String spec, Backend backend) {
        SimulatedController.Builder b = SimulatedController.parseSpec(spec);
        switch (backend) {
            case IOCTL -> b.mode(SimulatedController.Mode.IOCTL);
            case URING -> b.mode(SimulatedController.Mode.URING);
            case AUTO -> { }
        }
        return b.build();
    }
}

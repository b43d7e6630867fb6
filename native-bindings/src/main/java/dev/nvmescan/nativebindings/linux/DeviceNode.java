package dev.nvmescan.nativebindings.linux;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/**
 * What a path names, told from its inode and sysfs before it is opened: whether it can be a device
 * of the NVMe driver at all. Opening and probing a file costs system calls and, the first time, the
 * generation of their downcalls; a file that is plainly not NVMe ({@code /dev/null}, a regular
 * file, a terminal) is refused without either.
 *
 * <p>The NVMe driver's device files are character devices of the classes {@code nvme} (a
 * controller, {@code /dev/nvmeX}) and {@code nvme-generic} (a namespace's {@code /dev/ngXnY}), and
 * block devices (a namespace {@code /dev/nvmeXnY}, or a partition of one) whose disk hangs below an
 * {@code nvme} controller or, for a multipath head, an {@code nvme-subsystem}. sysfs links each
 * device number to its device: {@code /sys/dev/char/MAJ:MIN}, {@code /sys/dev/block/MAJ:MIN}, and
 * each device to its class through {@code subsystem}.
 */
public final class DeviceNode {
    private static final int S_IFMT = 0170000, S_IFCHR = 0020000, S_IFBLK = 0060000;
    private static final Set<String> NVME_CHAR = Set.of("nvme", "nvme-generic"),
            NVME_DISK_PARENT = Set.of("nvme", "nvme-subsystem");

    private DeviceNode() {}

    /**
     * plainlyNotNvme - whether {@code path} is certainly not a device of the NVMe driver
     *
     * <p>Only a certain answer counts: a path that cannot be read (missing, denied), a device
     * without an entry in sysfs, or a system without sysfs is not called "not NVMe"; opening it
     * tells what it is.
     *
     * @param path the device file
     * @param sys  where sysfs is mounted ({@code /sys})
     * @return true for anything but a character or block device, and for a device whose sysfs entry
     *         belongs to another driver's class
     */
    public static boolean plainlyNotNvme(Path path, Path sys) {
        Map<String, Object> a;
        try {
            a = Files.readAttributes(path, "unix:mode,rdev");
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
        int type = (Integer) a.get("mode") & S_IFMT;
        if (type != S_IFCHR && type != S_IFBLK)
            return true;
        return notNvme(type == S_IFBLK, (Long) a.get("rdev"), sys);
    }

    /**
     * Whether sysfs places device {@code rdev} outside the NVMe driver's classes.
     * @param block a block device, else a character device
     */
    static boolean notNvme(boolean block, long rdev, Path sys) {
        Path entry = sys.resolve(block ? "dev/block" : "dev/char").resolve(major(rdev) + ":" + minor(rdev));
        try {
            if (!block)
                return !NVME_CHAR.contains(subsystem(entry));
            Path device = entry.toRealPath();
            while ("block".equals(subsystem(device)))     // a partition, then its disk
                device = device.getParent();
            return !NVME_DISK_PARENT.contains(subsystem(device));
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * adminTags - how many commands the kernel's admin queue of controller {@code path} carries at
     * once for passthrough, where sysfs tells
     *
     * <p>Linux 6.1 to 7.2 give every admin queue {@code NVME_AQ_MQ_TAG_DEPTH} = 30 tags; fabrics
     * (tcp, rdma, fc, loop) keep 2 of them for connect and keep-alive. An io_uring command beyond
     * the free tags takes io_uring's punt path, which failed with EFAULT on every one of those
     * kernels; the ioctl sleeps for a tag instead.
     *
     * @param path a controller's character device, {@code /dev/nvmeX}
     * @param sys  where sysfs is mounted ({@code /sys})
     * @return 30 for PCIe, 28 for a fabrics transport; empty where sysfs does not show the
     *         controller's transport
     */
    public static OptionalInt adminTags(Path path, Path sys) {
        try {
            Map<String, Object> a = Files.readAttributes(path, "unix:mode,rdev");
            if (((Integer) a.get("mode") & S_IFMT) != S_IFCHR)
                return OptionalInt.empty();
            long rdev = (Long) a.get("rdev");
            String transport = Files.readString(sys.resolve("dev/char").resolve(major(rdev) + ":" + minor(rdev))
                    .resolve("transport")).strip();
            return OptionalInt.of(transport.equals("pcie") ? 30 : 28);
        } catch (IOException | UnsupportedOperationException e) {
            return OptionalInt.empty();
        }
    }

    /** The name of the class a sysfs device belongs to, or "" for a directory that is no device. */
    private static String subsystem(Path device) throws IOException {
        Path link = device.resolve("subsystem");
        if (!Files.isSymbolicLink(link)) {
            if (!Files.exists(device))
                throw new IOException(device + ": not in sysfs");
            return "";
        }
        return Files.readSymbolicLink(link).getFileName().toString();
    }

    /** The major number of a Linux {@code dev_t} (glibc's {@code gnu_dev_major}). */
    static long major(long dev) {
        return (dev >>> 32) & 0xfffff000L | (dev >>> 8) & 0xfffL;
    }

    /** The minor number of a Linux {@code dev_t} (glibc's {@code gnu_dev_minor}). */
    static long minor(long dev) {
        return (dev >>> 12) & 0xffffff00L | dev & 0xffL;
    }
}

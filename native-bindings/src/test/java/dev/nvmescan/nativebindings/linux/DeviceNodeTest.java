package dev.nvmescan.nativebindings.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Telling NVMe device files from others: real files of the host for the inode side, and a sysfs
 * laid out as Linux lays out a PCIe controller, a multipath head, a partition and devices of other
 * drivers for the sysfs side.
 */
class DeviceNodeTest {
    @TempDir Path tmp;

    /** A dev_t as glibc's makedev builds it. */
    private static long makedev(long major, long minor) {
        return (major & 0xfffff000L) << 32 | (major & 0xfff) << 8 | (minor & 0xffffff00L) << 12 | minor & 0xff;
    }

    /** Makes sysfs device {@code dir} of class {@code cls} and its /sys/dev link {@code kind/MAJ:MIN}. */
    private Path device(String dir, String cls, String kind, String majMin) throws IOException {
        Path sys = tmp.resolve("sys"), d = sys.resolve(dir);
        Files.createDirectories(d);
        Files.createDirectories(sys.resolve("class").resolve(cls));
        Files.createSymbolicLink(d.resolve("subsystem"), d.relativize(sys.resolve("class").resolve(cls)));
        if (majMin != null) {
            Path link = sys.resolve("dev").resolve(kind).resolve(majMin);
            Files.createDirectories(link.getParent());
            Files.createSymbolicLink(link, link.getParent().relativize(d));
        }
        return d;
    }

    @Test
    void devNullAndFilesThatAreNoDeviceArePlainlyNotNvme() throws IOException {
        Path sys = Path.of("/sys");
        assertTrue(DeviceNode.plainlyNotNvme(Path.of("/dev/null"), sys), "a character device of class mem");
        Path file = Files.writeString(tmp.resolve("file"), "x");
        assertTrue(DeviceNode.plainlyNotNvme(file, sys));
        assertTrue(DeviceNode.plainlyNotNvme(tmp, sys), "a directory");
    }

    @Test
    void whatCannotBeToldIsLeftToTheOpen() {
        assertFalse(DeviceNode.plainlyNotNvme(tmp.resolve("missing"), Path.of("/sys")), "open says ENOENT");
        assertFalse(DeviceNode.plainlyNotNvme(Path.of("/dev/null"), tmp.resolve("no-sysfs")), "no sysfs: the probe decides");
    }

    @Test
    void controllerAndGenericNamespaceCharacterDevicesMayBeNvme() throws IOException {
        device("devices/pci0000:00/0000:00:04.0/nvme/nvme0", "nvme", "char", "241:0");
        device("devices/pci0000:00/0000:00:04.0/nvme/nvme0/ng0n1", "nvme-generic", "char", "240:0");
        device("devices/virtual/nvme-subsystem/nvme-subsys1/ng1n1", "nvme-generic", "char", "240:1");
        device("devices/virtual/nvme-fabrics/ctl", "nvme-fabrics", "char", "10:125");
        device("devices/virtual/mem/null", "mem", "char", "1:3");
        Path sys = tmp.resolve("sys");
        assertFalse(DeviceNode.notNvme(false, makedev(241, 0), sys));
        assertFalse(DeviceNode.notNvme(false, makedev(240, 0), sys));
        assertFalse(DeviceNode.notNvme(false, makedev(240, 1), sys));
        assertTrue(DeviceNode.notNvme(false, makedev(10, 125), sys), "/dev/nvme-fabrics takes no admin commands");
        assertTrue(DeviceNode.notNvme(false, makedev(1, 3), sys));
        assertFalse(DeviceNode.notNvme(false, makedev(1, 7), sys), "no sysfs entry: the probe decides");
    }

    @Test
    void namespaceBlockDevicesAndTheirPartitionsMayBeNvme() throws IOException {
        Path ctrl = device("devices/pci0000:00/0000:00:04.0/nvme/nvme0", "nvme", "char", "241:0");
        device("devices/pci0000:00/0000:00:04.0/nvme/nvme0/nvme0n1", "block", "block", "259:0");
        device("devices/pci0000:00/0000:00:04.0/nvme/nvme0/nvme0n1/nvme0n1p1", "block", "block", "259:1");
        device("devices/virtual/nvme-subsystem/nvme-subsys1", "nvme-subsystem", "char", null);
        device("devices/virtual/nvme-subsystem/nvme-subsys1/nvme1n1", "block", "block", "259:2");
        device("devices/pci0000:00/0000:00:1f.2/ata1/host0/target0:0:0/0:0:0:0/block/sda", "block", "block", "8:0");
        device("devices/virtual/block/loop0", "block", "block", "7:0");
        Path sys = tmp.resolve("sys");
        assertTrue(Files.isDirectory(ctrl));
        assertFalse(DeviceNode.notNvme(true, makedev(259, 0), sys));
        assertFalse(DeviceNode.notNvme(true, makedev(259, 1), sys), "a partition of a namespace");
        assertFalse(DeviceNode.notNvme(true, makedev(259, 2), sys), "a multipath head");
        assertTrue(DeviceNode.notNvme(true, makedev(8, 0), sys));
        assertTrue(DeviceNode.notNvme(true, makedev(7, 0), sys));
    }

    @Test
    void deviceNumbersSplitAsGlibcSplitsThem() {
        for (long[] mm : new long[][] {{1, 3}, {259, 5}, {4095, 255}, {4096, 256}, {0xfffff, 0xfffff}, {511, 1 << 19}}) {
            long dev = makedev(mm[0], mm[1]);
            assertEquals(mm[0], DeviceNode.major(dev), Long.toHexString(dev));
            assertEquals(mm[1], DeviceNode.minor(dev), Long.toHexString(dev));
        }
    }

    /** /dev/null stands in for a controller's character device: sysfs is faked under its number. */
    @Test
    void theAdminQueuesTagsFollowTheControllersTransport() throws IOException {
        Path devNull = Path.of("/dev/null");
        assertEquals(java.util.OptionalInt.empty(), DeviceNode.adminTags(devNull, tmp.resolve("sys")), "no sysfs entry");
        Path ctrl = device("devices/virtual/nvme-fabrics/ctl/nvme1", "nvme", "char", "1:3");
        Files.writeString(ctrl.resolve("transport"), "tcp\n");
        assertEquals(java.util.OptionalInt.of(28), DeviceNode.adminTags(devNull, tmp.resolve("sys")));
        Files.writeString(ctrl.resolve("transport"), "pcie\n");
        assertEquals(java.util.OptionalInt.of(30), DeviceNode.adminTags(devNull, tmp.resolve("sys")));
        assertEquals(java.util.OptionalInt.empty(), DeviceNode.adminTags(tmp, tmp.resolve("sys")), "not a character device");
    }
}

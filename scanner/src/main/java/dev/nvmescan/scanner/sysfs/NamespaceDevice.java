package dev.nvmescan.scanner.sysfs;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A namespace as the kernel shows it: the block device users open, {@code nvmeXnY} under its
 * controller, or with native multipath the head {@code nvmeSnZ} under its subsystem (S the subsystem's
 * instance), whose I/O goes through the hidden path devices {@code nvmeScCnZ} of each controller.
 *
 * <p>The NSID and the paths are read with the tree; every other attribute is read from sysfs when
 * asked, since most commands need few of them. Never the {@code nuse} attribute: reading it makes
 * the kernel send an Identify Namespace (one round trip per namespace on a fabrics link).
 */
public final class NamespaceDevice {
    private final String name;
    private final int nsid;
    private final Path dir;
    private final boolean head;
    private final List<PathDevice> paths;

    NamespaceDevice(String name, int nsid, Path dir, boolean head, List<PathDevice> paths) {
        this.name = Objects.requireNonNull(name);
        this.nsid = nsid;
        this.dir = Objects.requireNonNull(dir);
        this.head = head;
        this.paths = List.copyOf(paths);
    }

    /** {@return the block device's name, {@code nvme0n1}} */
    public String name() {
        return name;
    }

    /** {@return the NSID (unsigned)} */
    public int nsid() {
        return nsid;
    }

    /** {@return whether it is a multipath head (under its subsystem) rather than one controller's device} */
    public boolean head() {
        return head;
    }

    /** {@return a head's path devices, one per controller that reaches it, in name order; empty otherwise} */
    public List<PathDevice> paths() {
        return paths;
    }

    /** {@return its directory in sysfs} */
    public Path sysfsDir() {
        return dir;
    }

    /** {@return the generic character device's name, {@code ngXnY} for {@code nvmeXnY}, as libnvme derives it} */
    public String genericName() {
        return "ng" + name.substring(4);
    }

    /**
     * {@return the kernel's unique ID for it ({@code wwid}): {@code uuid.}UUID, else {@code eui.}NGUID,
     * else {@code eui.}EUI-64, else {@code nvme.}VID-serial-model-NSID; the key of persistent links}
     */
    public Optional<String> wwid() {
        return attribute("wwid");
    }

    /**
     * Reads a sysfs attribute of the block device now.
     *
     * @param attribute its name, e.g. {@code nguid}, {@code eui}, {@code ro}
     * @return its value as libnvme reads it; empty when absent
     */
    public Optional<String> attribute(String attribute) {
        return SysfsFiles.attribute(dir, attribute);
    }

    /** {@return its capacity in 512-byte sectors (attribute {@code size}); 0 when the kernel cannot use it} */
    public long sizeSectors() {
        return SysfsFiles.number(dir, "size").orElse(0L);
    }

    /** {@return the logical block size in bytes ({@code queue/logical_block_size}), 512 when unreadable} */
    public int logicalBlockSize() {
        return SysfsFiles.number(dir, "queue/logical_block_size").map(Long::intValue).orElse(512);
    }

    /**
     * {@return whether the kernel exports the namespace's geometry itself (attribute {@code csi},
     * Linux 6.8 and later): then libnvme takes the block count from {@link #sizeSectors()}, else from
     * Identify}
     */
    public boolean exportsGeometry() {
        return SysfsFiles.attribute(dir, "csi").isPresent();
    }

    @Override
    public String toString() {
        return name + " (NSID " + Integer.toUnsignedString(nsid) + ")";
    }
}

package dev.nvmescan.scanner.sysfs;

import java.util.List;
import java.util.Optional;

/**
 * The kernel's names for one namespace.
 *
 * @param block   the block device users open, e.g. {@code /dev/nvme0n1}: with multipath the head
 *                {@code /dev/nvmeSnZ}
 * @param generic the generic character device, e.g. {@code /dev/ng0n1} (with multipath the head's)
 * @param byId    persistent links to the block device under {@code /dev/disk/by-id}, sorted
 * @param paths   with multipath, the head's path devices {@code nvmeScXnZ}, one per controller
 *                reaching it (hidden: no device node), sorted; empty otherwise
 */
public record KernelDevices(Optional<String> block, Optional<String> generic, List<String> byId, List<String> paths) {
    /** No devices: the kernel shows none for the namespace. */
    public static final KernelDevices NONE = new KernelDevices(Optional.empty(), Optional.empty(), List.of(), List.of());

    /** Copies the lists. */
    public KernelDevices {
        byId = List.copyOf(byId);
        paths = List.copyOf(paths);
    }

    /** {@return Y of the block device's name {@code nvmeXnY}, or -1 when there is none} */
    public long blockIndex() {
        if (block.isEmpty())
            return -1;
        String name = block.get().substring(block.get().lastIndexOf('/') + 1);
        int n = name.lastIndexOf('n');
        try {
            return n < 0 ? -1 : Long.parseLong(name.substring(n + 1));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}

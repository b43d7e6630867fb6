package dev.nvmescan.scanner.output;

import dev.nvmescan.nativebindings.identify.IdentifyNamespace;
import dev.nvmescan.scanner.NamespaceEntry;
import dev.nvmescan.scanner.sysfs.NamespaceDevice;

import java.util.Optional;

/**
 * A namespace's size as nvme-cli's {@code list} reports it, which is libnvme's reading of the
 * block device: the logical block size from sysfs; the block count from sysfs {@code size} where
 * the kernel exports the geometry (6.8 and later), else Identify's NSZE; the blocks in use from
 * Identify's NUSE (what the kernel's {@code nuse} attribute would fetch with one more command).
 * A namespace the kernel shows no block device for has Identify's values. So a namespace whose
 * format the kernel cannot use has size 0 here, as in nvme-cli.
 *
 * @param lbaSize  bytes per logical block
 * @param lbaCount logical blocks ({@code MaximumLBA})
 * @param lbaUtil  logical blocks in use
 * @param metaSize metadata bytes per block of the format in use
 */
record Geometry(int lbaSize, long lbaCount, long lbaUtil, int metaSize) {
    /** The geometry of an identified namespace {@code e}, with its block device when the kernel has one. */
    static Geometry of(NamespaceEntry e, Optional<NamespaceDevice> device) {
        IdentifyNamespace n = e.namespace();
        IdentifyNamespace.LbaFormat f = n.lbaFormat();
        if (device.isEmpty())
            return new Geometry((int) f.dataSize(), n.nsze(), n.nuse(), f.ms());
        NamespaceDevice d = device.get();
        int lba = d.logicalBlockSize();
        long count = d.exportsGeometry() ? d.sizeSectors() >>> (Integer.numberOfTrailingZeros(lba) - 9) : n.nsze();
        return new Geometry(lba, count, n.nuse(), f.ms());
    }

    long physicalBytes() {
        return lbaCount * lbaSize;
    }

    long usedBytes() {
        return lbaUtil * lbaSize;
    }
}

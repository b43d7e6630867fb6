package dev.nvmescan.scanner.naming;

import dev.nvmescan.nativebindings.identify.IdentifyController;
import dev.nvmescan.scanner.NamespaceEntry;
import dev.nvmescan.scanner.ScanSummary;
import dev.nvmescan.scanner.host.HostScan;
import dev.nvmescan.scanner.sysfs.NamespaceDevice;
import dev.nvmescan.scanner.sysfs.NvmeTree;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One namespace a scan found, with what stable naming needs.
 *
 * @param subsystem   the subsystem NQN: sysfs's {@code subsysnqn}, which udev rules match (the kernel
 *                    makes one up for controllers without SUBNQN), else Identify Controller's SUBNQN
 * @param controller  the controller it was found through, as the user named it
 * @param position    its place in that controller's NSID list, 1 based
 * @param nsid        the NSID
 * @param uniqueId    its unique ID in {@code wwid} form: the kernel's where sysfs shows the
 *                    namespace, else derived from Identify; empty when it could not be identified
 *                    and sysfs does not show it
 * @param blockDevice the kernel's block device (with multipath the head), if any
 * @param entry       the scan's entry
 */
public record ScannedNamespace(String subsystem, String controller, long position, int nsid,
                               Optional<String> uniqueId, Optional<String> blockDevice, NamespaceEntry entry) {
    /** Checks the components that are never null. */
    public ScannedNamespace {
        Objects.requireNonNull(subsystem, "subsystem");
        Objects.requireNonNull(uniqueId, "uniqueId");
        Objects.requireNonNull(blockDevice, "blockDevice");
    }

    /**
     * What a host scan found, collected in controller order: a {@link HostScan} calls its
     * listeners one controller after the other, so one collection takes every controller's.
     */
    public static final class Collection {
        private final NvmeTree tree;
        private final List<ScannedNamespace> namespaces = new ArrayList<>();
        private final Set<String> subsystems = new LinkedHashSet<>();

        /**
         * An empty collection.
         *
         * @param tree where the kernel's unique IDs are read
         */
        public Collection(NvmeTree tree) {
            this.tree = Objects.requireNonNull(tree, "tree");
        }

        /** {@return every namespace published, in order (a multipath namespace once)} */
        public List<ScannedNamespace> namespaces() {
            return namespaces;
        }

        /** {@return the NQNs of every subsystem a controller reported Identify Controller for} */
        public Set<String> subsystems() {
            return subsystems;
        }

        /**
         * The listener of one controller, adding what it publishes to this collection.
         *
         * @param device   the controller, as the user named it
         * @param sysfsNqn its subsystem NQN in sysfs; empty for a controller sysfs does not show,
         *                 such as a simulated one
         * @return the listener
         */
        public HostScan.ControllerListener collector(String device, Optional<String> sysfsNqn) {
            return new HostScan.ControllerListener() {
                private IdentifyController controller;
                private String nqn;

                @Override
                public void controller(IdentifyController c) {
                    controller = c;
                    nqn = sysfsNqn.orElse(c.subnqn());
                    subsystems.add(nqn);
                }

                @Override
                public void published(NamespaceEntry e) {
                    Optional<NamespaceDevice> d = e.devices().block().map(b -> Path.of(b).getFileName().toString())
                            .flatMap(tree::blockDevice);
                    Optional<String> id = d.flatMap(NamespaceDevice::wwid).or(() -> e.ok()
                            ? Optional.of(UniqueId.of(controller, e.namespace(), e.descriptors(), e.nsid()))
                            : Optional.empty());
                    namespaces.add(new ScannedNamespace(nqn, device, e.position(), e.nsid(), id,
                            e.devices().block(), e));
                }

                @Override
                public void finished(ScanSummary summary) {}

                @Override
                public void failed(Exception failure) {}
            };
        }
    }
}

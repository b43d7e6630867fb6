package dev.nvmescan.scanner;

import dev.nvmescan.nativebindings.NvmeStatus;
import dev.nvmescan.nativebindings.identify.IdentifyNamespace;
import dev.nvmescan.nativebindings.identify.IdentifyZonedNamespace;
import dev.nvmescan.nativebindings.identify.NamespaceIdDescriptors;
import dev.nvmescan.scanner.sysfs.KernelDevices;

import java.util.Objects;
import java.util.Optional;

/**
 * One published namespace: what Identify said about it, or why it failed, and its kernel devices.
 *
 * @param position    its place in the Active Namespace ID list, 1 based
 * @param nsid        the NSID (unsigned)
 * @param namespace   Identify Namespace, null when failed
 * @param descriptors the Namespace Identification Descriptor list, null when failed
 * @param zoned       the ZNS Identify Namespace when the CSI is ZNS, else null
 * @param failure     why the namespace could not be identified, null when it was
 * @param devices     the kernel's devices for it
 */
public record NamespaceEntry(long position, int nsid, IdentifyNamespace namespace,
                             NamespaceIdDescriptors descriptors, IdentifyZonedNamespace zoned,
                             Failure failure, KernelDevices devices) {

    /**
     * Checks that the entry has either its Identify data or a failure.
     *
     * @throws IllegalArgumentException both or neither
     */
    public NamespaceEntry {
        Objects.requireNonNull(devices, "devices");
        if ((failure == null) == (namespace == null || descriptors == null))
            throw new IllegalArgumentException("an entry has either its Identify data or a failure");
    }

    static NamespaceEntry failed(long position, int nsid, Failure failure, KernelDevices devices) {
        return new NamespaceEntry(position, nsid, null, null, null, failure, devices);
    }

    /** {@return whether the namespace was identified (no failure)} */
    public boolean ok() {
        return failure == null;
    }

    /**
     * Why a namespace failed.
     *
     * @param kind    {@code status}, {@code timeout}, {@code vanished}, {@code io} (a system call
     *                failed), {@code decode} (malformed data) or {@code internal}
     * @param message one line for users
     * @param status  the NVMe status for kind {@code status}
     */
    public record Failure(String kind, String message, Optional<NvmeStatus> status) {
        /** Checks that every part is present. */
        public Failure {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(message, "message");
            Objects.requireNonNull(status, "status");
        }
    }
}

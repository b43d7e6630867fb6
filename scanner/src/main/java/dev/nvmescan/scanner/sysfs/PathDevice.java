package dev.nvmescan.scanner.sysfs;

import java.util.Objects;

/**
 * One controller's path to a multipath namespace: the hidden block device {@code nvmeScCnZ}
 * (subsystem S, controller instance C, head instance Z), which has no device node.
 *
 * @param name       {@code nvme1c2n1}
 * @param controller the controller it goes through, {@code nvme2}
 * @param head       the head's block device name, {@code nvme1n1}
 * @param nsid       the NSID
 * @param anaState   its ANA state ({@code ana_state}), {@code optimized} where the kernel shows none
 *                   (as libnvme reports it)
 */
public record PathDevice(String name, String controller, String head, int nsid, String anaState) {
    /** Checks that every component is there. */
    public PathDevice {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(controller, "controller");
        Objects.requireNonNull(head, "head");
        Objects.requireNonNull(anaState, "anaState");
    }
}

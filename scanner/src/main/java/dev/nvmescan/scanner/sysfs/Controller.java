package dev.nvmescan.scanner.sysfs;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One NVMe controller, {@code /sys/class/nvme/nvmeX}, with the attributes libnvme reads.
 *
 * @param name       {@code nvme0}
 * @param instance   X, the kernel's instance number (which changes between boots)
 * @param subsystem  its subsystem's name, {@code nvme-subsys0}
 * @param subsysnqn  its subsystem's NQN
 * @param transport  {@code pcie}, {@code tcp}, {@code rdma}, {@code fc}, {@code loop}, ...
 * @param address    the transport address as the kernel prints it ({@code 0000:00:04.0},
 *                   {@code traddr=10.0.0.1,trsvcid=4420,src_addr=...}); empty for loop
 * @param state      {@code live}, {@code connecting}, {@code resetting}, ...
 * @param cntlid     the controller ID
 * @param serial     its serial number, space padding removed
 * @param model      its model number, space padding removed
 * @param firmware   its firmware revision, space padding removed
 * @param hostnqn    the host NQN it was connected with (fabrics only)
 * @param hostid     the host ID it was connected with (fabrics only)
 * @param slot       the PCI slot it sits in ({@code /sys/bus/pci/slots}), if any
 * @param namespaces its own block devices {@code nvmeXnY} (without multipath), in name order
 * @param paths      its path devices {@code nvmeScXnZ} (with multipath), in name order
 */
public record Controller(String name, int instance, String subsystem, String subsysnqn, String transport,
                         Optional<String> address, String state, String cntlid, String serial, String model,
                         String firmware, Optional<String> hostnqn, Optional<String> hostid, Optional<String> slot,
                         List<NamespaceDevice> namespaces, List<PathDevice> paths) {
    /** Checks the names and copies the lists. */
    public Controller {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(subsysnqn, "subsysnqn");
        namespaces = List.copyOf(namespaces);
        paths = List.copyOf(paths);
    }
}

package dev.nvmescan.scanner.sysfs;

import java.util.List;
import java.util.Objects;

/**
 * One NVM subsystem, {@code /sys/class/nvme-subsystem/nvme-subsysS}: every controller the host
 * reaches it through and, with native multipath, its namespaces' head devices.
 *
 * @param name        {@code nvme-subsys0}
 * @param nqn         its NQN ({@code subsysnqn})
 * @param type        {@code nvm} or {@code discovery} ({@code subsystype}, derived from the NQN on
 *                    kernels without it, as libnvme does)
 * @param serial      serial number, model and firmware revision of the subsystem (of its first
 *                    controller), which libnvme reports for head devices
 * @param controllers its controllers, by instance number
 * @param heads       its multipath head devices {@code nvmeSnZ}, in name order; empty without multipath
 */
public record Subsystem(String name, String nqn, String type, String serial, String model, String firmware,
                        List<Controller> controllers, List<NamespaceDevice> heads) {
    /** The well-known NQN of discovery controllers. */
    public static final String DISCOVERY_NQN = "nqn.2014-08.org.nvmexpress.discovery";

    public Subsystem {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(nqn, "nqn");
        controllers = List.copyOf(controllers);
        heads = List.copyOf(heads);
    }

    /** Whether its namespaces are multipath heads (some controller reaches them through path devices). */
    public boolean multipath() {
        return !heads.isEmpty();
    }

    /** A discovery subsystem has no namespaces to scan. */
    public boolean discovery() {
        return type.equals("discovery");
    }
}

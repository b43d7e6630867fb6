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
 * @param serial      the subsystem's serial number (its first controller's), which libnvme
 *                    reports for head devices
 * @param model       the subsystem's model number, likewise
 * @param firmware    the subsystem's firmware revision, likewise
 * @param controllers its controllers, by instance number
 * @param heads       its multipath head devices {@code nvmeSnZ}, in name order; empty without multipath
 */
public record Subsystem(String name, String nqn, String type, String serial, String model, String firmware,
                        List<Controller> controllers, List<NamespaceDevice> heads) {
    /** The well-known NQN of discovery controllers. */
    public static final String DISCOVERY_NQN = "nqn.2014-08.org.nvmexpress.discovery";

    /** Checks the names and copies the lists. */
    public Subsystem {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(nqn, "nqn");
        controllers = List.copyOf(controllers);
        heads = List.copyOf(heads);
    }

    /** {@return whether its namespaces are multipath heads (controllers reach them through path devices)} */
    public boolean multipath() {
        return !heads.isEmpty();
    }

    /** {@return whether it is a discovery subsystem, which has no namespaces to scan} */
    public boolean discovery() {
        return type.equals("discovery");
    }
}

package dev.nvmescan.scanner.sysfs;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * An NVMe host identity: the host NQN and host ID a controller was connected with.
 *
 * @param nqn the host NQN
 * @param id  the host ID, a UUID
 */
public record Host(String nqn, Optional<String> id) {
    private static final String UUID_PREFIX = "uuid:";

    /** Checks that both components are there. */
    public Host {
        Objects.requireNonNull(nqn, "nqn");
        Objects.requireNonNull(id, "id");
    }

    /**
     * This host's default identity, as libnvme finds it for controllers that show none (PCIe):
     * {@code etc/nvme/hostnqn} and {@code etc/nvme/hostid}; a missing host ID is the UUID in the host
     * NQN, else the system's DMI UUID ({@code class/dmi/id/product_uuid}); a missing host NQN is made
     * from the host ID. Empty when there is neither file nor DMI UUID: libnvme then makes up a random
     * one, which no other tool could repeat.
     *
     * @param etcRoot the configuration directory, {@code /etc} on a host
     * @param sysRoot where sysfs is mounted, {@code /sys} on a host
     * @return the identity; empty when none can be found
     */
    public static Optional<Host> local(Path etcRoot, Path sysRoot) {
        Optional<String> nqn = firstLine(etcRoot.resolve("nvme"), "hostnqn");
        Optional<String> id = firstLine(etcRoot.resolve("nvme"), "hostid");
        if (id.isEmpty())
            id = nqn.flatMap(Host::uuidOf);
        if (id.isEmpty())
            id = SysfsFiles.attribute(sysRoot.resolve("class/dmi/id"), "product_uuid");
        if (nqn.isEmpty())
            nqn = id.map(u -> "nqn.2014-08.org.nvmexpress:uuid:" + u);
        Optional<String> hostId = id;
        return nqn.map(n -> new Host(n, hostId));
    }

    private static Optional<String> uuidOf(String nqn) {
        int i = nqn.indexOf(UUID_PREFIX);
        return i < 0 ? Optional.empty() : Optional.of(nqn.substring(i + UUID_PREFIX.length()));
    }

    /** libnvme's {@code nvmf_read_file}: the file's text up to its first newline; empty when blank. */
    private static Optional<String> firstLine(Path dir, String name) {
        return SysfsFiles.attribute(dir, name).map(v -> v.lines().findFirst().orElse("")).filter(v -> !v.isEmpty());
    }
}

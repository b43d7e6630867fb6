package dev.nvmescan.scanner.sysfs;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the kernel put one controller's namespaces: a view of the {@link NvmeTree} by NSID.
 * Without multipath a namespace is the controller's block device {@code nvmeXnY}; with multipath
 * it is the head {@code nvmeSnZ} that the controller's path device {@code nvmeScXnZ} leads to.
 * Immutable: a scan looks names up from many threads.
 */
public final class KernelNames {
    private static final Pattern DEVICE = Pattern.compile("(?:nvme|ng)(\\d+)(?:c\\d+)?(?:n\\d+)?");

    private final Path devRoot;
    private final Map<Integer, NamespaceDevice> byNsid;
    private final Map<String, List<String>> byId;

    KernelNames(Path devRoot, Map<Integer, NamespaceDevice> byNsid, Map<String, List<String>> byId) {
        this.devRoot = devRoot;
        this.byNsid = Map.copyOf(byNsid);
        this.byId = byId;
    }

    /** {@return no kernel devices: for the simulator, or a controller sysfs does not show} */
    public static KernelNames none() {
        return new KernelNames(Path.of("/dev"), Map.of(), Map.of());
    }

    /**
     * Reads the names of controller {@code controller} ({@code nvme0}) from the tree under
     * {@code sysRoot} and {@code devRoot}.
     *
     * @param sysRoot    where sysfs is mounted, {@code /sys} on a host
     * @param devRoot    where the device nodes are, {@code /dev} on a host
     * @param controller the controller's name, {@code nvmeX}
     * @return the names, read once
     * @throws java.io.UncheckedIOException sysfs or /dev could not be read (a missing directory is no error)
     */
    public static KernelNames read(Path sysRoot, Path devRoot, String controller) {
        return NvmeTree.read(sysRoot, devRoot).names(controller);
    }

    /**
     * The names of the controller behind {@code device} ({@code /dev/nvme0}, {@code /dev/ng0n1}), read
     * from this host's {@code /sys} and {@code /dev}; {@link #none()} for anything else, such as a
     * simulated controller's {@code sim:} spec.
     *
     * @param device a device as {@link dev.nvmescan.nativebindings.AdminChannels#open(String)} takes it
     * @return the names, read once
     * @throws java.io.UncheckedIOException sysfs or /dev could not be read
     */
    public static KernelNames of(String device) {
        return controllerOf(device).map(c -> read(Path.of("/sys"), Path.of("/dev"), c)).orElseGet(KernelNames::none);
    }

    /**
     * The controller a device path names by its number: right for controllers and for namespaces
     * without multipath ({@link NvmeTree#controllerOf} also knows multipath heads).
     *
     * @param devicePath a path such as {@code /dev/nvme0}, {@code /dev/nvme0n1}, {@code /dev/ng0n1}
     * @return the controller's name ({@code nvme0}), empty when the path names no NVMe device
     */
    public static Optional<String> controllerOf(String devicePath) {
        Matcher m = DEVICE.matcher(Path.of(devicePath).getFileName().toString());
        return m.matches() ? Optional.of("nvme" + m.group(1)) : Optional.empty();
    }

    /**
     * The kernel devices of a namespace.
     *
     * @param nsid the namespace
     * @return its kernel devices; empty parts where the kernel shows none
     */
    public KernelDevices lookup(int nsid) {
        NamespaceDevice ns = byNsid.get(nsid);
        if (ns == null)
            return KernelDevices.NONE;
        Path generic = devRoot.resolve(ns.genericName());
        return new KernelDevices(Optional.of(devRoot.resolve(ns.name()).toString()),
                Files.exists(generic) ? Optional.of(generic.toString()) : Optional.empty(),
                byId.getOrDefault(ns.name(), List.of()), ns.paths().stream().map(PathDevice::name).toList());
    }
}

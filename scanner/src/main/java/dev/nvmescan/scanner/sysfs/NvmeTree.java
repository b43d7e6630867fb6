package dev.nvmescan.scanner.sysfs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The host's NVMe tree as the kernel shows it in sysfs, libnvme's "tree": subsystems by NQN, the
 * controllers reaching each, and their namespaces' block devices, multipath heads and path devices.
 *
 * <p>Layout (Linux NVMe core): {@code class/nvme/nvmeX/} is a controller, with the attributes
 * {@code transport}, {@code address}, {@code state}, {@code cntlid}, {@code subsysnqn},
 * {@code serial}, {@code model}, {@code firmware_rev} (and {@code hostnqn}, {@code hostid} on
 * fabrics). Without multipath it holds its namespaces' block devices {@code nvmeXnY} and generic
 * devices {@code ngXnY}. With multipath it holds hidden path devices {@code nvmeScXnZ} instead, and
 * the block device users open is the head {@code nvmeSnZ} under
 * {@code class/nvme-subsystem/nvme-subsysS/}, beside its generic device {@code ngSnZ} and a link
 * {@code nvmeX} per controller of the subsystem. Every namespace directory has {@code nsid},
 * {@code wwid}, {@code size}, {@code queue/logical_block_size} and, when set, {@code nguid},
 * {@code eui}, {@code uuid}; path devices have {@code ana_state}. The path {@code nvmeScXnZ} belongs
 * to the head {@code nvmeSnZ} (the kernel names paths after the head's subsystem and instance; from
 * 6.14 the head also links them in {@code multipath/}). Persistent links are the symlinks of
 * {@code disk/by-id} under the /dev root.
 *
 * <p>Both roots are parameters, so tests use a fake tree. The tree is read once: a scan looks
 * names up from many threads without touching the file system again; only the attributes
 * {@link NamespaceDevice} reads on demand are read later.
 */
public final class NvmeTree {
    private static final Pattern CONTROLLER = Pattern.compile("nvme(\\d+)");
    private static final Pattern SUBSYSTEM = Pattern.compile("nvme-subsys(\\d+)");
    private static final Pattern BLOCK = Pattern.compile("nvme(\\d+)n(\\d+)");
    private static final Pattern PATH = Pattern.compile("nvme(\\d+)c(\\d+)n(\\d+)");

    private final Path devRoot;
    private final List<Subsystem> subsystems;
    private final Map<String, Controller> controllers;
    private final Map<String, NamespaceDevice> blocks;
    private final Map<String, List<String>> byId;

    private NvmeTree(Path devRoot, List<Subsystem> subsystems, Map<String, List<String>> byId) {
        this.devRoot = devRoot;
        this.subsystems = List.copyOf(subsystems);
        Map<String, Controller> cs = new LinkedHashMap<>();
        Map<String, NamespaceDevice> bs = new HashMap<>();
        for (Subsystem s : subsystems) {
            s.heads().forEach(h -> bs.put(h.name(), h));
            for (Controller c : s.controllers()) {
                cs.put(c.name(), c);
                c.namespaces().forEach(n -> bs.put(n.name(), n));
            }
        }
        this.controllers = cs;
        this.blocks = bs;
        this.byId = byId;
    }

    /** {@return a tree without NVMe devices} */
    public static NvmeTree empty() {
        return new NvmeTree(Path.of("/dev"), List.of(), Map.of());
    }

    /**
     * {@return this host's tree, from {@code /sys} and {@code /dev}}
     *
     * @throws UncheckedIOException a directory exists but could not be read
     */
    public static NvmeTree host() {
        return read(Path.of("/sys"), Path.of("/dev"));
    }

    /**
     * Reads the tree under {@code sysRoot} (the sysfs mount, {@code /sys}) and {@code devRoot}
     * ({@code /dev}). Missing directories are no error: a host without NVMe has an empty tree.
     *
     * @param sysRoot where sysfs is mounted
     * @param devRoot where the device nodes are
     * @return the tree
     * @throws UncheckedIOException a directory exists but could not be read
     */
    public static NvmeTree read(Path sysRoot, Path devRoot) {
        Path subsysRoot = sysRoot.resolve("class/nvme-subsystem");
        Map<String, List<Controller>> bySubsystem = new HashMap<>();
        for (String name : SysfsFiles.entries(sysRoot.resolve("class/nvme"))) {
            Matcher m = CONTROLLER.matcher(name);
            if (m.matches())
                readController(sysRoot, subsysRoot, name, Integer.parseInt(m.group(1)))
                        .ifPresent(c -> bySubsystem.computeIfAbsent(c.subsystem(), k -> new ArrayList<>()).add(c));
        }
        List<Subsystem> subsystems = new ArrayList<>();
        for (String name : SysfsFiles.entries(subsysRoot)) {
            if (!SUBSYSTEM.matcher(name).matches())
                continue;
            List<Controller> cs = bySubsystem.getOrDefault(name, List.of());
            if (cs.isEmpty())
                continue;                               // a subsystem being torn down
            subsystems.add(readSubsystem(subsysRoot.resolve(name), name, cs));
        }
        subsystems.sort(Comparator.comparing(Subsystem::nqn).thenComparing(Subsystem::name));
        return new NvmeTree(devRoot, subsystems, readById(devRoot));
    }

    private static Optional<Controller> readController(Path sysRoot, Path subsysRoot, String name, int instance) {
        Path dir = sysRoot.resolve("class/nvme").resolve(name);
        Optional<String> subsystem = SysfsFiles.entries(subsysRoot).stream()
                .filter(s -> SUBSYSTEM.matcher(s).matches() && Files.exists(subsysRoot.resolve(s).resolve(name)))
                .findFirst();
        Optional<String> nqn = SysfsFiles.attribute(dir, "subsysnqn");
        if (subsystem.isEmpty() || nqn.isEmpty())
            return Optional.empty();                    // not (or no longer) in a subsystem: libnvme skips it too
        List<NamespaceDevice> namespaces = new ArrayList<>();
        List<PathDevice> paths = new ArrayList<>();
        for (String entry : SysfsFiles.entries(dir)) {
            Path nsDir = dir.resolve(entry);
            Matcher p = PATH.matcher(entry);
            if (p.matches()) {
                Optional<Long> nsid = SysfsFiles.number(nsDir, "nsid");
                if (nsid.isPresent())
                    paths.add(new PathDevice(entry, name, "nvme" + p.group(1) + "n" + p.group(3),
                            nsid.get().intValue(), SysfsFiles.attribute(nsDir, "ana_state").orElse("optimized")));
            } else if (BLOCK.matcher(entry).matches()) {
                SysfsFiles.number(nsDir, "nsid").ifPresent(nsid ->
                        namespaces.add(new NamespaceDevice(entry, nsid.intValue(), nsDir, false, List.of())));
            }
        }
        Optional<String> address = SysfsFiles.attribute(dir, "address");
        return Optional.of(new Controller(name, instance, subsystem.get(), nqn.get(),
                SysfsFiles.attribute(dir, "transport").orElse(""), address,
                SysfsFiles.attribute(dir, "state").orElse(""), SysfsFiles.attribute(dir, "cntlid").orElse(""),
                SysfsFiles.attribute(dir, "serial").orElse(""), SysfsFiles.attribute(dir, "model").orElse(""),
                SysfsFiles.attribute(dir, "firmware_rev").orElse(""), SysfsFiles.attribute(dir, "hostnqn"),
                SysfsFiles.attribute(dir, "hostid"), address.flatMap(a -> pciSlot(sysRoot, a)),
                namespaces, paths));
    }

    private static Subsystem readSubsystem(Path dir, String name, List<Controller> controllers) {
        String nqn = SysfsFiles.attribute(dir, "subsysnqn").orElse(controllers.getFirst().subsysnqn());
        String type = SysfsFiles.attribute(dir, "subsystype")
                .orElse(nqn.equals(Subsystem.DISCOVERY_NQN) ? "discovery" : "nvm");
        List<PathDevice> paths = new ArrayList<>();
        controllers.forEach(c -> paths.addAll(c.paths()));
        List<NamespaceDevice> heads = new ArrayList<>();
        for (String entry : SysfsFiles.entries(dir)) {
            if (!BLOCK.matcher(entry).matches())
                continue;
            Path nsDir = dir.resolve(entry);
            SysfsFiles.number(nsDir, "nsid").ifPresent(nsid -> heads.add(new NamespaceDevice(entry, nsid.intValue(),
                    nsDir, true, paths.stream().filter(p -> p.head().equals(entry))
                            .sorted(Comparator.comparing(PathDevice::name)).toList())));
        }
        List<Controller> byInstance = new ArrayList<>(controllers);
        byInstance.sort(Comparator.comparingInt(Controller::instance));
        return new Subsystem(name, nqn, type, SysfsFiles.attribute(dir, "serial").orElse(""),
                SysfsFiles.attribute(dir, "model").orElse("undefined"),
                SysfsFiles.attribute(dir, "firmware_rev").orElse(""), byInstance, heads);
    }

    /** libnvme's slot lookup: the slot whose {@code address} is the first 10 characters of the controller's. */
    private static Optional<String> pciSlot(Path sysRoot, String address) {
        Path slots = sysRoot.resolve("bus/pci/slots");
        String target = address.length() > 10 ? address.substring(0, 10) : address;
        return SysfsFiles.entries(slots).stream()
                .filter(s -> SysfsFiles.attribute(slots.resolve(s), "address").filter(target::equals).isPresent())
                .findFirst();
    }

    private static Map<String, List<String>> readById(Path devRoot) {
        Map<String, List<String>> out = new HashMap<>();
        Path dir = devRoot.resolve("disk/by-id");
        for (String name : SysfsFiles.entries(dir)) {
            Path link = dir.resolve(name);
            if (!Files.isSymbolicLink(link))
                continue;
            try {
                String target = Files.readSymbolicLink(link).getFileName().toString();
                out.computeIfAbsent(target, k -> new ArrayList<>()).add(link.toString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }

    /** {@return the subsystems, by NQN} */
    public List<Subsystem> subsystems() {
        return subsystems;
    }

    /** {@return every controller: by subsystem NQN, then by instance number} */
    public List<Controller> controllers() {
        return List.copyOf(controllers.values());
    }

    /**
     * A controller by name.
     *
     * @param name {@code nvme0}
     * @return the controller, if sysfs shows it
     */
    public Optional<Controller> controller(String name) {
        return Optional.ofNullable(controllers.get(name));
    }

    /**
     * The controller behind device node {@code deviceName}: {@code nvmeX} itself, the controller of
     * block device {@code nvmeXnY} or generic device {@code ngXnY}, and for a multipath head
     * {@code nvmeSnZ} (or {@code ngSnZ}) the controller of its first path, which is the one its
     * admin commands reach.
     *
     * @param deviceName a name under /dev: {@code nvme0}, {@code nvme0n1}, {@code ng0n1}
     * @return the controller, if the tree has one for it
     */
    public Optional<Controller> controllerOf(String deviceName) {
        if (CONTROLLER.matcher(deviceName).matches())
            return controller(deviceName);
        String block = deviceName.startsWith("ng") ? "nvme" + deviceName.substring(2) : deviceName;
        NamespaceDevice ns = blocks.get(block);
        if (ns != null && ns.head())
            return ns.paths().stream().findFirst().flatMap(p -> controller(p.controller()));
        Matcher m = BLOCK.matcher(block);
        return m.matches() ? controller("nvme" + m.group(1)) : Optional.empty();
    }

    /**
     * The subsystem of a controller of this tree.
     *
     * @param controller one of {@link #controllers()}
     * @return its subsystem
     */
    public Subsystem subsystemOf(Controller controller) {
        return subsystems.stream().filter(s -> s.name().equals(controller.subsystem())).findFirst().orElseThrow();
    }

    /**
     * A namespace by its block device.
     *
     * @param name a controller's block device or a multipath head, {@code nvme0n1}
     * @return the namespace device, if the tree has it
     */
    public Optional<NamespaceDevice> blockDevice(String name) {
        return Optional.ofNullable(blocks.get(name));
    }

    /** {@return the /dev root the tree was read with} */
    public Path devRoot() {
        return devRoot;
    }

    /**
     * The kernel's names for the namespaces of a controller.
     *
     * @param controller its name, {@code nvme0}
     * @return its names; none when sysfs does not show it
     */
    public KernelNames names(String controller) {
        Controller c = controllers.get(controller);
        if (c == null)
            return KernelNames.none();
        Map<Integer, NamespaceDevice> byNsid = new HashMap<>();
        c.namespaces().forEach(n -> byNsid.put(n.nsid(), n));
        for (PathDevice p : c.paths()) {
            NamespaceDevice head = blocks.get(p.head());
            if (head != null)
                byNsid.put(p.nsid(), head);
        }
        return new KernelNames(devRoot, byNsid, byId);
    }
}

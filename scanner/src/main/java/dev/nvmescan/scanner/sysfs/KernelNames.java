package dev.nvmescan.scanner.sysfs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the kernel put one controller's namespaces, read from sysfs and {@code /dev}.
 *
 * <p>Layout (Linux NVMe core): {@code /sys/class/nvme/nvmeX/} holds a directory per namespace of the
 * controller, each with an {@code nsid} file. Without multipath it is the block device itself,
 * {@code nvmeXnY}. With multipath the per-path devices are hidden, {@code nvmeXcCnY}, and the block
 * device users open is the head, {@code nvmeSnY}, under the controller's subsystem
 * {@code /sys/class/nvme-subsystem/nvme-subsysS/} (which also links the controller {@code nvmeX});
 * it has an {@code nsid} file too. The generic character device of block device {@code nvmeAnB} is
 * {@code ngAnB}; persistent links are the symlinks of {@code /dev/disk/by-id} that resolve to the
 * block device. Both roots are parameters, so tests use a fake tree.
 *
 * <p>Read once, at construction: a scan looks names up from many threads without touching the file
 * system again.
 */
public final class KernelNames {
    private static final Pattern BLOCK = Pattern.compile("nvme(\\d+)n(\\d+)");
    private static final Pattern PATH = Pattern.compile("nvme\\d+c\\d+n\\d+");
    private static final Pattern CONTROLLER = Pattern.compile("nvme\\d+");
    private static final Pattern DEVICE = Pattern.compile("(?:nvme|ng)(\\d+)(?:c\\d+)?(?:n\\d+)?");

    private final Path devRoot;
    private final Map<Integer, String> blockByNsid;
    private final Map<String, List<String>> byIdByBlock;

    private KernelNames(Path devRoot, Map<Integer, String> blockByNsid, Map<String, List<String>> byIdByBlock) {
        this.devRoot = devRoot;
        this.blockByNsid = blockByNsid;
        this.byIdByBlock = byIdByBlock;
    }

    /** {@return no kernel devices: for the simulator, or a controller sysfs does not show} */
    public static KernelNames none() {
        return new KernelNames(Path.of("/dev"), Map.of(), Map.of());
    }

    /**
     * Reads the names of controller {@code controller} ({@code nvme0}).
     *
     * @param sysRoot    where sysfs is mounted, {@code /sys} on a host
     * @param devRoot    where the device nodes are, {@code /dev} on a host
     * @param controller the controller's name, {@code nvmeX}
     * @return the names, read once
     * @throws UncheckedIOException sysfs or /dev could not be read (a missing directory is no error)
     */
    public static KernelNames read(Path sysRoot, Path devRoot, String controller) {
        Map<Integer, String> blocks = new HashMap<>();
        Path ctrlDir = sysRoot.resolve("class/nvme").resolve(controller);
        boolean multipath = false;
        for (Path entry : list(ctrlDir)) {
            String name = entry.getFileName().toString();
            if (BLOCK.matcher(name).matches())
                readNsid(entry).ifPresent(nsid -> blocks.put(nsid, name));
            else if (PATH.matcher(name).matches())
                multipath = true;
        }
        if (multipath) {
            for (Path subsys : list(sysRoot.resolve("class/nvme-subsystem"))) {
                if (!Files.exists(subsys.resolve(controller)))
                    continue;
                for (Path entry : list(subsys)) {
                    String name = entry.getFileName().toString();
                    if (BLOCK.matcher(name).matches())
                        readNsid(entry).ifPresent(nsid -> blocks.put(nsid, name));
                }
            }
        }
        Map<String, List<String>> byId = new HashMap<>();
        for (Path link : list(devRoot.resolve("disk/by-id"))) {
            if (!Files.isSymbolicLink(link))
                continue;
            try {
                String target = Files.readSymbolicLink(link).getFileName().toString();
                if (blocks.containsValue(target))
                    byId.computeIfAbsent(target, k -> new ArrayList<>()).add(link.toString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        byId.values().forEach(l -> l.sort(null));
        return new KernelNames(devRoot, Map.copyOf(blocks), Map.copyOf(byId));
    }

    /**
     * The names of the controller behind {@code device} ({@code /dev/nvme0}, {@code /dev/ng0n1}), read
     * from this host's {@code /sys} and {@code /dev}; {@link #none()} for anything else, such as a
     * simulated controller's {@code sim:} spec.
     *
     * @param device a device as {@link dev.nvmescan.nativebindings.AdminChannels#open(String)} takes it
     * @return the names, read once
     * @throws UncheckedIOException sysfs or /dev could not be read
     */
    public static KernelNames of(String device) {
        return controllerOf(device).map(c -> read(Path.of("/sys"), Path.of("/dev"), c)).orElseGet(KernelNames::none);
    }

    /**
     * Names the controller of a device path.
     *
     * @param devicePath a path such as {@code /dev/nvme0}, {@code /dev/nvme0n1}, {@code /dev/ng0n1}
     * @return the controller's name ({@code nvme0}), empty when the path names no NVMe device
     */
    public static Optional<String> controllerOf(String devicePath) {
        String name = Path.of(devicePath).getFileName().toString();
        Matcher m = DEVICE.matcher(name);
        if (!m.matches())
            return Optional.empty();
        return Optional.of("nvme" + m.group(1));
    }

    /**
     * Lists the controllers sysfs shows.
     *
     * @param sysRoot where sysfs is mounted, {@code /sys} on a host
     * @return {@code nvme0}, {@code nvme1}, ..., in numeric order; empty without {@code class/nvme}
     * @throws UncheckedIOException sysfs could not be read
     */
    public static List<String> controllers(Path sysRoot) {
        List<String> out = new ArrayList<>();
        for (Path p : list(sysRoot.resolve("class/nvme")))
            if (CONTROLLER.matcher(p.getFileName().toString()).matches())
                out.add(p.getFileName().toString());
        out.sort((a, b) -> Integer.compare(Integer.parseInt(a.substring(4)), Integer.parseInt(b.substring(4))));
        return out;
    }

    /**
     * Looks up one namespace's devices, without touching the file system but for the generic device.
     *
     * @param nsid the namespace
     * @return its kernel devices; empty parts where the kernel shows none
     */
    public KernelDevices lookup(int nsid) {
        String block = blockByNsid.get(nsid);
        if (block == null)
            return KernelDevices.NONE;
        Matcher m = BLOCK.matcher(block);
        m.matches();
        String ng = "ng" + m.group(1) + "n" + m.group(2);
        Optional<String> generic = Files.exists(devRoot.resolve(ng))
                ? Optional.of(devRoot.resolve(ng).toString()) : Optional.empty();
        return new KernelDevices(Optional.of(devRoot.resolve(block).toString()), generic,
                byIdByBlock.getOrDefault(block, List.of()));
    }

    private static Optional<Integer> readNsid(Path dir) {
        try {
            return Optional.of(Integer.parseUnsignedInt(Files.readString(dir.resolve("nsid")).trim()));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static List<Path> list(Path dir) {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(dir))
            return out;
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            s.forEach(out::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.sort(null);
        return out;
    }
}

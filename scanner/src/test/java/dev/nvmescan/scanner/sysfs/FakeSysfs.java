package dev.nvmescan.scanner.sysfs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Builds a fake sysfs and /dev under a directory, laid out as the Linux NVMe core lays them out
 * (see {@link NvmeTree}), for tests: {@code sys/class/nvme}, {@code sys/class/nvme-subsystem},
 * {@code dev}. Namespaces get {@code nsid}, {@code wwid} ({@code uuid.} a UUID made of the
 * subsystem and NSID), {@code nguid}, {@code size} (1 GiB), {@code queue/logical_block_size} (512)
 * and {@code csi}, and device nodes (plain files).
 */
public final class FakeSysfs {
    private final Path sys, dev;

    public FakeSysfs(Path root) {
        this.sys = root.resolve("sys");
        this.dev = root.resolve("dev");
        mkdirs(sys.resolve("class/nvme"));
        mkdirs(sys.resolve("class/nvme-subsystem"));
        mkdirs(dev);
    }

    public Path sys() {
        return sys;
    }

    public Path dev() {
        return dev;
    }

    /** Subsystem {@code nvme-subsysS} with NQN {@code nqn}. */
    public FakeSysfs subsystem(int s, String nqn) {
        Path d = subsystemDir(s);
        write(d, "subsysnqn", nqn);
        write(d, "model", "QEMU NVMe Ctrl");
        write(d, "serial", "SUBSYS" + s);
        write(d, "firmware_rev", "8.0.0");
        return this;
    }

    /** Controller {@code nvmeX} of subsystem S, over {@code transport} at {@code address}. */
    public FakeSysfs controller(int x, int s, String transport, String address) {
        Path d = controllerDir(x);
        String nqn = read(subsystemDir(s).resolve("subsysnqn"));
        write(d, "subsysnqn", nqn);
        write(d, "transport", transport);
        write(d, "address", address);
        write(d, "state", "live");
        write(d, "cntlid", Integer.toString(x + 1));
        write(d, "serial", "SERIAL" + x + "              ");     // space padded, as the kernel shows it
        write(d, "model", "QEMU NVMe Ctrl");
        write(d, "firmware_rev", "8.0.0");
        if (!transport.equals("pcie")) {
            write(d, "hostnqn", "nqn.2014-08.org.nvmexpress:uuid:00000000-0000-0000-0000-00000000cafe");
            write(d, "hostid", "00000000-0000-0000-0000-00000000cafe");
        }
        try {
            Files.createSymbolicLink(subsystemDir(s).resolve("nvme" + x), Path.of("../../nvme/nvme" + x));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        touch(dev.resolve("nvme" + x));
        return this;
    }

    /** Block device {@code nvmeXnY} of controller X (no multipath) for {@code nsid}, with its nodes. */
    public FakeSysfs namespace(int x, int y, int nsid) {
        Path d = controllerDir(x).resolve("nvme" + x + "n" + y);
        namespaceAttributes(d, nsid, read(controllerDir(x).resolve("subsysnqn")));
        mkdirs(controllerDir(x).resolve("ng" + x + "n" + y));
        touch(dev.resolve("nvme" + x + "n" + y));
        touch(dev.resolve("ng" + x + "n" + y));
        return this;
    }

    /** Multipath head {@code nvmeSnZ} for {@code nsid}, with a path {@code nvmeScXnZ} through each controller X. */
    public FakeSysfs head(int s, int z, int nsid, int... controllers) {
        String nqn = read(subsystemDir(s).resolve("subsysnqn"));
        namespaceAttributes(subsystemDir(s).resolve("nvme" + s + "n" + z), nsid, nqn);
        mkdirs(subsystemDir(s).resolve("ng" + s + "n" + z));
        for (int x : controllers) {
            Path p = controllerDir(x).resolve("nvme" + s + "c" + x + "n" + z);
            namespaceAttributes(p, nsid, nqn);
            write(p, "ana_state", x == controllers[0] ? "optimized" : "non-optimized");
        }
        touch(dev.resolve("nvme" + s + "n" + z));
        touch(dev.resolve("ng" + s + "n" + z));
        return this;
    }

    /** A link under {@code dev/disk/by-id} to {@code target} (a name in /dev). */
    public FakeSysfs byId(String name, String target) {
        Path d = dev.resolve("disk/by-id");
        mkdirs(d);
        try {
            Files.createSymbolicLink(d.resolve(name), Path.of("../../" + target));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** The wwid the fixture gives NSID {@code nsid} of the subsystem with NQN {@code nqn}. */
    public static String wwid(String nqn, int nsid) {
        return "uuid." + uuid(nqn, nsid);
    }

    private static String uuid(String nqn, int nsid) {
        return String.format("%08x-0000-4000-8000-%012x", nqn.hashCode(), nsid);
    }

    private void namespaceAttributes(Path d, int nsid, String nqn) {
        write(d, "nsid", Integer.toString(nsid));
        write(d, "wwid", wwid(nqn, nsid));
        write(d, "uuid", uuid(nqn, nsid));
        write(d, "size", Long.toString(2097152));
        write(d, "queue/logical_block_size", "512");
        write(d, "csi", "0");
    }

    private Path subsystemDir(int s) {
        return sys.resolve("class/nvme-subsystem/nvme-subsys" + s);
    }

    private Path controllerDir(int x) {
        return sys.resolve("class/nvme/nvme" + x);
    }

    /** Writes attribute {@code name} of {@code dir}, with the newline sysfs ends values with. */
    public static void write(Path dir, String name, String value) {
        Path f = dir.resolve(name);
        mkdirs(f.getParent());
        try {
            Files.writeString(f, value + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path f) {
        try {
            return Files.readString(f).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void touch(Path f) {
        try {
            if (!Files.exists(f))
                Files.createFile(f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void mkdirs(Path d) {
        try {
            Files.createDirectories(d);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

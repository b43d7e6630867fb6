package dev.nvmescan.vmtests;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Where the guests run: {@code host} (this machine's QEMU and nvme-cli, the Debian kernels and the
 * sid root that scripts/vm/lib.sh caches) or {@code container} (the same harness inside the pinned
 * image of scripts/container/, started by Testcontainers). Chosen by the system property
 * {@code nvmescan.vm.mode} or the environment variable {@code NVMESCAN_VM_MODE}: {@code auto} (the
 * default) takes the container when an engine answers or can be started and the image builds, else
 * the host, saying why; {@code container} fails instead of falling back.
 */
record VmMode(Kind kind, String image, String reason) {

    enum Kind { HOST, CONTAINER }

    /** Brings up the engine and the image (scripts/container/prepare); returns the image tag. */
    interface Preparer {
        String prepare() throws Exception;
    }

    /** A bind mount of the container: {@code host} seen at {@code container}. */
    record Bind(Path host, Path container, boolean writable) {}

    /** The requested mode: the system property, else the environment variable, else auto. */
    static String requested(String property, String env) {
        String r = property != null && !property.isBlank() ? property : env;
        return r == null || r.isBlank() ? "auto" : r.strip().toLowerCase(Locale.ROOT);
    }

    /** Decides the mode for {@code requested}, calling {@code preparer} unless the host was asked for. */
    static VmMode choose(String requested, Preparer preparer) {
        switch (requested) {
            case "host":
                return new VmMode(Kind.HOST, null, "asked for with nvmescan.vm.mode=host");
            case "container":
                try {
                    return new VmMode(Kind.CONTAINER, preparer.prepare(), "asked for with nvmescan.vm.mode=container");
                } catch (Exception e) {
                    throw new IllegalStateException("nvmescan.vm.mode=container, but the container cannot be had: " + why(e), e);
                }
            case "auto":
                try {
                    return new VmMode(Kind.CONTAINER, preparer.prepare(), "a Docker engine answers and the image is built");
                } catch (Exception e) {
                    return new VmMode(Kind.HOST, null, "no container: " + why(e));
                }
            default:
                throw new IllegalArgumentException("nvmescan.vm.mode must be auto, host or container, not " + requested);
        }
    }

    /** The one line the tests print about the mode. */
    String describe() {
        return kind == Kind.CONTAINER
                ? "vm-tests: container mode, image " + image + " (" + reason + ")"
                : "vm-tests: host mode, this machine's QEMU and nvme-cli, the kernels and sid root cached by scripts/vm/lib.sh (" + reason + ")";
    }

    /**
     * The container's bind mounts. The guest chroots into the container's / over 9p and runs the
     * repository's scripts and jars at the paths the host gave the harness, so the repository
     * (writable: the results directory is in it) and the JDK appear at their host paths. A JDK
     * outside /usr/lib/jvm and /opt/java is also put under /opt/java, where scripts/lib/jdk.sh
     * looks in the guest (whose HOME is not the host's).
     */
    static List<Bind> binds(Path repo, Path javaHome) {
        if (repo.getNameCount() == 0)
            throw new IllegalArgumentException("the repository cannot be /");
        List<Bind> out = new ArrayList<>();
        out.add(new Bind(repo, repo, true));
        if (!javaHome.startsWith(repo))
            out.add(new Bind(javaHome, javaHome, false));
        if (!javaHome.startsWith("/usr/lib/jvm") && !javaHome.startsWith("/opt/java"))
            out.add(new Bind(javaHome, Path.of("/opt/java").resolve(javaHome.getFileName()), false));
        return out;
    }

    private static String why(Exception e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.toString() : m.strip();
    }
}

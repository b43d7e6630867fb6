package dev.nvmescan.vmtests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One boot of a QEMU guest through {@code scripts/vm/run}: runs a guest script from the test
 * resources and gives access to the files it left in the results directory. A guest that fails or
 * hangs fails the test with the harness's output (which carries the console log). The harness runs
 * on this host or in the pinned container image, as {@link VmMode} decides; the results are the
 * same files in the same place either way.
 */
final class Guest {
    static final Path REPO = findRepo();
    private static final Duration TIMEOUT = Duration.ofMinutes(20);
    private static VmMode mode;
    /** Each kernel booted (release and Debian version) with the names of the boots that ran it. */
    private static final Map<String, List<String>> kernels = new LinkedHashMap<>();
    private static final ObjectMapper JSON = new ObjectMapper();
    final Path results;

    private Guest(Path results) {
        this.results = results;
    }

    /** Boots {@code topology} with the harness options {@code options}, running resource {@code script}. */
    static Guest boot(String topology, String script, List<String> options) throws IOException, InterruptedException {
        return boot(topology, topology, script, options);
    }

    /**
     * Boots {@code topology} as {@code name} (its results directory under vm-results/) with the
     * harness options {@code options}, running resource {@code script}.
     */
    static Guest boot(String name, String topology, String script, List<String> options) throws IOException, InterruptedException {
        Path results = REPO.resolve("vm-tests/target/vm-results/" + name);
        deleteTree(results);                    // nothing of an earlier boot may pass for this one's
        Files.createDirectories(results);
        Path guestScript = results.resolveSibling(name + "-" + script);
        try (InputStream in = Guest.class.getResourceAsStream(script)) {
            if (in == null)
                throw new IllegalStateException("no test resource " + script);
            Files.copy(in, guestScript, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        List<String> cmd = new ArrayList<>(List.of(REPO.resolve("scripts/vm/run").toString(),
                "--topology", topology, "--guest-script", guestScript.toString(), "--results", results.toString()));
        cmd.addAll(options);
        Path log = results.resolveSibling(name + "-harness.log");
        VmMode vm = mode();
        int rc = vm.kind() == VmMode.Kind.CONTAINER
                ? ContainerHarness.run(vm.image(), REPO, cmd, log, TIMEOUT)
                : runOnHost(cmd, log);
        if (rc != 0)
            throw new AssertionError("scripts/vm/run " + topology + " failed (exit " + rc + ", " + vm.kind().name().toLowerCase(java.util.Locale.ROOT) + " mode):\n"
                    + Files.readString(log) + tail(results.resolve("stderr")));
        Guest g = new Guest(results);
        booted(name, g.kernel());
        return g;
    }

    /**
     * Records that {@code name} booted {@code kernel}: one line on stdout, and the mode line
     * (vm-results/mode, which scripts/test repeats at the end) names every kernel booted so far.
     */
    private static synchronized void booted(String name, String kernel) throws IOException {
        System.out.println("vm-tests: " + name + " booted kernel " + kernel);
        kernels.computeIfAbsent(kernel, k -> new ArrayList<>()).add(name);
        writeModeLine();
    }

    private static void writeModeLine() throws IOException {
        StringBuilder line = new StringBuilder(mode.describe());
        String sep = "; kernels booted: ";
        for (var e : kernels.entrySet()) {
            line.append(sep).append(e.getKey()).append(" for ").append(String.join(", ", e.getValue()));
            sep = "; ";
        }
        Path f = REPO.resolve("vm-tests/target/vm-results/mode");
        Files.createDirectories(f.getParent());
        Files.writeString(f, line + "\n");
    }

    /** The mode of this JVM's guests, decided (and printed) once. */
    static synchronized VmMode mode() {
        if (mode == null) {
            mode = VmMode.choose(VmMode.requested(System.getProperty("nvmescan.vm.mode"), System.getenv("NVMESCAN_VM_MODE")),
                    () -> ContainerHarness.prepare(REPO, REPO.resolve("vm-tests/target/vm-results/container-prepare.log")));
            System.out.println(mode.describe());
            try {
                writeModeLine();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return mode;
    }

    private static int runOnHost(List<String> cmd, Path log) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).directory(REPO.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        if (!p.waitFor(TIMEOUT.toMinutes(), TimeUnit.MINUTES)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);   // QEMU is in timeout's process group
            p.destroyForcibly();
            throw new AssertionError("scripts/vm/run did not return in " + TIMEOUT.toMinutes() + " minutes:\n" + Files.readString(log));
        }
        return p.exitValue();
    }

    String text(String name) throws IOException {
        return Files.readString(results.resolve(name));
    }

    JsonNode json(String name) throws IOException {
        return JSON.readTree(results.resolve(name).toFile());
    }

    int exitCode(String batchName) throws IOException {
        return Integer.parseInt(text(batchName + ".rc").trim());
    }

    /** The kernel the guest booted: its release and Debian version, e.g. {@code 6.1.0-50-amd64 (Debian 6.1.176-1)}. */
    String kernel() throws IOException {
        String[] w = text("kernel").strip().split(" ");
        return w[0] + " (Debian " + w[1] + ")";
    }

    /** The directory of sid's nvme-cli's answers ({@code nvme-cli-VERSION}), recorded beside the compared ones. */
    Path sidNvmeCli() throws IOException {
        try (var dirs = Files.list(results)) {
            return dirs.filter(d -> d.getFileName().toString().startsWith("nvme-cli-")).findFirst()
                    .orElseThrow(() -> new AssertionError("no nvme-cli-VERSION directory in " + results));
        }
    }

    /** The NSIDs nvme-cli listed, in list order. */
    List<Long> nsids() throws IOException {
        return text("nsids").lines().map(Long::parseLong).toList();
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir))
            return;
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList())
                Files.delete(p);
        }
    }

    private static String tail(Path p) throws IOException {
        return Files.exists(p) ? "\n--- guest script stderr:\n" + Files.readString(p) : "";
    }

    private static Path findRepo() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("scripts/vm/run")))
            dir = dir.getParent();
        if (dir == null)
            throw new IllegalStateException("cannot find the repository (scripts/vm/run) above " + Path.of("").toAbsolutePath());
        return dir;
    }
}

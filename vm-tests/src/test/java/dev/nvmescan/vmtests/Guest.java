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
import java.util.List;
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
    private static final ObjectMapper JSON = new ObjectMapper();
    final Path results;

    private Guest(Path results) {
        this.results = results;
    }

    /** Boots {@code topology} with the harness options {@code options}, running resource {@code script}. */
    static Guest boot(String topology, String script, List<String> options) throws IOException, InterruptedException {
        Path results = REPO.resolve("vm-tests/target/vm-results/" + topology);
        deleteTree(results);                    // nothing of an earlier boot may pass for this one's
        Files.createDirectories(results);
        Path guestScript = results.resolveSibling(topology + "-" + script);
        try (InputStream in = Guest.class.getResourceAsStream(script)) {
            if (in == null)
                throw new IllegalStateException("no test resource " + script);
            Files.copy(in, guestScript, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        List<String> cmd = new ArrayList<>(List.of(REPO.resolve("scripts/vm/run").toString(),
                "--topology", topology, "--guest-script", guestScript.toString(), "--results", results.toString()));
        cmd.addAll(options);
        Path log = results.resolveSibling(topology + "-harness.log");
        VmMode vm = mode();
        int rc = vm.kind() == VmMode.Kind.CONTAINER
                ? ContainerHarness.run(vm.image(), REPO, cmd, log, TIMEOUT)
                : runOnHost(cmd, log);
        if (rc != 0)
            throw new AssertionError("scripts/vm/run " + topology + " failed (exit " + rc + ", " + vm.kind().name().toLowerCase(java.util.Locale.ROOT) + " mode):\n"
                    + Files.readString(log) + tail(results.resolve("stderr")));
        return new Guest(results);
    }

    /** The mode of this JVM's guests, decided (and printed) once. */
    static synchronized VmMode mode() {
        if (mode == null) {
            mode = VmMode.choose(VmMode.requested(System.getProperty("nvmescan.vm.mode"), System.getenv("NVMESCAN_VM_MODE")),
                    () -> ContainerHarness.prepare(REPO, REPO.resolve("vm-tests/target/vm-results/container-prepare.log")));
            System.out.println(mode.describe());
            try {
                Path f = REPO.resolve("vm-tests/target/vm-results/mode");
                Files.createDirectories(f.getParent());
                Files.writeString(f, mode.describe() + "\n");
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

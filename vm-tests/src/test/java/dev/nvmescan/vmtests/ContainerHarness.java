package dev.nvmescan.vmtests;

import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.Volume;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Container;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.startupcheck.IsRunningStartupCheckStrategy;
import org.testcontainers.utility.DockerImageName;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The harness inside the image of scripts/container/: Testcontainers starts the image with the
 * repository and the JDK bound at their host paths and runs {@code scripts/vm/run} in it with the
 * same arguments as on the host, so the results land in the same (bound) directory.
 * <p>
 * The container gets no capabilities at all, no network and no devices: QEMU runs with TCG, its
 * 9p export and image files need only root's ownership of the files. Nothing is pulled: the
 * image is local, Ryuk and the startup checks are off (vm-tests/pom.xml).
 */
final class ContainerHarness {
    private ContainerHarness() {}

    /**
     * Runs scripts/container/prepare (engine up, image built), its progress copied to stderr and
     * {@code log}; returns the image tag, or throws with the reason.
     */
    static String prepare(Path repo, Path log) throws IOException, InterruptedException {
        Files.createDirectories(log.getParent());
        Process p = new ProcessBuilder(repo.resolve("scripts/container/prepare").toString())
                .directory(repo.toFile()).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        });
        String last = "";
        try (BufferedReader err = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8));
             var w = Files.newBufferedWriter(log)) {
            for (String line; (line = err.readLine()) != null; ) {
                System.err.println(line);
                w.write(line);
                w.newLine();
                w.flush();
                if (!line.isBlank())
                    last = line;
            }
        }
        int rc = p.waitFor();
        String tag = out.join().strip();
        if (rc != 0 || tag.isEmpty())
            throw new IOException("scripts/container/prepare failed (exit " + rc + "): " + last);
        tag = tag.lines().reduce((a, b) -> b).orElseThrow();
        // The engine answered the docker CLI; Testcontainers must reach it too.
        try {
            DockerClientFactory.instance().client();
            return tag;
        } catch (RuntimeException e) {
            throw new IOException("Testcontainers cannot use the Docker engine: " + e.getMessage(), e);
        }
    }

    /**
     * Runs {@code cmd} (scripts/vm/run and its arguments, host paths) in a fresh container of
     * {@code image}; its output goes to {@code log}. Returns its exit status.
     */
    static int run(String image, Path repo, List<String> cmd, Path log, java.time.Duration timeout)
            throws IOException, InterruptedException {
        Path realRepo = repo.toRealPath();
        Path javaHome = Path.of(System.getProperty("java.home")).toRealPath();
        List<Bind> binds = new ArrayList<>();
        for (VmMode.Bind b : VmMode.binds(realRepo, javaHome))
            binds.add(new Bind(b.host().toString(), new Volume(b.container().toString()),
                    b.writable() ? AccessMode.rw : AccessMode.ro));
        try (GenericContainer<?> c = new GenericContainer<>(DockerImageName.parse(image))
                .withImagePullPolicy(name -> false) // built by prepare; there is no registry
                .withCommand("sleep", "86400") // a container a killed build leaves exits in a day
                .withWorkingDirectory(realRepo.toString())
                .withNetworkMode("none")
                .withLabel("dev.nvmescan.vm-tests", "harness")
                .withStartupCheckStrategy(new IsRunningStartupCheckStrategy())
                .withCreateContainerCmdModifier(create -> create.getHostConfig()
                        .withBinds(binds)
                        .withCapDrop(Capability.ALL)
                        .withSecurityOpts(List.of("no-new-privileges")))) {
            c.start();
            CompletableFuture<Container.ExecResult> exec = CompletableFuture.supplyAsync(() -> {
                try {
                    return c.execInContainer(cmd.toArray(String[]::new));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            });
            Container.ExecResult r;
            try {
                r = exec.get(timeout.toMinutes(), TimeUnit.MINUTES);
            } catch (TimeoutException e) {
                throw new AssertionError("scripts/vm/run did not return in " + timeout.toMinutes()
                        + " minutes in container " + c.getContainerId() + " (" + image + ")");
            } catch (ExecutionException e) {
                throw new IOException("cannot run scripts/vm/run in container " + image, e.getCause());
            }
            Files.writeString(log, "vm-tests: in container " + c.getContainerId().substring(0, 12) + " of " + image
                    + " (no capabilities, no network, binds " + binds + ")\n" + r.getStdout() + r.getStderr());
            return r.getExitCode();
        }
    }
}

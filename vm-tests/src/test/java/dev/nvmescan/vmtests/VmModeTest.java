package dev.nvmescan.vmtests;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Mode selection and the container's bind mounts; runs without Docker or a guest. */
class VmModeTest {

    @Test
    void thePropertyWinsOverTheEnvironmentAndAutoIsTheDefault() {
        assertEquals("host", VmMode.requested("host", "container"));
        assertEquals("container", VmMode.requested(" ", "Container"));
        assertEquals("auto", VmMode.requested("", null));
        assertEquals("auto", VmMode.requested(null, null));
    }

    @Test
    void autoTakesTheContainerWhenTheImageCanBeHad() {
        VmMode m = VmMode.choose("auto", () -> "nvmescan-vm:0123456789abcdef");
        assertEquals(VmMode.Kind.CONTAINER, m.kind());
        assertEquals("nvmescan-vm:0123456789abcdef", m.image());
        assertTrue(m.describe().startsWith("vm-tests: container mode, image nvmescan-vm:0123456789abcdef"), m.describe());
    }

    @Test
    void autoFallsBackToTheHostAndSaysWhy() {
        VmMode m = VmMode.choose("auto", () -> {
            throw new IOException("scripts/container/prepare failed (exit 1): ensure-engine: no Docker engine answers, and starting one needs root");
        });
        assertEquals(VmMode.Kind.HOST, m.kind());
        assertNull(m.image());
        assertEquals("vm-tests: host mode, this machine's QEMU and nvme-cli, the kernels and sid root cached by scripts/vm/lib.sh (no container: "
                + "scripts/container/prepare failed (exit 1): ensure-engine: no Docker engine answers, and starting one needs root)", m.describe());
    }

    @Test
    void containerAskedForFailsRatherThanFallingBack() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> VmMode.choose("container", () -> { throw new IOException("docker build failed"); }));
        assertTrue(e.getMessage().endsWith("cannot be had: docker build failed"), e.getMessage());
    }

    @Test
    void hostAskedForNeverTouchesDocker() {
        AtomicInteger calls = new AtomicInteger();
        VmMode m = VmMode.choose("host", () -> { calls.incrementAndGet(); return "x"; });
        assertEquals(VmMode.Kind.HOST, m.kind());
        assertEquals(0, calls.get());
        assertThrows(IllegalArgumentException.class, () -> VmMode.choose("kvm", () -> "x"));
    }

    @Test
    void theRepositoryIsWritableAndTheJdkReadOnlyAtTheirHostPaths() {
        assertEquals(List.of(new VmMode.Bind(Path.of("/work/repo"), Path.of("/work/repo"), true),
                        new VmMode.Bind(Path.of("/usr/lib/jvm/temurin-25"), Path.of("/usr/lib/jvm/temurin-25"), false)),
                VmMode.binds(Path.of("/work/repo"), Path.of("/usr/lib/jvm/temurin-25")));
    }

    @Test
    void aJdkWhereTheGuestDoesNotLookIsAlsoPutUnderOptJava() {
        assertEquals(List.of(new VmMode.Bind(Path.of("/home/dev/nvmescan"), Path.of("/home/dev/nvmescan"), true),
                        new VmMode.Bind(Path.of("/home/dev/.jdks/jdk-25"), Path.of("/home/dev/.jdks/jdk-25"), false),
                        new VmMode.Bind(Path.of("/home/dev/.jdks/jdk-25"), Path.of("/opt/java/jdk-25"), false)),
                VmMode.binds(Path.of("/home/dev/nvmescan"), Path.of("/home/dev/.jdks/jdk-25")));
        // Inside the repository it is bound already, but not where the guest looks.
        assertEquals(List.of(new VmMode.Bind(Path.of("/src/nv"), Path.of("/src/nv"), true),
                        new VmMode.Bind(Path.of("/src/nv/jdk"), Path.of("/opt/java/jdk"), false)),
                VmMode.binds(Path.of("/src/nv"), Path.of("/src/nv/jdk")));
        assertThrows(IllegalArgumentException.class, () -> VmMode.binds(Path.of("/"), Path.of("/opt/java/jdk")));
    }
}

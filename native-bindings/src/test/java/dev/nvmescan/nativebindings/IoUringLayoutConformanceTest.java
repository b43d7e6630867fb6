package dev.nvmescan.nativebindings;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.PaddingLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The io_uring layouts and constants, and {@code struct nvme_uring_cmd}, against the system's own
 * headers ({@code <linux/io_uring.h>}, {@code <linux/nvme_ioctl.h>}, Debian's linux-libc-dev):
 * a C program compiled with gcc prints each C expression the Java side claims a value for.
 * Every named member of every Java layout is checked, by its offset, plus each layout's size.
 */
class IoUringLayoutConformanceTest {

    @Test
    void javaLayoutsAndConstantsMatchTheKernelHeaders(@TempDir Path dir) throws Exception {
        Map<String, Long> expected = new LinkedHashMap<>();
        layout(expected, "struct io_uring_params", IoUringAbi.PARAMS);
        layout(expected, "struct io_sqring_offsets", IoUringAbi.SQRING_OFFSETS);
        layout(expected, "struct io_cqring_offsets", IoUringAbi.CQRING_OFFSETS);
        layout(expected, "struct io_uring_sqe", IoUringAbi.SQE);
        layout(expected, "struct io_uring_cqe", IoUringAbi.CQE);
        layout(expected, "struct nvme_uring_cmd", NvmeUringCmd.LAYOUT);
        expected.put("offsetof(struct io_uring_sqe, cmd)", IoUringAbi.SQE_CMD);
        expected.put("offsetof(struct io_uring_cqe, big_cqe)", IoUringAbi.CQE_BIG_CQE);
        expected.put("__NR_io_uring_setup", IoUringAbi.SYS_IO_URING_SETUP);
        expected.put("__NR_io_uring_enter", IoUringAbi.SYS_IO_URING_ENTER);
        expected.put("IORING_SETUP_SQE128", (long) IoUringAbi.IORING_SETUP_SQE128);
        expected.put("IORING_SETUP_CQE32", (long) IoUringAbi.IORING_SETUP_CQE32);
        expected.put("IORING_ENTER_GETEVENTS", (long) IoUringAbi.IORING_ENTER_GETEVENTS);
        expected.put("IORING_FEAT_SINGLE_MMAP", (long) IoUringAbi.IORING_FEAT_SINGLE_MMAP);
        expected.put("IORING_OP_NOP", (long) IoUringAbi.IORING_OP_NOP);
        expected.put("IORING_OP_URING_CMD", (long) IoUringAbi.IORING_OP_URING_CMD);
        expected.put("IORING_OP_READ", (long) UringDispatcherTest.IORING_OP_READ);
        expected.put("IORING_OFF_SQ_RING", IoUringAbi.IORING_OFF_SQ_RING);
        expected.put("IORING_OFF_CQ_RING", IoUringAbi.IORING_OFF_CQ_RING);
        expected.put("IORING_OFF_SQES", IoUringAbi.IORING_OFF_SQES);
        expected.put("NVME_URING_CMD_ADMIN", Integer.toUnsignedLong(NvmeUringCmd.NVME_URING_CMD_ADMIN));

        Map<String, Long> actual = compileAndRun(dir, expected.keySet());
        StringBuilder mismatches = new StringBuilder();
        expected.forEach((expr, java) -> {
            if (!java.equals(actual.get(expr)))
                mismatches.append("\n  ").append(expr).append(": Java ").append(java).append(", C ").append(actual.get(expr));
        });
        assertEquals(expected.size(), actual.size(), "values printed by the C program");
        assertEquals("", mismatches.toString(), "Java differs from the kernel headers");
    }

    /** sizeof the struct and offsetof each named member, nested structs by their dotted path. */
    private static void layout(Map<String, Long> into, String struct, GroupLayout layout) {
        into.put("sizeof(" + struct + ")", layout.byteSize());
        members(into, struct, "", layout, 0);
    }

    private static void members(Map<String, Long> into, String struct, String prefix, GroupLayout group, long base) {
        long offset = base;
        for (MemoryLayout m : group.memberLayouts()) {
            if (!(m instanceof PaddingLayout)) {
                String name = prefix + m.name().orElseThrow(() -> new AssertionError("unnamed member in " + struct));
                into.put("offsetof(" + struct + ", " + name + ")", offset);
                if (m instanceof GroupLayout nested)
                    members(into, struct, name + ".", nested, offset);
            }
            offset += m.byteSize();
        }
    }

    private static Map<String, Long> compileAndRun(Path dir, Iterable<String> expressions)
            throws IOException, InterruptedException {
        StringBuilder c = new StringBuilder("""
                #include <stddef.h>
                #include <stdio.h>
                #include <sys/syscall.h>
                #include <linux/io_uring.h>
                #include <linux/nvme_ioctl.h>

                int main(void)
                {
                """);
        for (String e : expressions)
            c.append("\tprintf(\"%s=%llu\\n\", \"").append(e).append("\", (unsigned long long)(").append(e).append("));\n");
        c.append("\treturn 0;\n}\n");
        Path source = dir.resolve("io_uring_layouts.c"), binary = dir.resolve("io_uring_layouts");
        Files.writeString(source, c);
        run(List.of("gcc", "-Wall", "-Werror", "-o", binary.toString(), source.toString()));
        Map<String, Long> actual = new LinkedHashMap<>();
        for (String line : run(List.of(binary.toString())).split("\n")) {
            int eq = line.lastIndexOf('=');
            actual.put(line.substring(0, eq), Long.parseUnsignedLong(line.substring(eq + 1)));
        }
        return actual;
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS))
            p.destroyForcibly();
        assertEquals(0, p.exitValue(), () -> String.join(" ", command) + " failed (gcc and linux-libc-dev"
                + " are needed: apt-get install gcc linux-libc-dev):\n" + out);
        return out;
    }
}

package dev.nvmescan.nativebindings.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

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

/**
 * Checks Java layouts and constants against the system's C headers: collect the C expressions the
 * Java side claims a value for ({@code sizeof(struct x)}, {@code offsetof(struct x, f)},
 * {@code NVME_IOCTL_ID}, ...), compile with gcc a program printing each as {@code expr=value},
 * and compare. Needs gcc and the headers (Debian: gcc, linux-libc-dev); without them the check
 * fails, saying so, rather than passing unchecked.
 */
public final class HeaderProbe {
    private final List<String> includes;
    private final Map<String, Long> expected = new LinkedHashMap<>();

    /** A probe of the given headers, e.g. {@code <linux/nvme_ioctl.h>}. */
    public HeaderProbe(String... includes) {
        this.includes = List.of(includes);
    }

    /** Claims {@code expression} evaluates to {@code value} in C. */
    public HeaderProbe value(String expression, long value) {
        if (expected.put(expression, value) != null)
            throw new IllegalArgumentException("claimed twice: " + expression);
        return this;
    }

    /**
     * Claims the size and alignment of {@code struct} and the offset and size of each named member
     * of {@code layout}, nested groups by their dotted path. Every member but padding must be named.
     */
    public HeaderProbe layout(String struct, GroupLayout layout) {
        value("sizeof(" + struct + ")", layout.byteSize());
        value("_Alignof(" + struct + ")", layout.byteAlignment());
        members(struct, "", layout, 0);
        return this;
    }

    private void members(String struct, String prefix, GroupLayout group, long base) {
        boolean union = group instanceof java.lang.foreign.UnionLayout;
        long offset = base;
        for (MemoryLayout m : group.memberLayouts()) {
            if (!(m instanceof PaddingLayout)) {
                String name = prefix + m.name().orElseThrow(() -> new AssertionError("unnamed member in " + struct));
                value("offsetof(" + struct + ", " + name + ")", offset);
                value("sizeof(((" + struct + " *)0)->" + name + ")", m.byteSize());
                if (m instanceof GroupLayout nested)
                    members(struct, name + ".", nested, offset);
            }
            if (!union)
                offset += m.byteSize();
        }
    }

    /** Compiles the probe in {@code dir}, runs it, and asserts every claim holds. */
    public void check(Path dir) throws IOException, InterruptedException {
        Map<String, Long> actual = compileAndRun(dir);
        StringBuilder mismatches = new StringBuilder();
        expected.forEach((expr, java) -> {
            if (!java.equals(actual.get(expr)))
                mismatches.append("\n  ").append(expr).append(": Java ").append(java).append(", C ").append(actual.get(expr));
        });
        assertEquals(expected.size(), actual.size(), "values printed by the C program");
        assertEquals("", mismatches.toString(), "Java differs from the system headers");
    }

    private Map<String, Long> compileAndRun(Path dir) throws IOException, InterruptedException {
        StringBuilder c = new StringBuilder("#include <stddef.h>\n#include <stdio.h>\n");
        for (String h : includes)
            c.append("#include ").append(h).append('\n');
        c.append("\nint main(void)\n{\n");
        for (String e : expected.keySet())
            c.append("\tprintf(\"%s=%llu\\n\", \"").append(e).append("\", (unsigned long long)(").append(e).append("));\n");
        c.append("\treturn 0;\n}\n");
        Path source = dir.resolve("probe.c"), binary = dir.resolve("probe");
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
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            return fail(command.getFirst() + " cannot run (" + e.getMessage() + "): the header conformance"
                    + " check needs gcc and linux-libc-dev (apt-get install gcc linux-libc-dev)");
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS))
            p.destroyForcibly();
        assertEquals(0, p.exitValue(), () -> String.join(" ", command) + " failed (gcc and linux-libc-dev"
                + " are needed: apt-get install gcc linux-libc-dev):\n" + out);
        return out;
    }
}

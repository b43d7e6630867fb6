package dev.nvmescan.scanner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's "Use it from Java" example, taken from README.md as it stands, compiled against the
 * installed layout's module path (so it uses exported packages only) and run in a fresh JVM with
 * native access granted to the bindings module alone.
 */
class ReadmeExampleIT {
    private static final Path LIB = Path.of("target/nvmescan/lib");
    private static final String DEVICE = "sim:?nsids=1,5,9-12&latency=1ms..20ms";

    @Test
    void theExampleCompilesAndRunsOnTheModulePath(@TempDir Path tmp) throws Exception {
        Path classes = compile(tmp);
        Run r = run(classes, "--enable-native-access=dev.nvmescan.nativebindings");
        assertEquals(0, r.code(), r.toString());
        assertEquals("", r.err(), "no warning: native access is granted where it is used");
        List<String> lines = r.out().lines().toList();
        assertEquals(8, lines.size(), r.out());
        assertTrue(lines.getFirst().startsWith(DEVICE + ": "), lines.getFirst());
        long[] nsids = {1, 5, 9, 10, 11, 12};
        for (int i = 0; i < nsids.length; i++)
            assertTrue(lines.get(i + 1).startsWith((i + 1) + ". NSID " + nsids[i] + ": "), lines.get(i + 1));
        assertEquals("6 namespaces in NSID-list order, 0 failed", lines.getLast());
    }

    /**
     * A missing device: opening it takes the open downcall a real controller takes (/dev/null is
     * refused from its inode and sysfs before any downcall).
     */
    @Test
    void nativeAccessIsNeededByTheBindingsModuleAndNoOther(@TempDir Path tmp) throws Exception {
        Path classes = compile(tmp);
        String missing = tmp.resolve("nvme9").toString();
        Run granted = run(classes, "--enable-native-access=dev.nvmescan.nativebindings", missing);
        assertNotEquals(0, granted.code(), granted.toString());
        assertTrue(granted.err().contains("NativeCallException: open(" + missing + "): No such file or directory (ENOENT)"),
                granted.err());
        assertFalse(granted.err().contains("WARNING"), granted.err());

        Run denied = run(classes, "--illegal-native-access=deny", missing);
        assertNotEquals(0, denied.code(), denied.toString());
        assertTrue(denied.err().contains("IllegalCallerException") && denied.err().contains("module dev.nvmescan.nativebindings"),
                denied.err());
    }

    /** Compiles the example as the README says, with the JDK's javac. */
    private static Path compile(Path tmp) throws Exception {
        Path src = tmp.resolve("src/Example.java"), classes = tmp.resolve("classes");
        Files.createDirectories(src.getParent());
        Files.writeString(src, example());
        Run r = exec(List.of(Path.of(System.getProperty("java.home"), "bin", "javac").toString(),
                "-p", LIB.toString(), "--add-modules", "dev.nvmescan.scanner", "-d", classes.toString(), src.toString()));
        assertEquals(0, r.code(), "the README example does not compile:\n" + r);
        return classes;
    }

    /** The first java block after the heading "Use it from Java". */
    private static String example() throws IOException {
        Path dir = Path.of("").toAbsolutePath();
        while (!Files.exists(dir.resolve("README.md")))
            dir = dir.getParent();
        String readme = Files.readString(dir.resolve("README.md"));
        int at = readme.indexOf("## Use it from Java");
        assertTrue(at >= 0, "README.md has no section \"Use it from Java\"");
        Matcher m = Pattern.compile("```java\n(.*?)```", Pattern.DOTALL).matcher(readme);
        assertTrue(m.find(at), "no java block in \"Use it from Java\"");
        return m.group(1);
    }

    private record Run(int code, String out, String err) {}

    private static Run run(Path classes, String nativeAccess, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                nativeAccess, "-p", LIB.toString(), "--add-modules", "dev.nvmescan.scanner", "-cp", classes.toString(),
                "Example"));
        cmd.addAll(List.of(args));
        return exec(cmd);
    }

    private static Run exec(List<String> cmd) throws Exception {
        Path out = Files.createTempFile("readme-example", ".out"), err = Files.createTempFile("readme-example", ".err");
        try {
            Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "did not finish: " + cmd);
            return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.delete(out);
            Files.delete(err);
        }
    }
}

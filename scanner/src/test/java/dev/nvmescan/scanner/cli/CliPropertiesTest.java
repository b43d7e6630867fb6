package dev.nvmescan.scanner.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nvmescan.nativebindings.AdminCommand;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import picocli.CommandLine;

/**
 * The command line's parsers and the commands themselves, fed arbitrary arguments: a value parses
 * or is refused with a readable sentence, and a command line ends with a documented exit code and
 * at most a few lines on stderr, never a stack trace or Java's own text.
 */
class CliPropertiesTest {
    private static final Pattern JAVA_TEXT = Pattern.compile("PT-?\\d|For input string|\\tat |Exception|java\\.");
    private static final Set<Integer> DOCUMENTED = Set.of(0, 1, 2, 3, 4);

    @Property(tries = 1000)
    void durationsParseWithinTheKernelsRangeOrAreRefusedReadably(@ForAll("durations") String value) {
        try {
            Duration d = new DurationConverter().convert(value);
            assertTrue(!d.isNegative() && d.compareTo(AdminCommand.MAX_TIMEOUT) <= 0, value + " -> " + d);
        } catch (CommandLine.TypeConversionException e) {
            assertFalse(JAVA_TEXT.matcher(e.getMessage()).find(), value + " -> " + e.getMessage());
        }
    }

    @Property(tries = 1000)
    void nsidsParseWithinTheirRangeOrAreRefusedReadably(@ForAll("nsids") String value) {
        try {
            long n = new NsidConverter().convert(value);
            assertTrue(n >= 1 && n <= 0xfffffffeL, value + " -> " + n);
        } catch (CommandLine.TypeConversionException e) {
            assertFalse(JAVA_TEXT.matcher(e.getMessage()).find(), value + " -> " + e.getMessage());
        }
    }

    @Property(tries = 300)
    void anyCommandLineEndsWithADocumentedCodeAndReadableErrors(@ForAll("commandLines") List<String> args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        CommandLine cl = Nvmescan.commandLine(new CliEnvironment(Path.of("/nonexistent"), false, java.util.Map.of()));
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args.toArray(String[]::new));
        assertTrue(DOCUMENTED.contains(code), args + " -> exit " + code + "\n" + err);
        assertFalse(JAVA_TEXT.matcher(err.toString()).find(), args + " -> " + err);
        assertTrue(err.toString().lines().count() <= 3, args + " -> " + err);
    }

    @Provide
    Arbitrary<String> durations() {
        return Arbitraries.oneOf(
                Arbitraries.strings().withChars("0123456789msx .-").ofMaxLength(16),
                Arbitraries.longs().between(0, Long.MAX_VALUE).flatMap(n ->
                        Arbitraries.of("", "ms", "s", "m", "h").map(u -> n + u)));
    }

    @Provide
    Arbitrary<String> nsids() {
        return Arbitraries.oneOf(
                Arbitraries.strings().withChars("0123456789abcdefxX -").ofMaxLength(14),
                Arbitraries.longs().between(-2, 0x1_0000_0001L).flatMap(n ->
                        Arbitraries.of(Long.toString(n), "0x" + Long.toHexString(n))));
    }

    @Provide
    Arbitrary<List<String>> commandLines() {
        Arbitrary<String> command = Arbitraries.of("scan", "id-ctrl", "id-ns", "ns-descs", "list-ns", "list", "bench",
                "frob", "--help", "-V");
        Arbitrary<String> device = Arbitraries.of("sim:?namespaces=3", "sim:?nsids=1,9&fail=9:INVALID_NS",
                "sim:?namespaces=2&vanish=2", "sim:?namespaces=lots", "sim:", "sim:?x=1", "/dev/null",
                "/nonexistent/nvme0", "");
        Arbitrary<List<String>> option = Arbitraries.oneOf(
                Combinators.combine(Arbitraries.of("-o", "--backend", "--timeout", "--queue-depth", "--mode", "-n",
                        "--repeat"), Arbitraries.of("json", "ndjson", "normal", "binary", "xml", "ioctl",
                        "uring", "auto", "0", "1", "0x2", "-1", "5000", "999999999999", "2s", "ordered", "sequential",
                        "")).as(List::of),
                Arbitraries.of(List.of("--trace", "/nonexistent/t.json"), List.of("--trace", "/dev/full")),
                Arbitraries.of("-H", "-v", "-b", "--check-naming", "--all", "-z").map(List::of));
        return Combinators.combine(command, option.list().ofMaxSize(3), device).as((c, opts, d) -> {
            List<String> args = new ArrayList<>();
            args.add(c);
            opts.forEach(args::addAll);
            args.add(d);
            return args;
        });
    }
}

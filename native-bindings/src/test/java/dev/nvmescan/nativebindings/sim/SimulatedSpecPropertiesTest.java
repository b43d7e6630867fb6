package dev.nvmescan.nativebindings.sim;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.List;
import java.util.regex.Pattern;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Any spec either builds a controller or fails with one IllegalArgumentException whose message a
 * user can read: never another exception, never Java's own text (a Duration's PT1S, a
 * NumberFormatException's "For input string").
 */
class SimulatedSpecPropertiesTest {
    private static final Pattern JAVA_TEXT = Pattern.compile("PT-?\\d|For input string|java\\.|Exception");

    @Property(tries = 2000)
    void anySpecBuildsOrFailsWithOneReadableSentence(@ForAll("specs") String spec) {
        try {
            SimulatedController.parseSpec(spec).build().close();
        } catch (IllegalArgumentException e) {
            assertNotNull(e.getMessage(), spec);
            assertFalse(JAVA_TEXT.matcher(e.getMessage()).find(), spec + " -> " + e.getMessage());
        }
    }

    @Property(tries = 500)
    void anyStringBuildsOrFailsWithOneReadableSentence(@ForAll String spec) {
        anySpecBuildsOrFailsWithOneReadableSentence("sim:" + spec);
    }

    @Provide
    Arbitrary<String> specs() {
        Arbitrary<String> name = Arbitraries.oneOf(
                Arbitraries.of("namespaces", "nsids", "queue-depth", "latency", "seed", "timeout", "fail", "vanish",
                        "hang", "zoned", "lba", "backend"),
                Arbitraries.strings().withChars("abcdez-_").ofMaxLength(6));
        Arbitrary<String> atom = Arbitraries.oneOf(
                Arbitraries.of("", "0", "1", "-1", "7", "30", "512", "4096", "65537", "4294967294", "4294967295",
                        "99999999999999999999", "0x4002", "0x0", "INVALID_NS", "INVALID_NS+DNR", "zz", "ioctl", "uring",
                        "1ms", "0ms", "150ms", "5s", "1us", "10ns", "999999999999s", "4294968s", "1m", "ms", "1.5ms"),
                Arbitraries.strings().withChars("0123456789:-.,msux").ofMaxLength(12));
        Arbitrary<String> value = atom.list().ofMinSize(1).ofMaxSize(3).flatMap(parts ->
                Arbitraries.of(",", "..", ":", "-").map(sep -> String.join(sep, parts)));
        Arbitrary<String> pair = Combinators.combine(name, value).as((n, v) -> n + "=" + v);
        return pair.list().ofMaxSize(5).map(pairs -> "sim:?" + String.join("&", pairs));
    }

    /** A spec this property once broke on, kept as a plain example. */
    @Property(tries = 1)
    void knownOffenders() {
        for (String spec : List.of("sim:?seed=abc", "sim:?latency=5ms..1ms", "sim:?timeout=999999999999s",
                "sim:?latency=99999999999s", "sim:?nsids=4294967295"))
            anySpecBuildsOrFailsWithOneReadableSentence(spec);
    }
}

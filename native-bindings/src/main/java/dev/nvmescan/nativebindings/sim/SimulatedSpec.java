package dev.nvmescan.nativebindings.sim;

import dev.nvmescan.nativebindings.AdminCommand;
import dev.nvmescan.nativebindings.NvmeStatus;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The device spec of the simulated controller: {@code sim:} followed by an optional query,
 * {@code sim:?namespaces=100&latency=150ms&queue-depth=30}. Parameters:
 * <table>
 * <caption>Parameters</caption>
 * <tr><td>{@code namespaces=N}</td><td>active NSIDs 1 to N (default 8)</td></tr>
 * <tr><td>{@code nsids=1,10,200-300}</td><td>active NSIDs, single or inclusive ranges (instead of namespaces)</td></tr>
 * <tr><td>{@code queue-depth=N}</td><td>commands in flight at most (default 31)</td></tr>
 * <tr><td>{@code latency=150ms}, {@code latency=10ms..200ms}</td><td>per command, fixed or uniform
 *     (units ns, us, ms, s; default 0)</td></tr>
 * <tr><td>{@code seed=N}</td><td>seed of the latency draw (default 1)</td></tr>
 * <tr><td>{@code timeout=60s}</td><td>timeout of commands that carry none</td></tr>
 * <tr><td>{@code fail=NSID:STATUS}</td><td>Identify of NSID fails with the NVMe status, hex
 *     ({@code 0x4002}), decimal or a token ({@code INVALID_NS+DNR}, see {@link NvmeStatus#parse});
 *     NSID 0 means controller-scoped Identify</td></tr>
 * <tr><td>{@code vanish=NSID}</td><td>listed, but Identify returns zero-filled data</td></tr>
 * <tr><td>{@code hang=NSID}</td><td>never completes before its timeout (NSID 0: controller-scoped)</td></tr>
 * <tr><td>{@code zoned=NSID}</td><td>a Zoned Namespace (CSI 02h)</td></tr>
 * <tr><td>{@code lba=512|4096}</td><td>LBA data size in use (default 512)</td></tr>
 * <tr><td>{@code backend=ioctl|uring}</td><td>how blocking commands wait (default uring)</td></tr>
 * </table>
 * {@code fail}, {@code vanish}, {@code hang} and {@code zoned} may repeat and take comma-separated
 * lists; the others appear at most once. A bad spec fails with one sentence naming the parameter.
 */
final class SimulatedSpec {
    static final String PREFIX = "sim:";

    private static final Set<String> REPEATABLE = Set.of("fail", "vanish", "hang", "zoned");
    private static final List<String> KNOWN = List.of("namespaces", "nsids", "queue-depth", "latency", "seed",
            "timeout", "fail", "vanish", "hang", "zoned", "lba", "backend");
    private static final Pattern DURATION = Pattern.compile("(\\d{1,12})(ns|us|ms|s)");
    /** More NSIDs than this in one spec is a typo, not a test. */
    private static final long MAX_NAMESPACES = 10_000_000;

    private SimulatedSpec() {}

    static SimulatedController.Builder parse(String spec) {
        if (spec == null || !spec.startsWith(PREFIX))
            throw new IllegalArgumentException("a simulated controller spec starts with \"" + PREFIX + "\": " + spec);
        SimulatedController.Builder b = SimulatedController.builder().device(spec);
        String query = spec.substring(PREFIX.length());
        if (query.startsWith("?"))
            query = query.substring(1);
        else if (!query.isEmpty())
            throw new IllegalArgumentException("sim spec: parameters follow \"sim:?\", e.g. sim:?namespaces=100: " + spec);
        Set<String> seen = new HashSet<>();
        for (String pair : query.split("&")) {
            if (pair.isEmpty())
                continue;
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            if (!KNOWN.contains(name))
                throw new IllegalArgumentException("sim spec: unknown parameter '" + name + "' (known: "
                        + String.join(", ", KNOWN) + ")");
            if (value.isEmpty())
                throw new IllegalArgumentException("sim parameter '" + name + "' needs a value, e.g. "
                        + name + "=" + example(name));
            if (!seen.add(name) && !REPEATABLE.contains(name))
                throw new IllegalArgumentException("sim parameter '" + name + "' is given twice");
            if (seen.contains("namespaces") && seen.contains("nsids"))
                throw new IllegalArgumentException("sim parameters 'namespaces' and 'nsids' exclude each other");
            apply(b, name, value);
        }
        return b;
    }

    private static void apply(SimulatedController.Builder b, String name, String value) {
        try {
            switch (name) {
                case "namespaces" -> b.namespaces((int) number(value, 0, MAX_NAMESPACES));
                case "nsids" -> b.nsids(nsidList(value));
                case "queue-depth" -> b.queueDepth((int) number(value, 1, 65536));
                case "latency" -> {
                    int dots = value.indexOf("..");
                    if (dots < 0)
                        b.latency(duration(value));
                    else
                        b.latency(duration(value.substring(0, dots)), duration(value.substring(dots + 2)));
                }
                case "seed" -> b.seed(number(value, Long.MIN_VALUE, Long.MAX_VALUE));
                case "timeout" -> b.defaultTimeout(duration(value));
                case "fail" -> {
                    for (String item : value.split(",")) {
                        int colon = item.indexOf(':');
                        if (colon < 0)
                            throw new IllegalArgumentException("'" + item + "' is not NSID:STATUS");
                        b.fail(nsid(item.substring(0, colon)), status(item.substring(colon + 1)));
                    }
                }
                case "vanish" -> { for (String item : value.split(",")) b.vanish(nsid(item)); }
                case "hang" -> { for (String item : value.split(",")) b.hang(nsid(item)); }
                case "zoned" -> { for (String item : value.split(",")) b.zoned(nsid(item)); }
                case "lba" -> b.lbaDataSize((int) number(value, 512, 4096));
                case "backend" -> b.mode(switch (value.toLowerCase(Locale.ROOT)) {
                    case "ioctl" -> SimulatedController.Mode.IOCTL;
                    case "uring", "io_uring" -> SimulatedController.Mode.URING;
                    default -> throw new IllegalArgumentException("'" + value + "' is neither ioctl nor uring");
                });
                default -> throw new AssertionError(name);
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("sim parameter '" + name + "': " + e.getMessage()
                    + " (e.g. " + name + "=" + example(name) + ")", e);
        }
    }

    private static String example(String name) {
        return switch (name) {
            case "namespaces" -> "100";
            case "nsids" -> "1,10,200-300";
            case "queue-depth" -> "30";
            case "latency" -> "10ms..200ms";
            case "seed" -> "42";
            case "timeout" -> "5s";
            case "fail" -> "7:0x4002";
            case "lba" -> "4096";
            case "backend" -> "ioctl";
            default -> "3";
        };
    }

    private static long number(String s, long min, long max) {
        long v;
        try {
            v = Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + s + "' is not a number");
        }
        if (v < min || v > max)
            throw new IllegalArgumentException(v + " is not within " + min + " to " + max);
        return v;
    }

    private static int nsid(String s) {
        return (int) number(s.trim(), 0, 0xfffffffeL);
    }

    private static int[] nsidList(String value) {
        List<Integer> out = new ArrayList<>();
        for (String item : value.split(",")) {
            int dash = item.indexOf('-');
            long from = dash < 0 ? nsid(item) : nsid(item.substring(0, dash));
            long to = dash < 0 ? from : nsid(item.substring(dash + 1));
            if (from == 0 || to < from || out.size() + (to - from + 1) > MAX_NAMESPACES)
                throw new IllegalArgumentException("'" + item + "' is not an NSID or an ascending range of NSIDs");
            for (long n = from; n <= to; n++)
                out.add((int) n);
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /** A duration of at most {@link AdminCommand#MAX_TIMEOUT}, the longest any command waits. */
    private static Duration duration(String s) {
        Matcher m = DURATION.matcher(s.trim());
        if (!m.matches())
            throw new IllegalArgumentException("'" + s + "' is not a duration such as 150ms (units ns, us, ms, s)");
        long n = Long.parseLong(m.group(1));
        Duration d = switch (m.group(2)) {
            case "ns" -> Duration.ofNanos(n);
            case "us" -> Duration.ofNanos(n * 1000);
            case "ms" -> Duration.ofMillis(n);
            default -> Duration.ofSeconds(n);
        };
        if (d.compareTo(AdminCommand.MAX_TIMEOUT) > 0)
            throw new IllegalArgumentException("'" + s + "' is longer than 4294967295ms (49.7 days)");
        return d;
    }

    /** A non-zero NVMe status in any form {@link NvmeStatus#parse} takes: 0x4002, 16386, INVALID_NS+DNR. */
    private static NvmeStatus status(String s) {
        NvmeStatus status = NvmeStatus.parse(s);
        if (status.raw() == 0)
            throw new IllegalArgumentException("'" + s + "' is success, not a failure status");
        return status;
    }
}

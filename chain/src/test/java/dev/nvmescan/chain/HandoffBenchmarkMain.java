package dev.nvmescan.chain;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Runs {@link HandoffBenchmark} for every implementation at 1, 2 and 64 platform and virtual
 * threads in one go, and prints throughput with JMH's error (99.9% confidence interval) and
 * per-link latency, with ratios to {@link CompletionChain}. Used by {@code scripts/bench-chain}.
 *
 * <p>Arguments: {@code --forks N} (throughput forks, default 4), {@code --iterations N} (1 s
 * measurement iterations per fork, default 3, after 2 warm-up iterations), {@code --impls a,b}
 * (default every implementation), {@code --threads 1,2,64}, {@code --kinds platform,virtual}.
 * Latency comes from one extra fork per setting in JMH's sample mode.
 */
public final class HandoffBenchmarkMain {

    private record Key(String kind, int threads, String impl) { }

    /** Throughput score and error, then p50 and p99 latency in ns. */
    private record Row(double score, double error, double p50, double p99) { }

    private HandoffBenchmarkMain() {
    }

    public static void main(String[] args) throws RunnerException {
        int forks = 4, iterations = 3;
        List<String> impls = List.of("chain", "kernel", "phaser", "future");
        List<Integer> threadCounts = List.of(1, 2, 64);
        List<String> kinds = List.of("platform", "virtual");
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : "";
            switch (args[i]) {
                case "--forks" -> forks = Integer.parseInt(value);
                case "--iterations" -> iterations = Integer.parseInt(value);
                case "--impls" -> impls = List.of(value.split(","));
                case "--threads" -> threadCounts = List.of(value.split(",")).stream().map(Integer::valueOf).toList();
                case "--kinds" -> kinds = List.of(value.split(","));
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + " (--forks N, --iterations N, --impls a,b, --threads 1,2,64, --kinds platform,virtual)");
            }
            i++;
        }
        List<String> order = impls;
        Map<Key, Row> measured = new TreeMap<>(Comparator.comparing(Key::kind).reversed()
                .thenComparingInt(Key::threads).thenComparing(k -> order.indexOf(k.impl())));
        for (String kind : kinds) {
            for (int threads : threadCounts) {
                System.err.printf("measuring %d %s thread(s)...%n", threads, kind);
                Map<String, double[]> throughput = new TreeMap<>(), latency = new TreeMap<>();
                for (RunResult r : run(kind, threads, impls, Mode.Throughput, forks, iterations)) {
                    Result<?> p = r.getPrimaryResult();
                    throughput.put(r.getParams().getParam("impl"), new double[] {p.getScore(), p.getScoreError()});
                }
                for (RunResult r : run(kind, threads, impls, Mode.SampleTime, 1, 2)) {
                    var st = r.getPrimaryResult().getStatistics();
                    latency.put(r.getParams().getParam("impl"),
                            new double[] {st.getPercentile(50) * 1000, st.getPercentile(99) * 1000});
                }
                for (String impl : impls) {
                    double[] t = throughput.get(impl), l = latency.get(impl);
                    measured.put(new Key(kind, threads, impl), new Row(t[0], t[1], l[0], l[1]));
                }
            }
        }
        print(measured, impls.contains("chain"));
    }

    private static Collection<RunResult> run(String kind, int threads, List<String> impls, Mode mode, int forks,
                                             int iterations) throws RunnerException {
        ChainedOptionsBuilder o = new OptionsBuilder()
                .include(HandoffBenchmark.class.getName() + ".handoff")
                .param("impl", impls.toArray(String[]::new))
                .mode(mode)
                .threads(threads)
                .forks(forks)
                .warmupIterations(mode == Mode.Throughput ? 2 : 1)
                .warmupTime(TimeValue.seconds(1))
                .measurementIterations(iterations)
                .measurementTime(TimeValue.seconds(1))
                .jvmArgsAppend("-Djmh.executor=" + kind.toUpperCase(Locale.ROOT),
                        "--sun-misc-unsafe-memory-access=allow")
                .shouldFailOnError(true)
                .verbosity(VerboseMode.SILENT);
        return new Runner(o.build()).run();
    }

    private static void print(Map<Key, Row> measured, boolean ratios) {
        System.out.println("| threads | kind | implementation | throughput (Mops/s) | vs chain | p50 latency (ns) | p99 latency (ns) |");
        System.out.println("| ---: | --- | --- | ---: | ---: | ---: | ---: |");
        List<String> lines = new ArrayList<>();
        measured.forEach((key, row) -> {
            Row chain = ratios ? measured.get(new Key(key.kind(), key.threads(), "chain")) : row;
            lines.add(String.format(Locale.ROOT, "| %d | %s | %s | %s ± %s | %.2fx | %.0f | %.0f |",
                    key.threads(), key.kind(), key.impl(), figure(row.score()), figure(row.error()),
                    row.score() / chain.score(), row.p50(), row.p99()));
        });
        lines.forEach(System.out::println);
        System.out.println();
        System.out.println("± is JMH's 99.9% confidence interval over every fork's measurement iterations. vs chain:"
                + " the implementation's throughput divided by CompletionChain's in the same setting (below 1 ="
                + " slower than the chain). Latency: one add + await + complete, per thread.");
    }

    /** Three significant digits at least, no more than three decimals. */
    private static String figure(double v) {
        return String.format(Locale.ROOT, v >= 100 ? "%.1f" : v >= 1 ? "%.2f" : "%.3f", v);
    }
}

package dev.nvmescan.chain;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Runs {@link HandoffBenchmark} for every implementation at 1, 2 and 64 platform and virtual
 * threads in one go, and prints throughput and per-link latency with ratios to
 * {@link CompletionChain}. Used by {@code scripts/bench-chain}.
 */
public final class HandoffBenchmarkMain {

    private static final int[] THREADS = {1, 2, 64};
    private static final List<String> IMPLS = List.of("chain", "kernel", "phaser", "future");

    private record Key(String kind, int threads, String impl) { }

    private HandoffBenchmarkMain() {
    }

    public static void main(String[] args) throws RunnerException {
        Map<Key, double[]> measured = new TreeMap<>(Comparator.comparing(Key::kind).reversed()
                .thenComparingInt(Key::threads).thenComparing(k -> IMPLS.indexOf(k.impl())));
        for (String kind : List.of("platform", "virtual")) {
            for (int threads : THREADS) {
                System.err.printf("measuring %d %s thread(s)...%n", threads, kind);
                Options options = new OptionsBuilder()
                        .include(HandoffBenchmark.class.getName() + ".handoff")
                        .threads(threads)
                        .jvmArgsAppend("-Djmh.executor=" + kind.toUpperCase(Locale.ROOT),
                                "--sun-misc-unsafe-memory-access=allow")
                        .shouldFailOnError(true)
                        .verbosity(VerboseMode.SILENT)
                        .build();
                Collection<RunResult> results = new Runner(options).run();
                for (RunResult r : results) {
                    Key key = new Key(kind, threads, r.getParams().getParam("impl"));
                    double[] row = measured.computeIfAbsent(key, k -> new double[3]);
                    if (r.getParams().getMode() == Mode.Throughput) {
                        row[0] = r.getPrimaryResult().getScore();
                    } else {
                        row[1] = r.getPrimaryResult().getStatistics().getPercentile(50) * 1000;
                        row[2] = r.getPrimaryResult().getStatistics().getPercentile(99) * 1000;
                    }
                }
            }
        }
        print(measured);
    }

    private static void print(Map<Key, double[]> measured) {
        System.out.println("| threads | kind | implementation | throughput (Mops/s) | vs chain | p50 latency (ns) | p99 latency (ns) |");
        System.out.println("| ---: | --- | --- | ---: | ---: | ---: | ---: |");
        List<String> lines = new ArrayList<>();
        measured.forEach((key, row) -> {
            double chain = measured.get(new Key(key.kind(), key.threads(), "chain"))[0];
            lines.add(String.format(Locale.ROOT, "| %d | %s | %s | %.3f | %.2fx | %.0f | %.0f |",
                    key.threads(), key.kind(), key.impl(), row[0], row[0] / chain, row[1], row[2]));
        });
        lines.forEach(System.out::println);
        System.out.println();
        System.out.println("vs chain: the implementation's throughput divided by CompletionChain's in the same"
                + " setting (below 1 = slower than the chain). Latency: one add + await + complete, per thread.");
    }
}

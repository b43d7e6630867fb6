package dev.nvmescan.vmtests;

import dev.nvmescan.scanner.cli.Nvmescan;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Runs inside the guest: many nvmescan command lines in one JVM (a JVM start costs seconds under
 * TCG). Each line of the batch file is {@code NAME ARG...}; the output goes to {@code NAME.out},
 * {@code NAME.err}, the exit code to {@code NAME.rc} and the wall time in milliseconds to
 * {@code NAME.ms}, in the results directory. Output is flushed as the command writes it, so a guest
 * script can watch a running scan's {@code NAME.out}. A line {@code await NAME} creates
 * {@code NAME.waiting} and waits until the script creates {@code NAME}: the script can change the
 * target between two commands without waiting for a JVM to start.
 */
public final class GuestBatch {
    private GuestBatch() {}

    public static void main(String[] args) throws IOException, InterruptedException {
        Path batch = Path.of(args[0]), results = Path.of(args[1]);
        List<String> lines = Files.readAllLines(batch);
        for (String line : lines) {
            String[] words = line.trim().split("\\s+");
            if (words.length < 2)
                continue;
            String name = words[0];
            if (name.equals("await")) {
                awaitFile(results, words[1]);
                continue;
            }
            String[] cli = Arrays.copyOfRange(words, 1, words.length);
            try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(results.resolve(name + ".out"), StandardCharsets.UTF_8));
                 PrintWriter err = new PrintWriter(Files.newBufferedWriter(results.resolve(name + ".err"), StandardCharsets.UTF_8))) {
                long start = System.nanoTime();
                int rc = Nvmescan.run(out, err, cli);
                long ms = (System.nanoTime() - start) / 1_000_000;
                Files.writeString(results.resolve(name + ".ms"), Long.toString(ms));
                Files.writeString(results.resolve(name + ".rc"), Integer.toString(rc));
            }
        }
    }

    private static void awaitFile(Path results, String name) throws IOException, InterruptedException {
        Files.writeString(results.resolve(name + ".waiting"), "");
        while (!Files.exists(results.resolve(name)))
            Thread.sleep(10);
    }
}

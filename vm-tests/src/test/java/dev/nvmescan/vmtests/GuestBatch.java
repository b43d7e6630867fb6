package dev.nvmescan.vmtests;

import dev.nvmescan.scanner.Nvmescan;

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
 * {@code NAME.err} and the exit code to {@code NAME.rc}, in the results directory.
 */
public final class GuestBatch {
    private GuestBatch() {}

    public static void main(String[] args) throws IOException {
        Path batch = Path.of(args[0]), results = Path.of(args[1]);
        List<String> lines = Files.readAllLines(batch);
        for (String line : lines) {
            String[] words = line.trim().split("\\s+");
            if (words.length < 2)
                continue;
            String name = words[0];
            String[] cli = Arrays.copyOfRange(words, 1, words.length);
            try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(results.resolve(name + ".out"), StandardCharsets.UTF_8));
                 PrintWriter err = new PrintWriter(Files.newBufferedWriter(results.resolve(name + ".err"), StandardCharsets.UTF_8))) {
                int rc = Nvmescan.run(out, err, cli);
                Files.writeString(results.resolve(name + ".rc"), Integer.toString(rc));
            }
        }
    }
}

package dev.nvmescan.scanner.output;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nvmescan.nativebindings.sim.SimulatedController;
import dev.nvmescan.scanner.CommandObserver;
import dev.nvmescan.scanner.NamespaceScanner;
import dev.nvmescan.scanner.ScanMode;
import dev.nvmescan.scanner.ScanSummary;
import dev.nvmescan.scanner.sysfs.KernelNames;

import java.io.PrintWriter;
import java.io.Writer;
import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class ScanOutputTest {

    /** Keeps what is written and counts the flushes that reach it. */
    static final class CountingWriter extends Writer {
        final StringBuilder text = new StringBuilder();
        int flushes;

        @Override
        public void write(char[] buf, int off, int len) {
            text.append(buf, off, len);
        }

        @Override
        public void flush() {
            flushes++;
        }

        @Override
        public void close() {}
    }

    /** Scans {@code sim} into ndjson; returns the flushes that reached the writer during the scan, and its lines. */
    private static long[] scan(SimulatedController sim) throws Exception {
        CountingWriter w = new CountingWriter();
        NamespaceScanner.Options o = new NamespaceScanner.Options(ScanMode.ORDERED, 28, Duration.ZERO, 0);
        PrintWriter out = new PrintWriter(w);
        ScanOutput output = new ScanOutput(out, ScanOutput.json(out, OutputFormat.ndjson), OutputFormat.ndjson, "sim",
                Optional.empty(), o, false, false, () -> {});
        output.opened(sim);
        ScanSummary s = new NamespaceScanner(sim, o, KernelNames.none(), CommandObserver.NONE).scan(output);
        long flushes = w.flushes;
        output.finished(s);
        return new long[] {flushes, w.text.toString().lines().count()};
    }

    @Test
    void flushesOncePerRunOfPublicationsNotPerNamespace() throws Exception {
        long[] one, fifty;
        try (SimulatedController sim = SimulatedController.builder().namespaces(1).build()) {
            one = scan(sim);
        }
        // the head hangs until its timeout; the 49 behind it finish long before and wait: one run
        try (SimulatedController sim = SimulatedController.builder().namespaces(50).hang(1)
                .latency(Duration.ofMillis(1)).defaultTimeout(Duration.ofMillis(400)).build()) {
            fifty = scan(sim);
        }
        assertEquals(one[0], fifty[0], "50 namespaces in one run flush as often as one namespace");
        assertEquals(1 + 50 + 1, fifty[1]);
    }
}

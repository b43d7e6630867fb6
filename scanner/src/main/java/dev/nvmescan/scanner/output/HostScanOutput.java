package dev.nvmescan.scanner.output;

import dev.nvmescan.scanner.NamespaceScanner;
import dev.nvmescan.scanner.ScanSummary;
import dev.nvmescan.scanner.sysfs.Controller;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Writes the scan of several controllers as one document, each controller a {@link ScanOutput}
 * part written in controller order. JSON: {@code {"controllers": [part, ...], "summary":
 * {"controllers", "failed_controllers", "namespaces", "failed", "shared", "elapsed_ms"}}}; NDJSON:
 * the parts' lines one after the other; text: the parts, then one line of totals.
 */
public final class HostScanOutput {
    private final PrintWriter out;
    private final OutputFormat format;
    private final NamespaceScanner.Options options;
    private final boolean checkNaming;
    private final JsonWriter json;
    private final List<ScanOutput> parts = new ArrayList<>();
    private final Runnable onWriteError;

    /** @param onWriteError called once when the output cannot be written */
    public HostScanOutput(PrintWriter out, OutputFormat format, NamespaceScanner.Options options, boolean checkNaming,
                          Runnable onWriteError) {
        this.out = out;
        this.onWriteError = onWriteError;
        this.format = format;
        this.options = options;
        this.checkNaming = checkNaming;
        this.json = ScanOutput.json(out, format);
    }

    /** Starts the document, before any part writes. */
    public void begin() {
        if (format == OutputFormat.json)
            json.beginObject().name("controllers").beginArray();
    }

    /** The next controller's part; parts must then write in the order they were made. */
    public ScanOutput part(String device, Optional<Controller> kernel) {
        ScanOutput p = new ScanOutput(out, json, format, device, kernel, options, checkNaming, true, onWriteError);
        parts.add(p);
        return p;
    }

    /** Ends the document with the totals, once every part has ended. */
    public void end(Duration elapsed) {
        long namespaces = 0, failed = 0, shared = 0, failedControllers = 0;
        for (ScanOutput p : parts) {
            ScanSummary s = p.summary();
            shared += p.shared();
            if (s == null) {
                failedControllers++;
                continue;
            }
            namespaces += s.namespaces() - p.shared();
            failed += s.failed();
        }
        switch (format) {
            case normal -> out.printf("%d controllers%s: %d namespaces (%d failed%s) in %d ms%n", parts.size(),
                    failedControllers > 0 ? " (" + failedControllers + " failed)" : "", namespaces, failed,
                    shared > 0 ? ", " + shared + " more paths to them" : "", elapsed.toMillis());
            case json -> json.endArray().name("summary").beginObject().field("controllers", parts.size())
                    .field("failed_controllers", failedControllers).field("namespaces", namespaces)
                    .field("failed", failed).field("shared", shared).field("elapsed_ms", elapsed.toMillis())
                    .endObject().endObject().newline();
            case ndjson -> { }
        }
        out.flush();
    }
}

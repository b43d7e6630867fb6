package dev.nvmescan.scanner.output;

import dev.nvmescan.nativebindings.AdminChannel;
import dev.nvmescan.nativebindings.NvmeStatus;
import dev.nvmescan.nativebindings.identify.IdentifyController;
import dev.nvmescan.nativebindings.identify.IdentifyNamespace;
import dev.nvmescan.scanner.NamespaceEntry;
import dev.nvmescan.scanner.NamespaceScanner;
import dev.nvmescan.scanner.ScanSummary;
import dev.nvmescan.scanner.host.HostScan;
import dev.nvmescan.scanner.sysfs.Controller;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Writes one controller's scan as it is published, in one of the {@link OutputFormat}s, flushing
 * after every namespace. Its end ({@link #finished}, {@link #failed}) always leaves a complete
 * document: the JSON array is closed and the summary written whether the scan completed, failed or
 * was cancelled. Standalone it is the whole document; nested, one element of a
 * {@link HostScanOutput}'s {@code controllers} array.
 *
 * <p>JSON: {@code {"device", "backend", "mode", "queue_depth", "kernel": {"controller", "subsystem",
 * "subsysnqn", "transport", "address", "state"} (where sysfs shows it), "controller": {...}, "namespaces":
 * [entry, ...], "naming": [...] (with --check-naming), "summary": {...}}}, with {@code "error"}
 * in place of the summary when the controller failed; a controller that failed before Identify
 * Controller is just {@code {"device", "error"}} (nested; standalone it writes nothing, the error
 * line on stderr says it all). An entry has {@code "paths"} when it is a multipath head. NDJSON: one
 * object per line, each with {@code "type"}: {@code controller}, {@code namespace} (the same entry
 * objects), {@code naming}, {@code summary}, {@code error}.
 *
 * <p>Output that cannot be written (a closed pipe, a full disk) calls {@code onWriteError} once,
 * after the flush that failed, so the caller can stop the scan.
 */
public final class ScanOutput implements HostScan.ControllerListener {
    private final PrintWriter out;
    private final OutputFormat format;
    private final NamespaceScanner.Options options;
    private final boolean checkNaming, nested;
    private final JsonWriter json;
    private final List<NamespaceEntry> drift = new ArrayList<>();
    private final String device;
    private final Optional<Controller> kernel;
    private final Runnable onWriteError;
    private String backend;
    private boolean started, writeFailed;
    private long shared, named;
    private ScanSummary summary;

    /**
     * @param device       the controller as the user named it
     * @param kernel       the controller as sysfs shows it, if it does
     * @param json         where JSON goes: PRETTY for {@code json}, COMPACT for {@code ndjson}, shared
     *                     by the parts of one document
     * @param nested       whether this is one controller of a {@link HostScanOutput}
     * @param onWriteError called once when the output cannot be written
     */
    public ScanOutput(PrintWriter out, JsonWriter json, OutputFormat format, String device, Optional<Controller> kernel,
                      NamespaceScanner.Options options, boolean checkNaming, boolean nested, Runnable onWriteError) {
        this.onWriteError = onWriteError;
        this.out = out;
        this.json = json;
        this.format = format;
        this.device = device;
        this.kernel = kernel;
        this.backend = "";
        this.options = options;
        this.checkNaming = checkNaming;
        this.nested = nested;
    }

    /** The JSON writer for {@code format} over {@code out}. */
    public static JsonWriter json(PrintWriter out, OutputFormat format) {
        return new JsonWriter(out, format == OutputFormat.json ? JsonWriter.Style.PRETTY : JsonWriter.Style.COMPACT);
    }

    @Override
    public void opened(AdminChannel channel) {
        backend = channel.backend();
    }

    @Override
    public void controller(IdentifyController c) {
        started = true;
        switch (format) {
            case normal -> {
                out.printf("%s (%s): %s, SN %s, FR %s, nn %d%n", device, backend, c.mn(), c.sn(), c.fr(), c.nn());
                out.printf("%8s %10s  %-12s %-10s %-4s %-16s %s%n", "#", "NSID", "Size", "Format", "CSI",
                        "Block device", "Generic");
            }
            case json -> {
                header(json.beginObject());
                json.name("controller");
                controllerSummary(c);
                json.name("namespaces").beginArray();
            }
            case ndjson -> {
                json.beginObject().field("type", "controller");
                header(json);
                json.name("controller");
                controllerSummary(c);
                json.endObject().newline();
            }
        }
        flush();
    }

    /** Flushes, and tells of the first write error. */
    private void flush() {
        out.flush();
        if (!writeFailed && out.checkError()) {
            writeFailed = true;
            onWriteError.run();
        }
    }

    private void header(JsonWriter w) {
        w.field("device", device).field("backend", backend)
                .field("mode", options.mode().name().toLowerCase(Locale.ROOT)).field("queue_depth", options.queueDepth());
        kernel.ifPresent(c -> {
            w.name("kernel").beginObject().field("controller", c.name()).field("subsystem", c.subsystem())
                    .field("subsysnqn", c.subsysnqn()).field("transport", c.transport());
            ListOutput.nullable(w, "address", c.address().orElse(null));
            w.field("state", c.state()).endObject();
        });
    }

    private void controllerSummary(IdentifyController c) {
        json.beginObject().field("mn", c.mn()).field("sn", c.sn()).field("fr", c.fr()).field("cntlid", c.cntlid())
                .field("ver", c.ver()).field("nn", c.nn()).field("subnqn", c.subnqn()).endObject();
    }

    @Override
    public void alreadyPublished(NamespaceEntry e) {
        shared++;
    }

    @Override
    public void published(NamespaceEntry e) {
        if (e.devices().block().isPresent())
            named++;
        if (checkNaming && drifted(e))
            drift.add(e);
        switch (format) {
            case normal -> normal(e);
            case json -> entry(e, false);
            case ndjson -> {
                entry(e, true);
                json.newline();
            }
        }
        flush();
    }

    static boolean drifted(NamespaceEntry e) {
        long index = e.devices().blockIndex();
        return index >= 0 && index != e.position();
    }

    private void normal(NamespaceEntry e) {
        String nsid = Integer.toUnsignedString(e.nsid());
        if (!e.ok()) {
            out.printf("%8d %10s  error (%s): %s%n", e.position(), nsid, e.failure().kind(), e.failure().message());
            return;
        }
        IdentifyNamespace n = e.namespace();
        IdentifyNamespace.LbaFormat f = n.lbaFormat();
        String size = bytes(n.nsze(), f.dataSize());
        out.printf("%8d %10s  %-12s %-10s %-4s %-16s %s%n", e.position(), nsid, size,
                f.dataSize() + " B + " + f.ms(), csiName(e.descriptors().csi()),
                e.devices().block().orElse("-"), e.devices().generic().orElse("-"));
        if (!e.devices().paths().isEmpty())
            out.printf("%21s  paths %s%n", "", String.join(" ", e.devices().paths()));
        for (String link : e.devices().byId())
            out.printf("%21s  by-id %s%n", "", link);
    }

    static String csiName(int csi) {
        return switch (csi) {
            case 0 -> "NVM";
            case 1 -> "KV";
            case 2 -> "ZNS";
            default -> "0x" + Integer.toHexString(csi);
        };
    }

    /** Decimal units, as nvme list prints capacities. */
    public static String bytes(long blocks, long blockSize) {
        double b = (blocks >= 0 ? blocks : (blocks >>> 1) * 2.0) * blockSize;
        String[] units = {"B", "kB", "MB", "GB", "TB", "PB", "EB"};
        int u = 0;
        while (b >= 1000 && u < units.length - 1) {
            b /= 1000;
            u++;
        }
        return String.format(Locale.ROOT, u == 0 ? "%.0f %s" : "%.2f %s", b, units[u]);
    }

    /** One namespace entry object; ndjson adds {@code "type":"namespace"}. */
    private void entry(NamespaceEntry e, boolean typed) {
        json.beginObject();
        if (typed)
            json.field("type", "namespace");
        json.field("position", e.position()).name("nsid").unsigned(Integer.toUnsignedLong(e.nsid()));
        if (e.ok()) {
            IdentifyNamespace n = e.namespace();
            json.field("status", "ok").field("csi", e.descriptors().csi());
            json.name("nsze").unsigned(n.nsze()).name("ncap").unsigned(n.ncap()).name("nuse").unsigned(n.nuse());
            json.field("flbas", n.flbas()).field("lba_data_size", n.lbaFormat().dataSize())
                    .field("metadata_size", n.lbaFormat().ms()).field("nguid", n.nguid()).field("eui64", n.eui64());
            e.descriptors().uuid().ifPresent(u -> json.field("uuid", u.toString()));
            json.name("ns-descs");
            IdentifyJson.descriptorArray(json, e.descriptors());
            if (e.zoned() != null) {
                json.name("zns");
                IdentifyJson.zoned(json, e.zoned());
            }
        } else {
            json.field("status", "error").name("error").beginObject().field("kind", e.failure().kind())
                    .field("message", e.failure().message());
            if (e.failure().status().isPresent()) {
                NvmeStatus s = e.failure().status().get();
                json.field("status", String.format("0x%x", s.raw())).field("name", s.name()).field("sct", s.sct()).field("sc", s.sc()).field("dnr", s.dnr());
            }
            json.endObject();
        }
        e.devices().block().ifPresent(b -> json.field("block_device", b));
        e.devices().generic().ifPresent(g -> json.field("generic_device", g));
        if (!e.devices().paths().isEmpty()) {
            json.name("paths").beginArray();
            e.devices().paths().forEach(json::value);
            json.endArray();
        }
        json.name("by_id").beginArray();
        e.devices().byId().forEach(json::value);
        json.endArray().endObject();
    }

    @Override
    public void finished(ScanSummary s) {
        end(s, null);
    }

    @Override
    public void failed(Exception failure) {
        end(null, failure.getMessage());
    }

    /** Ends the part with the naming report (if asked) and the summary, or the error. */
    private void end(ScanSummary s, String error) {
        summary = s;
        switch (format) {
            case normal -> {
                if (checkNaming && started)
                    namingText();
                if (s != null)
                    out.printf("%s%d namespaces%s (%d failed%s) in %d ms: %d commands, at most %d in flight (%s, queue depth %d)%n",
                            s.cancelled() ? "cancelled after " : "", s.namespaces(), s.cancelled() ? " published" : "",
                            s.failed(), shared > 0 ? ", " + shared + " listed under an earlier controller" : "",
                            s.elapsed().toMillis(), s.commands(), s.peakInFlight(),
                            s.mode().name().toLowerCase(Locale.ROOT), s.queueDepth());
                if (nested && (s != null || started))
                    out.println();
            }
            case json -> {
                if (!started && error != null) {
                    if (nested)
                        json.beginObject().field("device", device).field("error", error).endObject();
                    return;
                }
                if (!started) {                     // cancelled before Identify Controller returned
                    header(json.beginObject());
                    json.name("controller").nullValue().name("namespaces").beginArray();
                }
                json.endArray();
                if (checkNaming) {
                    json.name("naming");
                    namingJson();
                }
                if (s != null) {
                    json.name("summary");
                    summary(s);
                } else {
                    json.field("error", error);
                }
                json.endObject();
                if (!nested)
                    json.newline();
            }
            case ndjson -> {
                if (checkNaming) {
                    for (NamespaceEntry e : drift) {
                        json.beginObject().field("type", "naming");
                        driftFields(e);
                        json.endObject().newline();
                    }
                }
                if (s != null) {
                    json.beginObject().field("type", "summary");
                    summaryFields(s);
                    json.endObject().newline();
                } else if (nested || started) {
                    json.beginObject().field("type", "error").field("device", device).field("error", error)
                            .endObject().newline();
                }
            }
        }
        flush();
    }

    /** For a host's total, once ended: the summary, null when the controller failed. */
    ScanSummary summary() {
        return summary;
    }

    /** For a host's total, once ended: namespaces listed under an earlier controller. */
    long shared() {
        return shared;
    }

    private void namingText() {
        if (named == 0) {
            out.println("naming: nothing to check: the kernel shows no /dev/nvmeXnY for these namespaces"
                    + " (a simulated controller, or no block devices)");
            return;
        }
        if (drift.isEmpty()) {
            out.println("naming: every /dev/nvmeXnY index matches its position in the NSID list");
            return;
        }
        out.printf("naming: %d namespace(s) whose /dev/nvmeXnY index differs from their NSID-list position:%n", drift.size());
        for (NamespaceEntry e : drift)
            out.printf("  NSID %s at position %d is %s (index %d); use a /dev/disk/by-id link to name it stably%n",
                    Integer.toUnsignedString(e.nsid()), e.position(), e.devices().block().orElseThrow(),
                    e.devices().blockIndex());
    }

    private void namingJson() {
        json.beginArray();
        for (NamespaceEntry e : drift) {
            json.beginObject();
            driftFields(e);
            json.endObject();
        }
        json.endArray();
    }

    private void driftFields(NamespaceEntry e) {
        json.name("nsid").unsigned(Integer.toUnsignedLong(e.nsid())).field("position", e.position())
                .field("block_device", e.devices().block().orElseThrow()).field("index", e.devices().blockIndex());
    }

    private void summary(ScanSummary s) {
        json.beginObject();
        summaryFields(s);
        json.endObject();
    }

    private void summaryFields(ScanSummary s) {
        json.field("namespaces", s.namespaces()).field("failed", s.failed());
        if (shared > 0)
            json.field("shared", shared);
        json.field("commands", s.commands())
                .field("peak_in_flight", s.peakInFlight()).field("elapsed_ms", s.elapsed().toMillis())
                .field("cancelled", s.cancelled());
    }
}

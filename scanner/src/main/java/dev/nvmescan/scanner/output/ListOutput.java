package dev.nvmescan.scanner.output;

import dev.nvmescan.nativebindings.identify.IdentifyController;
import dev.nvmescan.scanner.NamespaceEntry;
import dev.nvmescan.scanner.ScanSummary;
import dev.nvmescan.scanner.host.HostScan;
import dev.nvmescan.scanner.sysfs.Controller;
import dev.nvmescan.scanner.sysfs.NamespaceDevice;
import dev.nvmescan.scanner.sysfs.NvmeTree;
import dev.nvmescan.scanner.sysfs.Subsystem;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code nvmescan list}: one row per namespace, as nvme-cli 2.16 prints {@code nvme list}. JSON:
 * {@code {"Devices": [{"NameSpace" (NSID), "DevicePath", "GenericPath", "Firmware",
 * "ModelNumber", "SerialNumber", "UsedBytes", "MaximumLBA", "PhysicalSize", "SectorSize"}, ...]}},
 * the keys and types of nvme-cli's {@code json_list_item_obj}; NDJSON: one such object per line;
 * text: nvme-cli's table. The values are libnvme's: device paths under /dev where the node exists
 * (else the bare name), serial, model and firmware from sysfs (the subsystem's for a multipath
 * head), sizes as {@link Geometry} reads them.
 *
 * <p>What differs from nvme-cli, on purpose: rows come in controller order (subsystem NQN, then
 * controller) and NSID-list order within each, where nvme-cli sorts by the kernel's names, which
 * are what drifts on asynchronous-scan kernels; a namespace the kernel shows no block device for is
 * listed too, with null paths; one that failed has {@code "Error"} in place of the sizes.
 */
public final class ListOutput {
    private final PrintWriter out;
    private final OutputFormat format;
    private final NvmeTree tree;
    private final JsonWriter json;

    public ListOutput(PrintWriter out, OutputFormat format, NvmeTree tree) {
        this.out = out;
        this.format = format;
        this.tree = tree;
        this.json = ScanOutput.json(out, format);
    }

    /** Starts the document or table, before any controller reports. */
    public void begin() {
        switch (format) {
            case json -> json.beginObject().name("Devices").beginArray();
            case normal -> {
                out.printf("%-21s %-21s %-20s %-40s %-10s %-26s %-16s %-8s%n", "Node", "Generic", "SN", "Model",
                        "Namespace", "Usage", "Format", "FW Rev");
                out.printf("%s %s %s %s %s %s %s %s%n", "-".repeat(21), "-".repeat(21), "-".repeat(20),
                        "-".repeat(40), "-".repeat(10), "-".repeat(26), "-".repeat(16), "-".repeat(8));
            }
            case ndjson -> { }
        }
        out.flush();
    }

    /** Ends the document, once every controller reported. */
    public void end() {
        if (format == OutputFormat.json)
            json.endArray().endObject().newline();
        out.flush();
    }

    /** The rows of controller {@code c}; listeners must report in the order they were made. */
    public HostScan.ControllerListener controller(Controller c) {
        Subsystem s = tree.subsystemOf(c);
        return new HostScan.ControllerListener() {
            @Override
            public void controller(IdentifyController id) {}

            @Override
            public void published(NamespaceEntry e) {
                Optional<NamespaceDevice> d = device(tree, e);
                boolean head = d.map(NamespaceDevice::head).orElse(false);
                row(e, d, head ? s.serial() : c.serial(), head ? s.model() : c.model(),
                        head ? s.firmware() : c.firmware());
                out.flush();
            }

            @Override
            public void finished(ScanSummary summary) {}

            @Override
            public void failed(Exception failure) {}
        };
    }

    /** The namespace device of entry {@code e} in the tree. */
    static Optional<NamespaceDevice> device(NvmeTree tree, NamespaceEntry e) {
        return e.devices().block().map(b -> Path.of(b).getFileName().toString()).flatMap(tree::blockDevice);
    }

    /** libnvme's full path: {@code /dev/NAME} when the node exists, else NAME. */
    static String fullPath(NvmeTree tree, String name) {
        Path p = tree.devRoot().resolve(name);
        return Files.exists(p) ? p.toString() : name;
    }

    private void row(NamespaceEntry e, Optional<NamespaceDevice> d, String sn, String mn, String fr) {
        String node = d.map(x -> fullPath(tree, x.name())).orElse(null);
        String generic = d.map(x -> fullPath(tree, x.genericName())).orElse(null);
        Geometry g = e.ok() ? Geometry.of(e, d) : null;
        if (format == OutputFormat.normal) {
            String usage = g == null ? "error (" + e.failure().kind() + ")"
                    : si(g.usedBytes()) + " / " + si(g.physicalBytes());
            String fmt = g == null ? "" : lbaText(g);
            out.printf("%-21s %-21s %-20s %-40s %-10s %-26s %-16s %-8s%n", node != null ? node : "-",
                    generic != null ? generic : "-", sn, mn, "0x" + Integer.toHexString(e.nsid()), usage, fmt, fr);
            return;
        }
        json.beginObject().name("NameSpace").unsigned(Integer.toUnsignedLong(e.nsid()));
        nullable(json, "DevicePath", node);
        nullable(json, "GenericPath", generic);
        json.field("Firmware", fr).field("ModelNumber", mn).field("SerialNumber", sn);
        if (g != null)
            json.name("UsedBytes").unsigned(g.usedBytes()).name("MaximumLBA").unsigned(g.lbaCount())
                    .name("PhysicalSize").unsigned(g.physicalBytes()).field("SectorSize", g.lbaSize());
        else
            json.field("Error", e.failure().message());
        json.endObject();
        if (format == OutputFormat.ndjson)
            json.newline();
    }

    static void nullable(JsonWriter w, String name, String value) {
        if (value != null)
            w.field(name, value);
        else
            w.name(name).nullValue();
    }

    private static final int[] BINARY_SHIFT = {50, 40, 30, 20, 10};
    private static final String[] BINARY_SUFFIX = {"Pi", "Ti", "Gi", "Mi", "Ki"};
    private static final double[] SI = {1e30, 1e27, 1e24, 1e21, 1e18, 1e15, 1e12, 1e9, 1e6, 1e3};
    private static final String[] SI_SUFFIX = {"Q", "R", "Y", "Z", "E", "P", "T", "G", "M", "k"};

    /** nvme-cli's {@code "%3.0f %2sB + %2d B"}: the block size (binary suffix, rounded) and metadata. */
    static String lbaText(Geometry g) {
        long v = g.lbaSize();
        String suffix = "";
        for (int i = 0; i < BINARY_SHIFT.length; i++) {
            int shift = BINARY_SHIFT[i];
            if (v >= 1L << shift) {
                v = (v + (1L << (shift - 1))) >> shift;
                suffix = BINARY_SUFFIX[i];
                break;
            }
        }
        return String.format(Locale.ROOT, "%3.0f %2sB + %2d B", (double) v, suffix, g.metaSize());
    }

    /** nvme-cli's {@code "%6.2f %2sB"} of a byte count, SI scaled. */
    static String si(long bytes) {
        Scaled v = Scaled.si(bytes);
        return String.format(Locale.ROOT, "%6.2f %2sB", v.value(), v.suffix());
    }

    /**
     * A byte count scaled as nvme-cli's {@code suffix_si_get} (powers of 1000, Q to k) or
     * {@code suffix_dbinary_get} (powers of 1024, Pi to Ki, unrounded) scale it.
     */
    record Scaled(double value, String suffix) {
        static Scaled si(long bytes) {
            double v = unsigned(bytes);
            for (int i = 0; i < SI.length; i++)
                if (v >= SI[i])
                    return new Scaled(v / SI[i], SI_SUFFIX[i]);
            return new Scaled(v, "");
        }

        static Scaled binary(long bytes) {
            double v = unsigned(bytes);
            for (int i = 0; i < BINARY_SHIFT.length; i++)
                if (v >= (double) (1L << BINARY_SHIFT[i]))
                    return new Scaled(v / (1L << BINARY_SHIFT[i]), BINARY_SUFFIX[i]);
            return new Scaled(v, "");
        }

        private static double unsigned(long n) {
            return n < 0 ? (n >>> 1) * 2.0 : n;
        }
    }
}

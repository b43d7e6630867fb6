package dev.nvmescan.scanner.output;

import dev.nvmescan.scanner.naming.Drift;
import dev.nvmescan.scanner.naming.Snapshot;

import java.io.PrintWriter;

/**
 * {@code nvmescan diff}: what drifted since a snapshot. JSON: {@code {"added": [ns, ...],
 * "removed": [ns, ...], "changed": [{"subsystem", "nsid", "kind", "id" (unique_id only),
 * "before", "after"}, ...], "moved": [{"subsystem", "nsid", "before", "after"}, ...]}}, each ns
 * {@code {"subsystem", "nsid", "position", "block_device"}}; text: one line per difference.
 */
public final class DiffOutput {
    private DiffOutput() {}

    /** Writes {@code d}; {@code compared} namespaces, for the line saying nothing drifted. */
    public static void write(PrintWriter out, OutputFormat format, Drift d, String snapshot, long compared) {
        if (format == OutputFormat.normal) {
            text(out, d, snapshot, compared);
            out.flush();
            return;
        }
        JsonWriter w = ScanOutput.json(out, format);
        w.beginObject().name("added").beginArray();
        d.added().forEach(n -> namespace(w, n));
        w.endArray().name("removed").beginArray();
        d.removed().forEach(n -> namespace(w, n));
        w.endArray().name("changed").beginArray();
        for (Drift.Change c : d.changed()) {
            w.beginObject().field("subsystem", c.subsystem()).name("nsid").unsigned(Integer.toUnsignedLong(c.nsid()))
                    .field("kind", c.kind());
            if (c.id() != null)
                w.field("id", c.id());
            value(w.name("before"), c.before());
            value(w.name("after"), c.after());
            w.endObject();
        }
        w.endArray().name("moved").beginArray();
        for (Drift.Move m : d.moved()) {
            w.beginObject().field("subsystem", m.subsystem()).name("nsid").unsigned(Integer.toUnsignedLong(m.nsid()));
            ListOutput.nullable(w, "before", m.before());
            ListOutput.nullable(w, "after", m.after());
            w.endObject();
        }
        w.endArray().endObject().newline();
        out.flush();
    }

    private static void namespace(JsonWriter w, Snapshot.Namespace n) {
        w.beginObject().field("subsystem", n.subsystem()).name("nsid").unsigned(Integer.toUnsignedLong(n.nsid()))
                .field("position", n.position());
        ListOutput.nullable(w, "block_device", n.blockDevice());
        w.endObject();
    }

    private static void value(JsonWriter w, Object v) {
        switch (v) {
            case null -> w.nullValue();
            case Long l -> w.value(l);
            default -> w.value(v.toString());
        }
    }

    private static void text(PrintWriter out, Drift d, String snapshot, long compared) {
        for (Snapshot.Namespace n : d.added())
            out.printf("added     %s NSID %s at position %d: %s%n", n.subsystem(), Integer.toUnsignedString(n.nsid()),
                    n.position(), n.blockDevice() != null ? n.blockDevice() : "no block device");
        for (Snapshot.Namespace n : d.removed())
            out.printf("removed   %s NSID %s (was %s)%n", n.subsystem(), Integer.toUnsignedString(n.nsid()),
                    n.blockDevice() != null ? n.blockDevice() : "without block device");
        for (Drift.Change c : d.changed())
            out.printf("%-9s %s NSID %s: %s%s -> %s%n", c.kind(), c.subsystem(), Integer.toUnsignedString(c.nsid()),
                    c.id() != null ? c.id() + " " : "", c.before(), c.after());
        for (Drift.Move m : d.moved())
            out.printf("moved     %s NSID %s: %s -> %s%n", m.subsystem(), Integer.toUnsignedString(m.nsid()),
                    m.before() != null ? m.before() : "none", m.after() != null ? m.after() : "none");
        if (d.none())
            out.printf("no drift: %d namespaces as in %s%n", compared, snapshot);
        else
            out.printf("drift since %s: %d added, %d removed, %d changed, %d moved%n", snapshot, d.added().size(),
                    d.removed().size(), d.changed().size(), d.moved().size());
    }
}

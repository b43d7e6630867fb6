package dev.nvmescan.scanner.output;

import dev.nvmescan.scanner.naming.ScannedNamespace;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * {@code nvmescan names}: each namespace's stable links beside the kernel's name. JSON:
 * {@code {"namespaces": [{"subsystem", "controller", "nsid", "position", "unique_id",
 * "block_device", "links": [...], "installed"}, ...]}}, {@code unique_id} and {@code block_device}
 * null where there is none, {@code installed} whether every link exists and leads to the block
 * device; NDJSON: one such object per line; text: a table per subsystem.
 */
public final class NamesOutput {
    private final PrintWriter out;
    private final OutputFormat format;
    private final JsonWriter json;
    private String subsystem;

    public NamesOutput(PrintWriter out, OutputFormat format) {
        this.out = out;
        this.format = format;
        this.json = ScanOutput.json(out, format);
    }

    public void begin() {
        if (format == OutputFormat.json)
            json.beginObject().name("namespaces").beginArray();
    }

    /** One namespace, {@code key} its subsystem's directory under /dev/nvmescan. */
    public void namespace(ScannedNamespace n, String key, List<Path> links) {
        boolean installed = installed(links, n.blockDevice());
        if (format == OutputFormat.normal) {
            if (!n.subsystem().equals(subsystem)) {
                subsystem = n.subsystem();
                out.printf("%nsubsystem %s: links /dev/nvmescan/%s/%n", subsystem, key);
                out.printf("%8s %10s  %-44s %-16s %s%n", "Position", "NSID", "Unique ID", "Block device", "Links");
            }
            out.printf("%8d %10s  %-44s %-16s %s%s%n", n.position(), Integer.toUnsignedString(n.nsid()),
                    n.uniqueId().orElse("-"), n.blockDevice().orElse("-"),
                    String.join(" ", links.stream().map(Path::toString).toList()), installed ? "" : "  (not installed)");
            return;
        }
        json.beginObject().field("subsystem", n.subsystem()).field("controller", n.controller())
                .name("nsid").unsigned(Integer.toUnsignedLong(n.nsid())).field("position", n.position());
        ListOutput.nullable(json, "unique_id", n.uniqueId().orElse(null));
        ListOutput.nullable(json, "block_device", n.blockDevice().orElse(null));
        json.name("links").beginArray();
        links.forEach(l -> json.value(l.toString()));
        json.endArray().field("installed", installed).endObject();
        if (format == OutputFormat.ndjson)
            json.newline();
    }

    public void end() {
        if (format == OutputFormat.json)
            json.endArray().endObject().newline();
        out.flush();
    }

    /** Whether every link is a symlink that resolves to {@code block}. */
    static boolean installed(List<Path> links, Optional<String> block) {
        if (block.isEmpty())
            return false;
        try {
            Path target = Path.of(block.get()).toRealPath();
            for (Path l : links)
                if (!Files.isSymbolicLink(l) || !l.toRealPath().equals(target))
                    return false;
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}

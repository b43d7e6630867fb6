package dev.nvmescan.scanner.naming;

import dev.nvmescan.nativebindings.identify.IdentifyNamespace;
import dev.nvmescan.scanner.NamespaceEntry;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What a scan recorded of each namespace, keyed by subsystem NQN and NSID (never by kernel names,
 * which are what may have moved): from a saved {@code nvmescan scan -o json} (one controller's
 * document, or the {@code {"controllers": [...]}} of several), or from a scan now. The NQN is
 * sysfs's where the scan had it ({@code "kernel"}), else Identify Controller's, as in
 * {@link ScannedNamespace}.
 *
 * @param subsystems the NQNs of the subsystems it covers
 * @param namespaces its namespaces, in order
 */
public record Snapshot(Set<String> subsystems, List<Namespace> namespaces) {

    /**
     * One namespace as a scan recorded it.
     *
     * @param subsystem   the subsystem NQN
     * @param nsid        the NSID
     * @param position    its place in its controller's NSID list
     * @param ok          whether it was identified; the rest but the block device is known only then
     * @param nsze        its size in logical blocks
     * @param lbaDataSize bytes per logical block
     * @param nguid       its NGUID (hex), null where it reports none
     * @param eui64       its EUI-64 (hex), likewise
     * @param uuid        its UUID, likewise
     * @param blockDevice the kernel's block device, null where there was none
     */
    public record Namespace(String subsystem, int nsid, long position, boolean ok, long nsze, long lbaDataSize,
                            String nguid, String eui64, String uuid, String blockDevice) {
        /** Checks that the subsystem is there. */
        public Namespace {
            Objects.requireNonNull(subsystem, "subsystem");
        }

        /** {@return its size in bytes} */
        public long bytes() {
            return nsze * lbaDataSize;
        }
    }

    /** Copies the set and the list. */
    public Snapshot {
        subsystems = Set.copyOf(subsystems);
        namespaces = List.copyOf(namespaces);
    }

    /**
     * The namespaces a scan found now.
     *
     * @param found what the scan collected
     * @return them as a snapshot
     */
    public static Snapshot of(ScannedNamespace.Collection found) {
        List<Namespace> out = new ArrayList<>();
        for (ScannedNamespace n : found.namespaces()) {
            NamespaceEntry e = n.entry();
            if (!e.ok()) {
                out.add(new Namespace(n.subsystem(), n.nsid(), n.position(), false, 0, 0, null, null, null,
                        n.blockDevice().orElse(null)));
                continue;
            }
            IdentifyNamespace id = e.namespace();
            out.add(new Namespace(n.subsystem(), n.nsid(), n.position(), true, id.nsze(), id.lbaFormat().dataSize(),
                    id.nguid(), id.eui64(), e.descriptors().uuid().map(Object::toString).orElse(null),
                    n.blockDevice().orElse(null)));
        }
        return new Snapshot(found.subsystems(), out);
    }

    /**
     * Reads a saved {@code scan -o json}.
     *
     * @param json the document
     * @return its namespaces
     * @throws IllegalArgumentException it is not such a document (the message says what is wrong)
     */
    public static Snapshot parse(String json) {
        Object doc;
        try {
            doc = JsonReader.parse(json);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage());
        }
        if (!(doc instanceof Map<?, ?> top))
            throw new IllegalArgumentException("not a scan -o json document");
        List<?> controllers = top.containsKey("controllers") ? list(top.get("controllers"), "controllers") : List.of(top);
        Set<String> subsystems = new LinkedHashSet<>();
        List<Namespace> out = new ArrayList<>();
        for (Object c : controllers) {
            Map<?, ?> ctrl = map(c, "a controller");
            if (!ctrl.containsKey("controller"))
                continue;                               // a controller that failed before Identify
            String nqn = ctrl.containsKey("kernel") ? text(map(ctrl.get("kernel"), "kernel"), "subsysnqn")
                    : text(map(ctrl.get("controller"), "controller"), "subnqn");
            subsystems.add(nqn);
            for (Object o : list(ctrl.get("namespaces"), "namespaces")) {
                Map<?, ?> ns = map(o, "a namespace");
                boolean ok = "ok".equals(text(ns, "status"));
                String block = ns.containsKey("block_device") ? text(ns, "block_device") : null;
                out.add(ok ? new Namespace(nqn, (int) number(ns, "nsid"), number(ns, "position"), true,
                        number(ns, "nsze"), number(ns, "lba_data_size"), text(ns, "nguid"), text(ns, "eui64"),
                        ns.containsKey("uuid") ? text(ns, "uuid") : null, block)
                        : new Namespace(nqn, (int) number(ns, "nsid"), number(ns, "position"), false, 0, 0, null,
                        null, null, block));
            }
        }
        if (!top.containsKey("controllers") && !top.containsKey("controller"))
            throw new IllegalArgumentException("not a scan -o json document: no \"controller\" or \"controllers\"");
        return new Snapshot(subsystems, out);
    }

    /** The first namespace with this subsystem and NSID. */
    Optional<Namespace> find(String subsystem, int nsid) {
        return namespaces.stream().filter(n -> n.subsystem().equals(subsystem) && n.nsid() == nsid).findFirst();
    }

    private static Map<?, ?> map(Object o, String what) {
        if (o instanceof Map<?, ?> m)
            return m;
        throw new IllegalArgumentException("not a scan -o json document: " + what + " is not an object");
    }

    private static List<?> list(Object o, String what) {
        if (o instanceof List<?> l)
            return l;
        throw new IllegalArgumentException("not a scan -o json document: \"" + what + "\" is not an array");
    }

    private static String text(Map<?, ?> m, String key) {
        if (m.get(key) instanceof String s)
            return s;
        throw new IllegalArgumentException("not a scan -o json document: \"" + key + "\" is missing or not a string");
    }

    private static long number(Map<?, ?> m, String key) {
        if (m.get(key) instanceof BigDecimal d)
            return d.longValue();
        throw new IllegalArgumentException("not a scan -o json document: \"" + key + "\" is missing or not a number");
    }
}

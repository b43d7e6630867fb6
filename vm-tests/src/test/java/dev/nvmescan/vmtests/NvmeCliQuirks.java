package dev.nvmescan.vmtests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Set;

/**
 * What older nvme-cli releases (Debian 12 ships 2.3) print differently from the current nvme-cli,
 * whose JSON nvmescan follows. {@link #normalize} rewrites an old oracle document into the current
 * key set, and {@link #unknownToOracle} names the fields an old oracle does not print at all, so
 * the key-by-key comparison checks everything else strictly. Each rule applies only where the
 * oracle's document shows the old form.
 */
final class NvmeCliQuirks {
    /** Identify Controller fields that nvme-cli 2.3 does not print (added with NVMe 2.0/2.1). */
    private static final Set<String> NEWER_ID_CTRL = Set.of("bpcap", "nssl", "plsi", "crcap", "dctype");
    /** Identify Namespace fields that nvme-cli 2.3 does not print (key per I/O, NVMe 2.1). */
    private static final Set<String> NEWER_ID_NS = Set.of("kpios", "kpiodaag");

    private NvmeCliQuirks() {}

    /**
     * Rewrites {@code oracle} in place into the current nvme-cli's shape: {@code ns-descs[].type}
     * became {@code Type}; a power state's {@code flags} became {@code max_power_scale} (bit 0) and
     * {@code non-operational_state} (bit 1).
     */
    static JsonNode normalize(JsonNode oracle) {
        if (!oracle.isObject())
            return oracle;
        for (JsonNode d : oracle.path("ns-descs")) {
            if (d instanceof ObjectNode o && o.has("type") && !o.has("Type"))
                o.set("Type", o.remove("type"));
        }
        for (JsonNode p : oracle.path("psds")) {
            if (p instanceof ObjectNode o && o.has("flags") && !o.has("max_power_scale")) {
                int flags = o.remove("flags").asInt();
                o.put("max_power_scale", flags & 1);
                o.put("non-operational_state", (flags >> 1) & 1);
            }
        }
        return oracle;
    }

    /** Whether {@code key} (top level) is one an older oracle cannot print, so it has no say on it. */
    static boolean unknownToOracle(JsonNode oracle, String key) {
        if (oracle.has(key))
            return false;
        return oracle.has("psds") ? NEWER_ID_CTRL.contains(key) : oracle.has("lbafs") && NEWER_ID_NS.contains(key);
    }
}

package dev.nvmescan.vmtests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigInteger;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What an older nvme-cli release prints differently from nvme-cli 2.16, the release nvmescan's JSON
 * follows, read from that release's nvme-print-json.c. {@link #normalize} rewrites an old document
 * into 2.16's shapes, and {@link #unprinted} names the keys the release does not print at all, so
 * everything else is still compared. Each rewrite applies only where the document shows the old
 * form. The guest tree (Debian 12) has nvme-cli 2.3, the only older release the harness runs.
 */
final class NvmeCliQuirks {
    /** nvme-cli 2.3: Identify Controller and Namespace fields added with NVMe 2.0 and 2.1 are not printed. */
    static final NvmeCliQuirks V2_3 = new NvmeCliQuirks("2.3",
            Set.of(".bpcap", ".nssl", ".plsi", ".crcap", ".kpioc", ".mptfawr", ".tmpthha", ".cqt", ".oaqd",
                    ".rhiri", ".hirt", ".cmmrtd", ".nmmrtd", ".minmrtg", ".maxmrtg", ".trattr", ".mcudmq",
                    ".mnsudmq", ".mcmr", ".nmcmr", ".mcdqpc",
                    ".psds[].emerg_power_fail_recover_time", ".psds[].emerg_power_fail_recover_scale",
                    ".psds[].force_quiesce_vault_time", ".psds[].force_quiesce_vault_scale",
                    ".psds[].emerg_power_fail_vault_time", ".psds[].emerg_power_fail_vault_scale"),
            Set.of(".kpios", ".kpiodaag", ".vs", ".lbafs[].lbaf", ".lbafs[].in_use"));
    private static final Map<String, NvmeCliQuirks> RELEASES = Map.of(V2_3.release, V2_3);
    /** The 128-bit counters, which 2.3 prints as decimal strings. */
    private static final Set<String> UINT128 = Set.of("tnvmcap", "unvmcap", "megcap", "maxdna", "nvmcap");

    private final String release;
    private final Set<String> idCtrlUnprinted, idNsUnprinted;

    private NvmeCliQuirks(String release, Set<String> idCtrlUnprinted, Set<String> idNsUnprinted) {
        this.release = release;
        this.idCtrlUnprinted = idCtrlUnprinted;
        this.idNsUnprinted = idNsUnprinted;
    }

    /**
     * The quirks of the release {@code nvme version} names.
     *
     * @param nvmeVersion its output, e.g. {@code nvme version 2.3 (git 2.3)}
     * @throws AssertionError a release whose shapes are not written down here
     */
    static NvmeCliQuirks of(String nvmeVersion) {
        String[] w = nvmeVersion.strip().split("\\s+");
        String release = w.length > 2 && w[0].equals("nvme") && w[1].equals("version") ? w[2] : nvmeVersion;
        NvmeCliQuirks q = RELEASES.get(release);
        if (q == null)
            throw new AssertionError("no quirks for nvme-cli " + release + " (known: " + RELEASES.keySet() + ")");
        return q;
    }

    String release() {
        return release;
    }

    /**
     * Rewrites {@code oracle} in place into 2.16's shapes: {@code ns-descs[].type} became
     * {@code Type}; a power state's {@code flags} became {@code max_power_scale} (bit 0) and
     * {@code non-operational_state} (bit 1); a 128-bit counter's decimal string became a number.
     */
    JsonNode normalize(JsonNode oracle) {
        if (!(oracle instanceof ObjectNode doc))
            return oracle;
        for (JsonNode d : doc.path("ns-descs")) {
            if (d instanceof ObjectNode o && o.has("type") && !o.has("Type"))
                o.set("Type", o.remove("type"));
        }
        for (JsonNode p : doc.path("psds")) {
            if (p instanceof ObjectNode o && o.has("flags") && !o.has("max_power_scale")) {
                int flags = o.remove("flags").asInt();
                o.put("max_power_scale", flags & 1);
                o.put("non-operational_state", (flags >> 1) & 1);
            }
        }
        for (String k : UINT128) {
            if (doc.path(k).isTextual() && doc.get(k).asText().matches("\\d+"))
                doc.put(k, new BigInteger(doc.get(k).asText()));
        }
        return doc;
    }

    /**
     * The keys this release does not print in {@code oracle}'s kind of document (Identify
     * Controller has {@code psds}, Identify Namespace {@code lbafs}), as paths without indices.
     */
    Predicate<String> unprinted(JsonNode oracle) {
        Set<String> keys = oracle.has("psds") ? idCtrlUnprinted : oracle.has("lbafs") ? idNsUnprinted : Set.of();
        return keys::contains;
    }
}

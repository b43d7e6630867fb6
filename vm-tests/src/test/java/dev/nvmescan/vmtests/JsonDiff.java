package dev.nvmescan.vmtests;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Key-by-key comparison of nvme-cli's JSON (the oracle) with nvmescan's; strings compare trimmed,
 * and an older oracle's known differences are taken into account ({@link NvmeCliQuirks}).
 */
final class JsonDiff {
    private JsonDiff() {}

    /** Every difference, one line each, e.g. {@code .lbafs[1].ds: nvme-cli 12, nvmescan 9}. */
    static List<String> diff(JsonNode oracle, JsonNode ours) {
        List<String> out = new ArrayList<>();
        diff("", NvmeCliQuirks.normalize(oracle.deepCopy()), ours, out);
        return out;
    }

    private static void diff(String path, JsonNode a, JsonNode b, List<String> out) {
        if (a.isObject() && b.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = a.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                JsonNode other = b.get(e.getKey());
                if (other == null)
                    out.add(path + "." + e.getKey() + ": missing in nvmescan (nvme-cli " + e.getValue() + ")");
                else
                    diff(path + "." + e.getKey(), e.getValue(), other, out);
            }
            for (Iterator<String> it = b.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                if (!a.has(k) && !(path.isEmpty() && NvmeCliQuirks.unknownToOracle(a, k)))
                    out.add(path + "." + k + ": not printed by nvme-cli (nvmescan " + b.get(k) + ")");
            }
        } else if (a.isArray() && b.isArray()) {
            if (a.size() != b.size())
                out.add(path + ": nvme-cli has " + a.size() + " elements, nvmescan " + b.size());
            for (int i = 0; i < Math.min(a.size(), b.size()); i++)
                diff(path + "[" + i + "]", a.get(i), b.get(i), out);
        } else if (a.isNumber() && b.isNumber()) {
            if (a.decimalValue().compareTo(b.decimalValue()) != 0)
                out.add(path + ": nvme-cli " + a + ", nvmescan " + b);
        } else if (a.isTextual() && b.isTextual()) {
            if (!a.asText().trim().equals(b.asText().trim()))
                out.add(path + ": nvme-cli " + a + ", nvmescan " + b);
        } else if (!a.equals(b)) {
            out.add(path + ": nvme-cli " + a + " (" + a.getNodeType() + "), nvmescan " + b + " (" + b.getNodeType() + ")");
        }
    }
}

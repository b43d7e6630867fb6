package dev.nvmescan.vmtests;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Key-by-key comparison of nvme-cli's JSON (the oracle) with nvmescan's: every key, its JSON type
 * and its value; strings compare trimmed (nvme-cli pads {@code sn}, {@code mn}, {@code fr}). The
 * reference release (nvme-cli 2.16) is compared as it is, optionally with each object's key order;
 * an older release through its {@link NvmeCliQuirks}.
 */
final class JsonDiff {
    private JsonDiff() {}

    /** Every difference from the reference release, one line each, e.g. {@code .lbafs[1].ds: nvme-cli 12, nvmescan 9}. */
    static List<String> diff(JsonNode reference, JsonNode ours) {
        List<String> out = new ArrayList<>();
        diff("", reference, ours, false, k -> false, out);
        return out;
    }

    /** As {@link #diff(JsonNode, JsonNode)}, and every object's keys in the reference's order. */
    static List<String> diffInOrder(JsonNode reference, JsonNode ours) {
        List<String> out = new ArrayList<>();
        diff("", reference, ours, true, k -> false, out);
        return out;
    }

    /**
     * Every difference from an older release's document, once {@code quirks} has mapped its shapes;
     * the keys that release does not print have no say, and key order is not compared.
     */
    static List<String> diff(JsonNode older, JsonNode ours, NvmeCliQuirks quirks) {
        List<String> out = new ArrayList<>();
        JsonNode oracle = quirks.normalize(older.deepCopy());
        diff("", oracle, ours, false, quirks.unprinted(oracle), out);
        return out;
    }

    /**
     * @param unprinted whether a key, as its path without indices (e.g. {@code .psds[].fqvt}), is one the
     *                  oracle does not print
     */
    private static void diff(String path, JsonNode a, JsonNode b, boolean order, Predicate<String> unprinted,
                             List<String> out) {
        if (a.isObject() && b.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = a.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                JsonNode other = b.get(e.getKey());
                if (other == null)
                    out.add(path + "." + e.getKey() + ": missing in nvmescan (nvme-cli " + e.getValue() + ")");
                else
                    diff(path + "." + e.getKey(), e.getValue(), other, order, unprinted, out);
            }
            String general = path.replaceAll("\\[\\d+]", "[]");
            for (Iterator<String> it = b.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                if (!a.has(k) && !unprinted.test(general + "." + k))
                    out.add(path + "." + k + ": not printed by nvme-cli (nvmescan " + b.get(k) + ")");
            }
            if (order) {
                List<String> theirs = keys(a), ours = keys(b);
                ours.retainAll(theirs);
                theirs.retainAll(keys(b));
                if (!theirs.equals(ours))
                    out.add((path.isEmpty() ? "." : path) + ": key order: nvme-cli " + theirs + ", nvmescan " + ours);
            }
        } else if (a.isArray() && b.isArray()) {
            if (a.size() != b.size())
                out.add(path + ": nvme-cli has " + a.size() + " elements, nvmescan " + b.size());
            for (int i = 0; i < Math.min(a.size(), b.size()); i++)
                diff(path + "[" + i + "]", a.get(i), b.get(i), order, unprinted, out);
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

    private static List<String> keys(JsonNode o) {
        List<String> keys = new ArrayList<>();
        o.fieldNames().forEachRemaining(keys::add);
        return keys;
    }
}

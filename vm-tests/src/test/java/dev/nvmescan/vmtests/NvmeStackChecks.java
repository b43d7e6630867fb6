package dev.nvmescan.vmtests;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The checks every topology must pass against the guest's real kernel NVMe stack, with nvme-cli as
 * the oracle: sid's (2.16), whose JSON nvmescan follows key for key, in key order, JSON types
 * included; and the guest tree's older one (2.3 on Debian 12), through the {@link NvmeCliQuirks} of
 * its release. Subclasses boot their topology once on the newest kernel ({@code checks.sh} runs
 * everything in the guest) and hand the guest over through {@link #guest()}.
 */
abstract class NvmeStackChecks {
    private static final ObjectMapper JSON = new ObjectMapper();

    abstract Guest guest();

    @ParameterizedTest(name = "backend {0}")
    @ValueSource(strings = {"uring", "ioctl"})
    void scanPublishesEveryNamespaceInListOrder(String backend) throws IOException {
        Guest g = guest();
        assertEquals(0, g.exitCode("scan-" + backend), () -> err(g, "scan-" + backend));
        JsonNode scan = g.json("scan-" + backend + ".out");
        assertEquals(backend.equals("uring") ? "io_uring" : "ioctl", scan.get("backend").asText());
        List<Long> published = new ArrayList<>();
        for (JsonNode ns : scan.get("namespaces")) {
            published.add(ns.get("nsid").asLong());
            assertEquals("ok", ns.get("status").asText(), ns::toString);
        }
        assertFalse(published.isEmpty());
        assertEquals(g.nsids(), published);
        assertEquals(0, scan.get("summary").get("failed").asInt());
    }

    @Test
    void scanNamesTheKernelsBlockDevices() throws IOException {
        Guest g = guest();
        Map<Long, String> kernel = new HashMap<>();
        for (String line : g.text("kernel-names").lines().toList()) {
            String[] w = line.split(" ");
            kernel.put(Long.parseLong(w[0]), w[1]);
        }
        assertEquals(g.nsids().size(), kernel.size(), "the kernel has a block device per NSID");
        for (JsonNode ns : g.json("scan-uring.out").get("namespaces")) {
            long nsid = ns.get("nsid").asLong();
            assertEquals(kernel.get(nsid), ns.path("block_device").asText(null), "NSID " + nsid);
            assertEquals(kernel.get(nsid).replace("/dev/nvme", "/dev/ng"), ns.path("generic_device").asText(null));
        }
    }

    @Test
    void idCtrlEqualsNvmeCli() throws IOException {
        assertSameAsNvmeCli("id-ctrl.json", "id-ctrl");
    }

    @Test
    void listNsEqualsNvmeCli() throws IOException {
        assertSameAsNvmeCli("list-ns.json", "list-ns");
    }

    @Test
    void idNsEqualsNvmeCliForEveryNamespace() throws IOException {
        for (long nsid : guest().nsids())
            assertSameAsNvmeCli("id-ns-" + nsid + ".json", "id-ns-" + nsid);
    }

    @Test
    void nsDescsEqualNvmeCliForEveryNamespace() throws IOException {
        for (long nsid : guest().nsids())
            assertSameAsNvmeCli("ns-descs-" + nsid + ".json", "ns-descs-" + nsid);
    }

    @Test
    void idCtrlTextEqualsNvmeClisLineForLine() throws IOException {
        assertSameTextAsNvmeCli("id-ctrl.txt", "id-ctrl-text");
        assertSameTextAsNvmeCli("id-ctrl-H.txt", "id-ctrl-text-H");
    }

    @Test
    void idNsAndNsDescsTextEqualNvmeClisForEveryNamespace() throws IOException {
        for (long nsid : guest().nsids()) {
            assertSameTextAsNvmeCli("id-ns-" + nsid + ".txt", "id-ns-text-" + nsid);
            assertSameTextAsNvmeCli("id-ns-" + nsid + "-H.txt", "id-ns-text-" + nsid + "-H");
            assertSameTextAsNvmeCli("ns-descs-" + nsid + ".txt", "ns-descs-text-" + nsid);
        }
    }

    @Test
    void aNamespaceBlockDeviceTakesIdCtrlThroughTheIoctlWithoutARing() throws IOException {
        Guest g = guest();
        assertSameAsNvmeCli("id-ctrl.json", "block-device");
        assertEquals("", g.text("block-device.err"), "one command at a time: --backend auto takes the ioctl, nothing to say");
    }

    @Test
    void aScanOfANamespaceBlockDeviceFallsBackToTheIoctlAndSaysSo() throws IOException {
        Guest g = guest();
        assertEquals(0, g.exitCode("block-device-scan"), () -> err(g, "block-device-scan"));
        assertEquals("ioctl", g.json("block-device-scan.out").get("backend").asText());
        String err = g.text("block-device-scan.err").strip();
        assertTrue(err.startsWith("nvmescan: /dev/nvme0n1: io_uring not available (") && err.endsWith("), using ioctl"), err);
    }

    @Test
    void aDeviceThatIsNotNvmeExitsThreeWithEnotty() throws IOException {
        Guest g = guest();
        assertEquals(3, g.exitCode("not-nvme"));
        assertEquals("nvmescan: /dev/null: not an NVMe controller (ENOTTY)", g.text("not-nvme.err").strip());
    }

    @Test
    void aMissingDeviceExitsThree() throws IOException {
        Guest g = guest();
        assertEquals(3, g.exitCode("missing"));
        assertEquals("nvmescan: /dev/nvme9: No such file or directory", g.text("missing.err").strip());
    }

    @Test
    void aUserWithoutAccessIsToldToRunAsRoot() throws IOException {
        Guest g = guest();
        assertEquals("3", g.text("nonroot.rc").strip(), () -> text(g, "nonroot.err"));
        assertEquals("nvmescan: /dev/nvme0: Permission denied (run as root)", g.text("nonroot.err").strip());
    }

    /** The reference answered every command it is asked, for the same controller as the guest's nvme-cli. */
    @Test
    void sidsNvmeCliAnsweredEveryCommand() throws IOException {
        Guest g = guest();
        Path sid = g.sidNvmeCli();
        String version = sid.getFileName().toString().substring("nvme-cli-".length());
        assertTrue(Files.readString(sid.resolve("version")).startsWith("nvme version " + version + " "));
        JsonNode ctrl = JSON.readTree(sid.resolve("id-ctrl.json").toFile());
        assertEquals(g.json("nvme-id-ctrl.json").get("sn").asText(), ctrl.path("sn").asText(), "the same controller");
        List<String> names = new ArrayList<>(List.of("list-ns.json", "list.json", "list-v.json"));
        for (long nsid : g.nsids())
            names.addAll(List.of("id-ns-" + nsid + ".json", "ns-descs-" + nsid + ".json"));
        for (String name : names) {
            JsonNode doc = JSON.readTree(sid.resolve(name).toFile());
            assertTrue(doc != null && doc.isObject() && !doc.isEmpty(), () -> "nvme-cli " + version + " " + name + ": " + doc);
        }
    }

    /** Every JVM that ran in the guest, batches and fresh processes, ended without a crash. */
    @Test
    void noJvmCrashedInTheGuest() throws IOException {
        List<String> crashes = new ArrayList<>();
        try (var files = Files.list(guest().results)) {
            for (Path f : files.filter(f -> f.getFileName().toString().startsWith("hs_err_")).sorted().toList())
                crashes.add(f + ": " + Files.readAllLines(f).stream().filter(l -> l.startsWith("#  SIG")
                        || l.startsWith("# J ") || l.startsWith("# V ") || l.startsWith("# C ")).toList());
        }
        assertTrue(crashes.isEmpty(), () -> "JVMs died in the guest:\n  " + String.join("\n  ", crashes));
    }

    /**
     * Our {@code ours.out} equals sid's nvme-cli's {@code name} in {@link Guest#sidNvmeCli()} key for
     * key and in key order, and the guest tree's {@code nvme-name} through its release's quirks.
     */
    private void assertSameAsNvmeCli(String name, String ours) throws IOException {
        Guest g = guest();
        assertEquals(0, g.exitCode(ours), () -> err(g, ours));
        assertSameAsNvmeCli(g, name, ours);
    }

    /** {@link #assertSameAsNvmeCli(String, String)} for any guest that recorded both nvme-cli releases. */
    static void assertSameAsNvmeCli(Guest g, String name, String ours) throws IOException {
        Path sid = g.sidNvmeCli();
        JsonNode nvmescan = g.json(ours + ".out");
        List<String> diffs = new ArrayList<>();
        JsonDiff.diffInOrder(JSON.readTree(sid.resolve(name).toFile()), nvmescan)
                .forEach(d -> diffs.add(sid.getFileName() + " (the reference) " + d));
        NvmeCliQuirks older = NvmeCliQuirks.of(g.text("nvme-version"));
        JsonDiff.diff(g.json("nvme-" + name), nvmescan, older)
                .forEach(d -> diffs.add("nvme-cli-" + older.release() + " (the guest's, through its quirks) " + d));
        assertTrue(diffs.isEmpty(), () -> ours + " differs from nvme-cli:\n  " + String.join("\n  ", diffs));
    }

    /**
     * Our {@code ours.out} equals sid's nvme-cli's text {@code name} line for line. Both ran in the C
     * locale (checks.sh); nothing else is normalised.
     */
    private void assertSameTextAsNvmeCli(String name, String ours) throws IOException {
        Guest g = guest();
        assertEquals(0, g.exitCode(ours), () -> err(g, ours));
        Path sid = g.sidNvmeCli();
        List<String> reference = Files.readAllLines(sid.resolve(name)), nvmescan = Files.readAllLines(g.results.resolve(ours + ".out"));
        List<String> diffs = new ArrayList<>();
        for (int i = 0; i < Math.max(reference.size(), nvmescan.size()); i++) {
            String r = i < reference.size() ? reference.get(i) : "(none)", o = i < nvmescan.size() ? nvmescan.get(i) : "(none)";
            if (!r.equals(o))
                diffs.add("line " + (i + 1) + ": nvme-cli \"" + r + "\", nvmescan \"" + o + "\"");
        }
        assertTrue(diffs.isEmpty(), () -> ours + " differs from " + sid.getFileName() + "/" + name + " (" + diffs.size()
                + " lines):\n  " + String.join("\n  ", diffs.subList(0, Math.min(20, diffs.size()))));
    }

    private static String err(Guest g, String name) {
        return text(g, name + ".err");
    }

    static String text(Guest g, String name) {
        try {
            return g.text(name);
        } catch (IOException e) {
            return "(no " + name + ": " + e + ")";
        }
    }
}

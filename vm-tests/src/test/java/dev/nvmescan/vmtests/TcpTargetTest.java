package dev.nvmescan.vmtests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.params.ParameterizedTest;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The kernel's nvmet NVMe/TCP target on loopback, sparse NSIDs, 10 ms of round trip on every command;
 * then faults during a scan: a namespace disabled, a controller reset, the target port gone, a
 * namespace added, and a target that stops answering.
 */
class TcpTargetTest extends NvmeStackChecks {
    private static final String NSIDS = "1-10,20,30,40-47,1000";
    /**
     * After --timeout: the kernel's request timer (about a second coarse), then its error recovery,
     * which aborts the command; measured 4 to 6 s on a TCG guest sharing 2 cores.
     */
    private static final long LOST_MARGIN_MS = 20_000;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Guest guest;

    @BeforeAll
    static void boot() throws Exception {
        guest = Guest.boot("tcp", "checks.sh", List.of("--nsids", NSIDS, "--rtt", "10ms", "--timeout", "900"));
    }

    @Override
    Guest guest() {
        return guest;
    }

    /** Fresh processes per backend that checks.sh starts, one scan each. */
    private static final int FRESH_PROCESSES = 2;

    @ParameterizedTest(name = "backend {0}")
    @ValueSource(strings = {"uring", "ioctl"})
    void freshProcessesScanEveryNamespace(String backend) throws Exception {
        for (int i = 1; i <= FRESH_PROCESSES; i++) {
            String run = "fresh-" + backend + "-" + i;
            assertEquals(0, Integer.parseInt(guest.text(run + ".rc").strip()), () -> run + " failed");
            List<Long> published = new ArrayList<>();
            for (JsonNode ns : guest.json(run + ".out").get("namespaces")) {
                assertEquals("ok", ns.get("status").asText(), () -> run + ": " + ns);
                published.add(ns.get("nsid").asLong());
            }
            assertEquals(guest.nsids(), published, run);
        }
    }

    /** The harness's TCG: a vCPU runs code another vCPU rewrites as it was or as it became, never a mix. */
    @Test
    void theGuestCpuRunsCodeThatAnotherCpuRewritesWhole() throws Exception {
        String err = guest.text("xmc.err");
        assertEquals("0", guest.text("xmc.rc").strip(), () -> "CrossModifiedCode died: " + err);
        long[] n = Arrays.stream(guest.text("xmc.out").strip().split(" ")).mapToLong(Long::parseLong).toArray();
        assertEquals(0, n[3], "calls that ran a mix of old and new bytes");
        assertTrue(n[1] > 0 && n[2] > 0, "the caller must see both versions of the code: " + Arrays.toString(n));
    }

    @Test
    void theTargetsSparseNamespacesAreThere() throws Exception {
        List<Long> expected = new ArrayList<>();
        for (long n = 1; n <= 10; n++) expected.add(n);
        expected.addAll(List.of(20L, 30L));
        for (long n = 40; n <= 47; n++) expected.add(n);
        expected.add(1000L);
        assertEquals(expected, guest.nsids());
    }

    @Test
    void theRoundTripIsInFrontOfEveryCommand() throws Exception {
        // An ordered scan needs at least 3 dependent round trips (Identify Controller, the NSID list,
        // then each namespace's Identify): a lower bound that holds only if netem is in effect.
        long elapsed = guest.json("scan-uring.out").get("summary").get("elapsed_ms").asLong();
        assertTrue(elapsed >= 30, "scan took " + elapsed + " ms, less than 3 round trips of 10 ms");
    }

    @Test
    void aNamespaceDisabledDuringTheScanIsPublishedInItsPlaceAsAnError() throws Exception {
        List<JsonNode> entries = publishedInPlace("disabled");
        for (JsonNode e : entries.subList(0, entries.size() - 1))
            assertEquals("ok", e.get("status").asText(), e::toString);
        JsonNode disabled = entries.getLast();
        assertEquals("error", disabled.get("status").asText(), disabled::toString);
        assertTrue(Set.of("vanished", "status").contains(disabled.get("error").get("kind").asText()), disabled::toString);
    }

    @Test
    void aControllerResetDuringTheScanLeavesEveryNamespaceInItsPlace() throws Exception {
        assertEquals("", guest.text("reset.nvme").strip(), "nvme reset");
        publishedInPlace("reset");
        assertEquals("live", guest.text("reset.state").strip());
    }

    @Test
    void aPortThatStopsServingTheSubsystemFailsTheRestInPlace() throws Exception {
        List<JsonNode> entries = publishedInPlace("unplugged");
        int at = Integer.parseInt(guest.text("unplugged.at").strip());
        for (JsonNode e : entries.subList(0, at))
            assertEquals("ok", e.get("status").asText(), e::toString);
        assertEquals("error", entries.getLast().get("status").asText(), () -> "the port was gone: " + entries.getLast());
        assertEquals("live", guest.text("unplugged.state").strip(), "reconnected once the port served it again");
    }

    @Test
    void aNamespaceAddedDuringTheScanLeavesTheListItReadInPlace() throws Exception {
        for (JsonNode e : publishedInPlace("added"))
            assertEquals("ok", e.get("status").asText(), e::toString);
        List<Long> after = new ArrayList<>();
        for (JsonNode n : guest.json("after-added.out").get("nsid_list"))
            after.add(n.get("nsid").asLong());
        List<Long> expected = new ArrayList<>(guest.text("added.nsids").lines().map(Long::parseLong).toList());
        expected.add(50L);
        expected.sort(null);
        assertEquals(expected, after, "the next list has the added namespace");
    }

    /**
     * Checks a scan the guest struck with a fault once it had published 3 namespaces: every NSID of
     * the list it read is published in its place, as data or an error entry; the summary counts
     * them; the exit code is the README's (0 all good, 1 some failed); and it took no longer than a
     * scan without the fault plus two commands that run into --timeout (5 s, and the kernel's
     * recovery after it).
     *
     * @return its namespace entries
     */
    private static List<JsonNode> publishedInPlace(String name) throws Exception {
        List<Long> nsids = guest.text(name + ".nsids").lines().map(Long::parseLong).toList();
        int at = Integer.parseInt(guest.text(name + ".at").strip());
        assertTrue(at >= 3 && at < nsids.size(), name + ": the fault came after " + at + " of "
                + nsids.size() + " namespaces were published: not during the scan");
        List<JsonNode> lines = new ArrayList<>();
        for (String line : guest.text(name + ".out").lines().toList())
            lines.add(JSON.readTree(line));
        List<JsonNode> entries = lines.stream().filter(l -> l.get("type").asText().equals("namespace")).toList();
        assertEquals(nsids, entries.stream().map(e -> e.get("nsid").asLong()).toList(), name + ": every NSID, in list order");
        long failed = entries.stream().filter(e -> !e.get("status").asText().equals("ok")).count();
        JsonNode summary = lines.getLast();
        assertEquals("summary", summary.get("type").asText(), name);
        assertEquals(nsids.size(), summary.get("namespaces").asInt(), name);
        assertEquals(failed, summary.get("failed").asLong(), name);
        assertEquals(failed == 0 ? 0 : 1, guest.exitCode(name), () -> name + ": " + text(guest, name + ".err"));
        long ms = Long.parseLong(guest.text(name + ".ms").strip());
        long unfaulted = Long.parseLong(guest.text("added.ms").strip());
        assertTrue(ms < unfaulted + 2 * (5_000 + LOST_MARGIN_MS), name + " took " + ms + " ms, a scan without faults " + unfaulted);
        return entries;
    }

    @Test
    void aTargetThatStopsAnsweringTimesOutWithinTheTimeout() throws Exception {
        assertEquals(3, guest.exitCode("lost"), () -> text(guest, "lost.out") + text(guest, "lost.err"));
        String err = guest.text("lost.err").strip();
        assertTrue(err.startsWith("nvmescan: /dev/nvme0: ") && err.contains("timed out after 2000 ms"), err);
        long ms = Long.parseLong(guest.text("lost.ms").strip());
        assertTrue(ms >= 2000 && ms < 2000 + LOST_MARGIN_MS, "gave up after " + ms + " ms with --timeout 2s");
    }
}

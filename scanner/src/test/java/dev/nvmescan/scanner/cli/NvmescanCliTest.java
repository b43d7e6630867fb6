package dev.nvmescan.scanner.cli;

import static org.junit.jupiter.api.Assertions.*;

import dev.nvmescan.scanner.sysfs.KernelDevices;
import dev.nvmescan.scanner.sysfs.KernelNames;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NvmescanCliTest {
    @TempDir Path tmp;

    /** One in-process run: exit code, stdout, stderr. */
    record Run(int code, String out, String err) {}

    private Run run(CliEnvironment env, String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        var cl = Nvmescan.commandLine(env);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    private Run run(String... args) {
        return run(new CliEnvironment(tmp.resolve("sys"), tmp.resolve("dev"), false), args);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object o) {
        return (List<Map<String, Object>>) o;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    private static long num(Object o) {
        return ((BigDecimal) o).longValueExact();
    }

    @Test
    void scanJsonHasErrorEntriesInPlaceAndExitsOne() {
        Run r = run("scan", "-o", "json", "sim:?namespaces=8&latency=0ms..3ms&fail=3:0x400b&vanish=5&zoned=6&hang=7&timeout=50ms");
        assertEquals(1, r.code(), r.err());
        Map<String, Object> doc = MiniJson.object(r.out());
        assertEquals("sim", doc.get("backend"));
        assertEquals("ordered", doc.get("mode"));
        List<Map<String, Object>> ns = list(doc.get("namespaces"));
        assertEquals(8, ns.size());
        for (int i = 0; i < 8; i++) {
            assertEquals(i + 1, num(ns.get(i).get("position")));
            assertEquals(i + 1, num(ns.get(i).get("nsid")));
        }
        assertEquals("error", ns.get(2).get("status"));
        assertEquals("status", map(ns.get(2).get("error")).get("kind"));
        assertEquals("0x400b", map(ns.get(2).get("error")).get("status"));
        assertEquals(Boolean.TRUE, map(ns.get(2).get("error")).get("dnr"));
        assertEquals("vanished", map(ns.get(4).get("error")).get("kind"));
        assertEquals("timeout", map(ns.get(6).get("error")).get("kind"));
        assertEquals("ok", ns.get(5).get("status"));
        assertEquals(2, num(ns.get(5).get("csi")));
        assertNotNull(ns.get(5).get("zns"));
        assertEquals("0x2", list(ns.get(5).get("ns-descs")).getLast().get("csi"));
        Map<String, Object> summary = map(doc.get("summary"));
        assertEquals(8, num(summary.get("namespaces")));
        assertEquals(3, num(summary.get("failed")));
        assertEquals(Boolean.FALSE, summary.get("cancelled"));
    }

    @Test
    void scanNdjsonIsOneObjectPerLine() {
        Run r = run("scan", "-o", "ndjson", "--mode", "unordered", "sim:?namespaces=20&latency=0ms..2ms");
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals(22, lines.size());
        assertEquals("controller", MiniJson.object(lines.getFirst()).get("type"));
        assertEquals("summary", MiniJson.object(lines.getLast()).get("type"));
        long distinct = lines.subList(1, 21).stream().map(MiniJson::object)
                .peek(o -> assertEquals("namespace", o.get("type"))).map(o -> num(o.get("nsid"))).distinct().count();
        assertEquals(20, distinct);
    }

    @Test
    void normalScanPrintsOneLinePerNamespaceAndASummary() {
        Run r = run("scan", "sim:?namespaces=3&fail=2:0x4002");
        assertEquals(1, r.code());
        assertTrue(r.out().contains("error (status)"), r.out());
        assertTrue(r.out().contains("Invalid Field in Command"), r.out());
        assertTrue(r.out().contains("3 namespaces (1 failed)"), r.out());
    }

    @Test
    void idCtrlJsonUsesNvmeCliKeysAndFormats() {
        Run r = run("id-ctrl", "-o", "json", "sim:?namespaces=2");
        assertEquals(0, r.code(), r.err());
        Map<String, Object> c = MiniJson.object(r.out());
        assertEquals(List.of("vid", "ssvid", "sn", "mn", "fr", "rab", "ieee"), List.copyOf(c.keySet()).subList(0, 7));
        assertInstanceOf(BigDecimal.class, c.get("vid"));
        assertInstanceOf(String.class, c.get("tnvmcap"), "128-bit counters are decimal strings");
        new BigDecimal((String) c.get("tnvmcap"));
        assertEquals(c.get("sn"), ((String) c.get("sn")).trim());
        assertEquals(2, num(c.get("nn")));
        assertFalse(list(c.get("psds")).isEmpty());
        assertTrue(list(c.get("psds")).getFirst().containsKey("max_power"));
    }

    @Test
    void idNsJsonUsesNvmeCliKeysAndFormats() {
        Run r = run("id-ns", "-n", "2", "-o", "json", "sim:?namespaces=2&lba=4096");
        assertEquals(0, r.code(), r.err());
        Map<String, Object> n = MiniJson.object(r.out());
        assertEquals(List.of("nsze", "ncap", "nuse", "nsfeat", "nlbaf", "flbas"), List.copyOf(n.keySet()).subList(0, 6));
        assertInstanceOf(String.class, n.get("nvmcap"));
        assertTrue(((String) n.get("nguid")).matches("[0-9a-f]{32}"));
        assertTrue(((String) n.get("eui64")).matches("[0-9a-f]{16}"));
        List<Map<String, Object>> lbafs = list(n.get("lbafs"));
        assertEquals(num(n.get("nlbaf")) + 1, lbafs.size());
        assertEquals(List.of("ms", "ds", "rp"), List.copyOf(lbafs.getFirst().keySet()));
        assertEquals(12, num(lbafs.get((int) num(n.get("flbas")) & 0xf).get("ds")));
    }

    @Test
    void listNsReadsEveryPage() {
        Run r = run("list-ns", "-o", "json", "sim:?namespaces=1500");
        assertEquals(0, r.code(), r.err());
        List<Map<String, Object>> l = list(MiniJson.object(r.out()).get("nsid_list"));
        assertEquals(1500, l.size());
        assertEquals(List.of("nsid"), List.copyOf(l.getFirst().keySet()));
        assertEquals(1500, num(l.getLast().get("nsid")));
        Run text = run("list-ns", "sim:?nsids=1,10");
        assertEquals("[   0]:0x1\n[   1]:0xa\n", text.out());
    }

    @Test
    void nsDescsJsonShape() {
        Run r = run("ns-descs", "-n", "1", "-o", "json", "sim:?namespaces=1");
        assertEquals(0, r.code(), r.err());
        List<Map<String, Object>> d = list(MiniJson.object(r.out()).get("ns-descs"));
        assertEquals(List.of("loc", "nidt", "nidl", "Type", "eui64"), List.copyOf(d.getFirst().keySet()));
        assertEquals(0, num(d.getFirst().get("loc")));
        assertEquals(4 + num(d.getFirst().get("nidl")), num(d.get(1).get("loc")));
    }

    @Test
    void exitCodes() {
        Run missing = run("scan", tmp.resolve("nvme9").toString());
        assertEquals(3, missing.code());
        assertEquals("nvmescan: " + tmp.resolve("nvme9") + ": No such file or directory\n", missing.err());
        Run badSpec = run("scan", "sim:?namespaces=x");
        assertEquals(2, badSpec.code());
        assertTrue(badSpec.err().startsWith("nvmescan: sim parameter 'namespaces'"), badSpec.err());
        assertEquals(2, run("scan", "--bogus", "sim:").code());
        assertEquals(2, run("id-ns", "sim:").code(), "-n is required");
        Run status = run("id-ns", "-n", "1", "sim:?fail=1:0x400b");
        assertEquals(1, status.code());
        assertTrue(status.err().contains("0x400b"), status.err());
        assertEquals(3, run("scan", "sim:?fail=0:0x4002").code(), "Identify Controller failed");
        assertEquals(0, run("scan", "sim:?namespaces=2").code());
    }

    @Test
    void helpTeachesExitCodesAndSimExamples() {
        Run r = run("--help");
        assertEquals(0, r.code());
        assertTrue(r.out().lines().anyMatch(l -> l.strip().equals("sim:?namespaces=100&latency=150ms")),
                "a sim: spec on a line of its own, never broken: " + r.out());
        assertTrue(r.out().lines().noneMatch(l -> l.endsWith("sim:?") || l.endsWith("&")), r.out());
        assertTrue(r.out().contains("device could not be opened, is not NVMe"), r.out());
        for (String code : List.of("130", "143", "4 "))
            assertTrue(r.out().contains(code), r.out());
        Run scan = run("scan", "--help");
        assertTrue(scan.out().contains("--check-naming") && scan.out().contains("--trace"), scan.out());
    }

    /** A fake sysfs and /dev: NSIDs 1 and 3 at list positions 1 and 2, the second named nvme0n3. */
    private void fakeTree() throws Exception {
        Path sys = tmp.resolve("sys/class/nvme/nvme0"), dev = tmp.resolve("dev");
        for (int nsid : new int[] {1, 3}) {
            Files.createDirectories(sys.resolve("nvme0n" + nsid));
            Files.writeString(sys.resolve("nvme0n" + nsid + "/nsid"), nsid + "\n");
            Files.createDirectories(dev);
            Files.createFile(dev.resolve("nvme0n" + nsid));
        }
        Files.createFile(dev.resolve("ng0n1"));
        Files.createDirectories(dev.resolve("disk/by-id"));
        Files.createSymbolicLink(dev.resolve("disk/by-id/nvme-eui.acde480000000001"), Path.of("../../nvme0n1"));
        Files.createSymbolicLink(dev.resolve("disk/by-id/nvme-sim_SN1"), Path.of("../../nvme0n1"));
        Files.createSymbolicLink(dev.resolve("disk/by-id/nvme-sim_SN1-part1"), Path.of("../../nvme0n1p1"));
    }

    @Test
    void namesKernelDevicesAndChecksNaming() throws Exception {
        fakeTree();
        Run r = run("scan", "-o", "json", "--check-naming", "--sysfs-controller", "nvme0", "sim:?nsids=1,3");
        assertEquals(0, r.code(), r.err());
        Map<String, Object> doc = MiniJson.object(r.out());
        List<Map<String, Object>> ns = list(doc.get("namespaces"));
        Path dev = tmp.resolve("dev");
        assertEquals(dev.resolve("nvme0n1").toString(), ns.get(0).get("block_device"));
        assertEquals(dev.resolve("ng0n1").toString(), ns.get(0).get("generic_device"));
        assertEquals(List.of(dev.resolve("disk/by-id/nvme-eui.acde480000000001").toString(),
                dev.resolve("disk/by-id/nvme-sim_SN1").toString()), ns.get(0).get("by_id"));
        assertNull(ns.get(1).get("generic_device"));
        List<Map<String, Object>> naming = list(doc.get("naming"));
        assertEquals(1, naming.size());
        assertEquals(3, num(naming.getFirst().get("nsid")));
        assertEquals(2, num(naming.getFirst().get("position")));
        assertEquals(3, num(naming.getFirst().get("index")));
        Run text = run("scan", "--check-naming", "--sysfs-controller", "nvme0", "sim:?nsids=1,3");
        assertTrue(text.out().contains("NSID 3 at position 2 is " + dev.resolve("nvme0n3")), text.out());
    }

    @Test
    void multipathNamesComeFromTheSubsystemHead() throws Exception {
        Path sys = tmp.resolve("sys");
        Files.createDirectories(sys.resolve("class/nvme/nvme1/nvme1c1n1"));
        Files.writeString(sys.resolve("class/nvme/nvme1/nvme1c1n1/nsid"), "1\n");
        Files.createDirectories(sys.resolve("class/nvme-subsystem/nvme-subsys0/nvme1"));
        Files.createDirectories(sys.resolve("class/nvme-subsystem/nvme-subsys0/nvme0n1"));
        Files.writeString(sys.resolve("class/nvme-subsystem/nvme-subsys0/nvme0n1/nsid"), "1\n");
        Files.createDirectories(sys.resolve("class/nvme-subsystem/nvme-subsys1/nvme2"));
        KernelNames names = KernelNames.read(sys, tmp.resolve("dev"), "nvme1");
        assertEquals(tmp.resolve("dev/nvme0n1").toString(), names.lookup(1).block().orElseThrow());
        assertEquals(KernelDevices.NONE, names.lookup(2));
        assertEquals(List.of("nvme1"), KernelNames.controllers(sys));
        assertEquals("nvme1", KernelNames.controllerOf("/dev/ng1n3").orElseThrow());
    }

    @Test
    void traceIsChromeTraceEventJson() throws Exception {
        Path trace = tmp.resolve("trace.json");
        Run r = run("scan", "-o", "ndjson", "--trace", trace.toString(), "sim:?namespaces=10&latency=0ms..1ms&fail=4:0x4002");
        assertEquals(1, r.code(), r.err());
        List<Map<String, Object>> events = list(MiniJson.object(Files.readString(trace)).get("traceEvents"));
        long commands = events.stream().filter(e -> "X".equals(e.get("ph"))).count();
        long publishes = events.stream().filter(e -> "i".equals(e.get("ph"))).count();
        Map<String, Object> summary = MiniJson.object(r.out().lines().toList().getLast());
        assertEquals(num(summary.get("commands")), commands);
        assertEquals(10, publishes);
        for (Map<String, Object> e : events)
            if ("X".equals(e.get("ph")))
                assertTrue(((BigDecimal) e.get("dur")).signum() >= 0);
        Map<String, Object> milestones = map(MiniJson.object(Files.readString(trace)).get("otherData"));
        double first = ((BigDecimal) milestones.get("first_publication_ms")).doubleValue();
        double done = ((BigDecimal) milestones.get("last_command_done_ms")).doubleValue();
        double last = ((BigDecimal) milestones.get("last_publication_ms")).doubleValue();
        assertTrue(0 < first && first <= last && done <= last, milestones.toString());
        assertEquals(last - done, ((BigDecimal) milestones.get("publication_tail_ms")).doubleValue(), 0.002);
    }

    @Test
    void cancellationEndsWithCompleteJsonAndExit130() throws Exception {
        CliEnvironment env = new CliEnvironment(tmp.resolve("sys"), tmp.resolve("dev"), false);
        StringWriter out = new StringWriter();
        var cl = Nvmescan.commandLine(env);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(new StringWriter(), true));
        CompletableFuture<Integer> code = CompletableFuture.supplyAsync(
                () -> cl.execute("scan", "-o", "json", "sim:?namespaces=5000&latency=2ms..8ms"));
        while (!out.toString().contains("\"position\": 20,"))     // some namespaces are out
            Thread.sleep(5);
        env.cancel();                                             // what Ctrl-C's shutdown hook does
        assertEquals(130, code.get(30, TimeUnit.SECONDS));
        Map<String, Object> doc = MiniJson.object(out.toString());
        List<Map<String, Object>> ns = list(doc.get("namespaces"));
        assertTrue(ns.size() >= 20 && ns.size() < 5000, "published " + ns.size());
        for (int i = 0; i < ns.size(); i++)
            assertEquals(i + 1, num(ns.get(i).get("position")));
        assertEquals(Boolean.TRUE, map(doc.get("summary")).get("cancelled"));
    }

    @Test
    void listWithoutControllersSaysSo() {
        Run r = run("list");
        assertEquals(0, r.code());
        assertTrue(r.out().startsWith("No NVMe controllers found"), r.out());
        Run j = run("list", "-o", "json");
        assertEquals(List.of(), MiniJson.object(j.out()).get("Devices"));
    }

    /** A standard output whose every write fails, as a full disk or a closed pipe does. */
    private static PrintWriter failingOutput() {
        return new PrintWriter(new java.io.OutputStream() {
            @Override
            public void write(int b) throws java.io.IOException {
                throw new java.io.IOException("No space left on device");
            }
        });
    }

    /** NSID 40 never answers: a scan that went on after its output failed would wait out its 60 s timeout. */
    @Test
    @org.junit.jupiter.api.Timeout(30)
    void aScanWhoseOutputCannotBeWrittenStopsAndExitsFour() {
        for (String format : List.of("json", "ndjson", "normal")) {
            StringWriter err = new StringWriter();
            var cl = Nvmescan.commandLine(new CliEnvironment(tmp.resolve("sys"), tmp.resolve("dev"), false));
            PrintWriter out = failingOutput();
            cl.setOut(out);
            cl.setErr(new PrintWriter(err, true));
            int code = Nvmescan.written(cl.execute("scan", "-o", format, "sim:?namespaces=100&latency=1ms&hang=40"),
                    out, new PrintWriter(err, true), new java.io.IOException("No space left on device"));
            assertEquals(Nvmescan.OUTPUT, code, format + ": " + err);
            assertEquals("nvmescan: cannot write the output: No space left on device", err.toString().strip(), format);
        }
    }

    @Test
    void cancelledBeforeIdentifyControllerTheJsonIsStillADocument() throws Exception {
        CliEnvironment env = new CliEnvironment(tmp.resolve("sys"), tmp.resolve("dev"), false);
        env.cancel();                                   // Ctrl-C before the scan starts
        StringWriter out = new StringWriter();
        var cl = Nvmescan.commandLine(env);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(new StringWriter(), true));
        assertEquals(130, cl.execute("scan", "-o", "json", "sim:?namespaces=5&latency=50ms"));
        Map<String, Object> doc = MiniJson.object(out.toString());
        assertNull(doc.get("controller"));
        assertTrue(doc.containsKey("controller"));
        assertEquals(List.of(), doc.get("namespaces"));
        assertEquals(Boolean.TRUE, map(doc.get("summary")).get("cancelled"));
    }

    @Test
    void aTracePathThatCannotBeOpenedIsAUsageErrorInOneLine() {
        Run r = run("scan", "--trace", tmp.resolve("no/such/dir/t.json").toString(), "sim:?namespaces=2");
        assertEquals(2, r.code(), r.err());
        assertEquals(List.of("nvmescan: --trace " + tmp.resolve("no/such/dir/t.json") + ": cannot write it (No such file or directory)",
                "Try 'nvmescan scan --help' for more information."), r.err().lines().toList());
        assertEquals("", r.out());
    }

    @Test
    void aTraceThatCannotBeWrittenLeavesTheNamespacesHealthyAndExitsFour() {
        Run r = run("scan", "-o", "json", "--trace", "/dev/full", "sim:?namespaces=300&latency=0ms..1ms");
        assertEquals(Nvmescan.OUTPUT, r.code(), r.err());
        assertEquals("nvmescan: --trace /dev/full: No space left on device; the trace is incomplete", r.err().strip());
        List<Map<String, Object>> ns = list(MiniJson.object(r.out()).get("namespaces"));
        assertEquals(300, ns.size());
        assertTrue(ns.stream().allMatch(e -> "ok".equals(e.get("status"))), "no namespace turned into an error");
    }

    @Test
    void usageErrorsAreOneLineAndAHint() {
        Run r = run("scan", "--queue-depth", "lots", "sim:?namespaces=2");
        assertEquals(2, r.code());
        assertEquals(2, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("nvmescan: "), r.err());
        assertTrue(r.err().strip().endsWith("Try 'nvmescan scan --help' for more information."), r.err());
        Run unknown = run("scan", "--frobnicate", "sim:?namespaces=2");
        assertEquals(2, unknown.code());
        assertEquals(2, unknown.err().lines().count(), unknown.err());
    }

    @Test
    void checkNamingSaysWhenThereIsNothingToCheck() {
        Run r = run("scan", "--check-naming", "sim:?namespaces=3");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("naming: nothing to check"), r.out());
    }
}

package dev.nvmescan.scanner.cli;

import static org.junit.jupiter.api.Assertions.*;

import dev.nvmescan.scanner.sysfs.FakeSysfs;

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
        return run(new CliEnvironment(tmp, false, Map.of()), args);
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
        assertInstanceOf(BigDecimal.class, c.get("tnvmcap"), "128-bit counters are numbers, as in nvme-cli 2.16");
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
        assertInstanceOf(BigDecimal.class, n.get("nvmcap"));
        assertTrue(((String) n.get("nguid")).matches("[0-9a-f]{32}"));
        assertTrue(((String) n.get("eui64")).matches("[0-9a-f]{16}"));
        List<Map<String, Object>> lbafs = list(n.get("lbafs"));
        assertEquals(num(n.get("nlbaf")) + 1, lbafs.size());
        assertEquals(List.of("lbaf", "ms", "ds", "rp", "in_use"), List.copyOf(lbafs.getFirst().keySet()));
        assertEquals(12, num(lbafs.get((int) num(n.get("flbas")) & 0xf).get("ds")));
    }

    /** nvme-cli 2.16's stdout for the same simulated structure (see IdentifyTextTest). */
    private static String nvmeCli(String name) throws Exception {
        try (var in = NvmescanCliTest.class.getResourceAsStream("/dev/nvmescan/scanner/output/nvme-cli-2.16/" + name)) {
            assertNotNull(in, name);
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    @Test
    void identifyTextIsNvmeClis() throws Exception {
        assertEquals(new Run(0, nvmeCli("sim-id-ctrl.txt"), ""), run("id-ctrl", "sim:?namespaces=2&queue-depth=31"));
        assertEquals(new Run(0, nvmeCli("sim-id-ctrl-H.txt"), ""), run("id-ctrl", "-H", "sim:?namespaces=2&queue-depth=31"));
        assertEquals(new Run(0, nvmeCli("sim-id-ns-2.txt"), ""), run("id-ns", "-n", "2", "sim:?namespaces=2&lba=4096"));
        assertEquals(new Run(0, nvmeCli("sim-id-ns-2-H.txt"), ""),
                run("id-ns", "--human-readable", "-n", "2", "sim:?namespaces=2&lba=4096"));
        assertEquals(new Run(0, nvmeCli("sim-ns-descs-1.txt"), ""), run("ns-descs", "-n", "1", "sim:?namespaces=2"));
    }

    @Test
    void humanReadableJson() {
        Run plain = run("id-ctrl", "-o", "json", "sim:?namespaces=2");
        assertEquals(plain, run("id-ctrl", "-o", "json", "-H", "sim:?namespaces=2"), "2.16's JSON id-ctrl ignores -H");
        Run r = run("id-ns", "-n", "2", "-o", "json", "-H", "sim:?namespaces=2&lba=4096");
        assertEquals(0, r.code(), r.err());
        Map<String, Object> n = MiniJson.object(r.out());
        List<Map<String, Object>> lbafs = list(n.get("lbafs"));
        assertEquals(Map.of("LBA Format", BigDecimal.ONE, "Metadata Size", "0 bytes", "Data Size", "4096 bytes",
                "Relative Performance", "0x0 Best", "in use", "yes"), lbafs.get(1));
        assertEquals(List.of("LBA Format", "Metadata Size", "Data Size", "Relative Performance", "in use"),
                List.copyOf(lbafs.getFirst().keySet()));
        assertEquals("0x2 Good", lbafs.getFirst().get("Relative Performance"));
        assertEquals("no", lbafs.getFirst().get("in use"));
        Run without = run("id-ns", "-n", "2", "-o", "json", "sim:?namespaces=2&lba=4096");
        Map<String, Object> w = MiniJson.object(without.out());
        w.remove("lbafs");
        n.remove("lbafs");
        assertEquals(w, n, "only lbafs differ");
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

    /** A fake sysfs and /dev: PCIe nvme0 with NSIDs 1 and 3 at list positions 1 and 2, the second named nvme0n3. */
    private FakeSysfs fakeTree() throws Exception {
        FakeSysfs f = new FakeSysfs(tmp).subsystem(0, "nqn.2019-08.org.qemu:x").controller(0, 0, "pcie", "0000:00:04.0")
                .namespace(0, 1, 1).namespace(0, 3, 3)
                .byId("nvme-eui.acde480000000001", "nvme0n1").byId("nvme-sim_SN1", "nvme0n1")
                .byId("nvme-sim_SN1-part1", "nvme0n1p1");
        Files.delete(f.dev().resolve("ng0n3"));
        return f;
    }

    /** Runs with {@code dev/nvmeX} of the fake tree opened as the simulated controllers given. */
    private Run runSimulating(Map<String, String> controllers, String... args) {
        Map<String, String> channels = new java.util.HashMap<>();
        controllers.forEach((name, spec) -> channels.put(tmp.resolve("dev").resolve(name).toString(), spec));
        return run(new CliEnvironment(tmp, false, channels), args);
    }

    @Test
    void namesKernelDevicesAndChecksNaming() throws Exception {
        FakeSysfs f = fakeTree();
        String nvme0 = f.dev().resolve("nvme0").toString();
        Run r = runSimulating(Map.of("nvme0", "sim:?nsids=1,3"), "scan", "-o", "json", "--check-naming", nvme0);
        assertEquals(0, r.code(), r.err());
        Map<String, Object> doc = MiniJson.object(r.out());
        List<Map<String, Object>> ns = list(doc.get("namespaces"));
        Path dev = f.dev();
        assertEquals(dev.resolve("nvme0n1").toString(), ns.get(0).get("block_device"));
        assertEquals(dev.resolve("ng0n1").toString(), ns.get(0).get("generic_device"));
        assertEquals(List.of(dev.resolve("disk/by-id/nvme-eui.acde480000000001").toString(),
                dev.resolve("disk/by-id/nvme-sim_SN1").toString()), ns.get(0).get("by_id"));
        assertNull(ns.get(1).get("generic_device"));
        assertNull(ns.get(0).get("paths"), "no paths without multipath");
        List<Map<String, Object>> naming = list(doc.get("naming"));
        assertEquals(1, naming.size());
        assertEquals(3, num(naming.getFirst().get("nsid")));
        assertEquals(2, num(naming.getFirst().get("position")));
        assertEquals(3, num(naming.getFirst().get("index")));
        Run text = runSimulating(Map.of("nvme0", "sim:?nsids=1,3"), "scan", "--check-naming", nvme0);
        assertTrue(text.out().contains("NSID 3 at position 2 is " + dev.resolve("nvme0n3")), text.out());
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
        CliEnvironment env = new CliEnvironment(tmp, false, Map.of());
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

    static final String PCIE_NQN = "nqn.2019-08.org.qemu:pcie", MP_NQN = "nqn.2024-01.io.nvmescan:mp";

    /**
     * PCIe nvme0 (nvme-subsys0) with NSIDs 1 and 7, the kernel having named NSID 7 nvme0n1; a multipath
     * subsystem nvme-subsys1 reached through nvme1 and nvme3, NSIDs 1 and 2 as heads nvme1n1 and nvme1n2.
     */
    private FakeSysfs hostTree() {
        FakeSysfs.write(tmp.resolve("etc/nvme"), "hostnqn", "nqn.2014-08.org.nvmexpress:uuid:00000000-0000-0000-0000-00000000cafe");
        FakeSysfs.write(tmp.resolve("etc/nvme"), "hostid", "00000000-0000-0000-0000-00000000cafe");
        return new FakeSysfs(tmp).subsystem(0, PCIE_NQN).controller(0, 0, "pcie", "0000:00:04.0")
                .namespace(0, 1, 7).namespace(0, 2, 1)
                .subsystem(1, MP_NQN).controller(1, 1, "tcp", "traddr=127.0.0.1,trsvcid=4420")
                .controller(3, 1, "tcp", "traddr=127.0.0.1,trsvcid=4421").head(1, 1, 1, 1, 3).head(1, 2, 2, 1, 3);
    }

    private static final Map<String, String> HOST_SIMS = Map.of("nvme0", "sim:?nsids=1,7&latency=0ms..3ms",
            "nvme1", "sim:?nsids=1,2&latency=2ms", "nvme3", "sim:?nsids=1,2");

    @Test
    void listJsonIsNvmeClisWithEachMultipathNamespaceOnce() throws Exception {
        FakeSysfs f = hostTree();
        FakeSysfs.write(f.sys().resolve("class/nvme/nvme0/nvme0n1"), "size", "0");   // a format the kernel cannot use
        Run r = runSimulating(HOST_SIMS, "list", "-o", "json");
        assertEquals(0, r.code(), r.err());
        List<Map<String, Object>> d = list(MiniJson.object(r.out()).get("Devices"));
        assertEquals(List.of(1L, 7L, 1L, 2L), d.stream().map(m -> num(m.get("NameSpace"))).toList(),
                "subsystem NQN, then controller, then NSID-list order; heads once");
        assertEquals(List.of("NameSpace", "DevicePath", "GenericPath", "Firmware", "ModelNumber", "SerialNumber",
                "UsedBytes", "MaximumLBA", "PhysicalSize", "SectorSize"), List.copyOf(d.getFirst().keySet()));
        assertEquals(f.dev().resolve("nvme0n2").toString(), d.get(0).get("DevicePath"));
        assertEquals(f.dev().resolve("ng0n2").toString(), d.get(0).get("GenericPath"));
        assertEquals("SERIAL0", d.get(0).get("SerialNumber"));
        assertEquals(2097152, num(d.get(0).get("MaximumLBA")));
        assertEquals(2097152L * 512, num(d.get(0).get("PhysicalSize")));
        assertEquals(512, num(d.get(0).get("SectorSize")));
        assertEquals(0, num(d.get(1).get("PhysicalSize")), "the block device's size, as libnvme reads it");
        assertEquals(f.dev().resolve("nvme1n1").toString(), d.get(2).get("DevicePath"));
        assertEquals("SUBSYS1", d.get(2).get("SerialNumber"), "a head reports its subsystem's serial");
        Run text = runSimulating(HOST_SIMS, "list");
        assertEquals(0, text.code(), text.err());
        List<String> lines = text.out().lines().toList();
        assertEquals(6, lines.size(), text.out());
        assertTrue(lines.getFirst().startsWith("Node                  Generic "), lines.getFirst());
        assertTrue(lines.get(2).contains("0x1 ") && lines.get(2).contains("1.07  GB /   1.07  GB"), lines.get(2));
        assertTrue(lines.get(2).contains("512   B +  0 B"), lines.get(2));
    }

    @Test
    void listVerboseJsonIsNvmeClisTree() {
        hostTree();
        Run r = runSimulating(HOST_SIMS, "list", "-v", "-o", "json");
        assertEquals(0, r.code(), r.err());
        List<Map<String, Object>> hosts = list(MiniJson.object(r.out()).get("Devices"));
        assertEquals(1, hosts.size(), "PCIe's default host is the one TCP connected with: " + hosts);
        assertEquals(List.of("HostNQN", "HostID", "Subsystems"), List.copyOf(hosts.getFirst().keySet()));
        List<Map<String, Object>> subsystems = list(hosts.getFirst().get("Subsystems"));
        assertEquals(List.of("nvme-subsys0", "nvme-subsys1"), subsystems.stream().map(m -> m.get("Subsystem")).toList());
        Map<String, Object> pcie = list(subsystems.getFirst().get("Controllers")).getFirst();
        assertEquals(List.of("Controller", "Cntlid", "SerialNumber", "ModelNumber", "Firmware", "Transport", "Address",
                "Slot", "Namespaces", "Paths"), List.copyOf(pcie.keySet()));
        assertEquals("", pcie.get("Slot"), "libnvme's empty string for no slot");
        assertEquals("1", pcie.get("Cntlid"));
        assertEquals(List.of("nvme0n2", "nvme0n1"), list(pcie.get("Namespaces")).stream().map(m -> m.get("NameSpace")).toList());
        assertEquals(List.of("NameSpace", "Generic", "NSID", "UsedBytes", "MaximumLBA", "PhysicalSize", "SectorSize"),
                List.copyOf(list(pcie.get("Namespaces")).getFirst().keySet()));
        assertEquals("ng0n2", list(pcie.get("Namespaces")).getFirst().get("Generic"));
        assertEquals(List.of(), pcie.get("Paths"));
        assertEquals(List.of(), list(subsystems.getFirst().get("Namespaces")));
        Map<String, Object> mp = subsystems.get(1);
        assertEquals(MP_NQN, mp.get("SubsystemNQN"));
        List<Map<String, Object>> ctrls = list(mp.get("Controllers"));
        assertEquals(List.of("nvme1", "nvme3"), ctrls.stream().map(m -> m.get("Controller")).toList());
        assertEquals(List.of(), ctrls.getFirst().get("Namespaces"));
        assertEquals(List.of(Map.of("Path", "nvme1c3n1", "ANAState", "non-optimized"),
                Map.of("Path", "nvme1c3n2", "ANAState", "non-optimized")), ctrls.get(1).get("Paths"));
        assertEquals(List.of("nvme1n1", "nvme1n2"), list(mp.get("Namespaces")).stream().map(m -> m.get("NameSpace")).toList());
        Run text = runSimulating(HOST_SIMS, "list", "-v");
        assertEquals(0, text.code(), text.err());
        assertTrue(text.out().contains("nvme1, nvme3"), text.out());
        assertEquals(2, runSimulating(HOST_SIMS, "list", "-v", "-o", "ndjson").code());
    }

    @Test
    void scanAllScansEveryControllerAtOnceInControllerOrder() {
        hostTree();
        Run r = runSimulating(HOST_SIMS, "scan", "--all", "-o", "json");
        assertEquals(0, r.code(), r.err());
        Map<String, Object> doc = MiniJson.object(r.out());
        List<Map<String, Object>> ctrls = list(doc.get("controllers"));
        assertEquals(List.of("nvme0", "nvme1", "nvme3"), ctrls.stream()
                .map(c -> Path.of((String) c.get("device")).getFileName().toString()).toList());
        assertEquals(List.of(1L, 7L), list(ctrls.get(0).get("namespaces")).stream().map(m -> num(m.get("nsid"))).toList());
        Map<String, Object> head = list(ctrls.get(1).get("namespaces")).getFirst();
        assertEquals(tmp.resolve("dev/nvme1n1").toString(), head.get("block_device"));
        assertEquals(List.of("nvme1c1n1", "nvme1c3n1"), head.get("paths"));
        assertEquals(List.of(), ctrls.get(2).get("namespaces"), "nvme3 reaches only namespaces nvme1 listed");
        assertEquals(2, num(map(ctrls.get(2).get("summary")).get("shared")));
        Map<String, Object> summary = map(doc.get("summary"));
        assertEquals(3, num(summary.get("controllers")));
        assertEquals(4, num(summary.get("namespaces")));
        assertEquals(2, num(summary.get("shared")));
        Run text = runSimulating(HOST_SIMS, "scan", "--all");
        assertTrue(text.out().contains("2 listed under an earlier controller"), text.out());
        assertTrue(text.out().contains("paths nvme1c1n1 nvme1c3n1"), text.out());
        assertTrue(text.out().contains("3 controllers: 4 namespaces (0 failed, 2 more paths to them)"), text.out());
    }

    @Test
    void severalDevicesAreScannedInTheOrderGiven() {
        Run r = run("scan", "-o", "json", "sim:?namespaces=3&latency=5ms", "sim:?fail=0:0x4002", "sim:?nsids=4,8");
        assertEquals(3, r.code(), "a controller failed");
        assertTrue(r.err().startsWith("nvmescan: sim:?fail=0:0x4002: "), r.err());
        List<Map<String, Object>> ctrls = list(MiniJson.object(r.out()).get("controllers"));
        assertEquals(3, ctrls.size());
        assertEquals(3, list(ctrls.get(0).get("namespaces")).size());
        assertEquals(List.of("device", "error"), List.copyOf(ctrls.get(1).keySet()));
        assertEquals(List.of(4L, 8L), list(ctrls.get(2).get("namespaces")).stream().map(m -> num(m.get("nsid"))).toList());
        assertEquals(1, num(map(MiniJson.object(r.out()).get("summary")).get("failed_controllers")));
        assertEquals(2, run("scan").code(), "a DEVICE or --all");
        assertEquals(2, run("scan", "--all", "sim:").code());
        assertEquals(2, run("scan", "--trace", tmp.resolve("t").toString(), "sim:", "sim:").code());
    }

    @Test
    void listGoesOnPastAControllerItCannotOpen() {
        hostTree();
        Map<String, String> sims = new java.util.HashMap<>(HOST_SIMS);
        sims.remove("nvme0");                                   // dev/nvme0 is a plain file: not NVMe
        Run r = runSimulating(sims, "list", "-o", "json");
        assertEquals(3, r.code());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("nvmescan: " + tmp.resolve("dev/nvme0")), r.err());
        assertEquals(2, list(MiniJson.object(r.out()).get("Devices")).size());
    }

    @Test
    void udevRulesMakeBothLinksPerSubsystemKeyedOnSysfsAttributes() throws Exception {
        hostTree();
        FakeSysfs.write(tmp.resolve("etc/nvmescan"), "aliases", "# NAME NQN\nprod " + MP_NQN + "\n");
        Run r = runSimulating(HOST_SIMS, "udev-rules");
        assertEquals(0, r.code(), r.err());
        List<String> rules = r.out().lines().toList();
        String pcie = "ENV{NVMESCAN_SUBSYSNQN}!=\"" + PCIE_NQN + "\", GOTO=\"nvmescan_1\"";
        assertTrue(rules.contains(pcie), r.out());
        assertTrue(rules.contains("ATTR{nsid}==\"?*\", SYMLINK+=\"nvmescan/" + PCIE_NQN + "/nsid/$attr{nsid}\""), r.out());
        assertEquals("ATTR{wwid}==\"" + FakeSysfs.wwid(PCIE_NQN, 1) + "\", SYMLINK+=\"nvmescan/" + PCIE_NQN + "/position/1\"",
                rules.get(rules.indexOf(pcie) + 2), "NSID 1 is first in the list, whatever the kernel named it");
        assertEquals("ATTR{wwid}==\"" + FakeSysfs.wwid(PCIE_NQN, 7) + "\", SYMLINK+=\"nvmescan/" + PCIE_NQN + "/position/2\"",
                rules.get(rules.indexOf(pcie) + 3));
        assertTrue(rules.contains("ATTR{nsid}==\"?*\", SYMLINK+=\"nvmescan/prod/nsid/$attr{nsid}\""), "the alias");
        assertEquals(2, rules.stream().filter(l -> l.contains("nvmescan/prod/position/")).count(),
                "one position link per multipath namespace, not per path");
        assertTrue(rules.contains("KERNEL==\"nvme*c*n*\", GOTO=\"nvmescan_end\""), "no links to hidden path devices");
        assertFalse(r.out().contains("nvme0n") || r.out().contains("nvme1"), "never a kernel instance number");
        Run install = runSimulating(HOST_SIMS, "udev-rules", "--install");
        assertEquals(0, install.code(), install.err());
        assertEquals(r.out(), Files.readString(tmp.resolve("etc/udev/rules.d/61-nvmescan.rules")));
        assertTrue(install.err().contains("udevadm control --reload"), install.err());
        assertEquals(2, runSimulating(HOST_SIMS, "udev-rules", "-o", "json").code());
    }

    @Test
    void namesShowEveryNamespacesLinksAndWhetherTheyAreInPlace() throws Exception {
        FakeSysfs f = hostTree();
        Path link = f.dev().resolve("nvmescan/" + PCIE_NQN + "/nsid/1"), pos = f.dev().resolve("nvmescan/" + PCIE_NQN + "/position/1");
        Files.createDirectories(link.getParent());
        Files.createDirectories(pos.getParent());
        Files.createSymbolicLink(link, Path.of("../../../nvme0n2"));           // as udev makes them
        Files.createSymbolicLink(pos, Path.of("../../../nvme0n2"));
        Run r = runSimulating(HOST_SIMS, "names", "-o", "json");
        assertEquals(0, r.code(), r.err());
        List<Map<String, Object>> ns = list(MiniJson.object(r.out()).get("namespaces"));
        assertEquals(4, ns.size(), "each multipath namespace once");
        Map<String, Object> first = ns.getFirst();
        assertEquals(1, num(first.get("nsid")));
        assertEquals(1, num(first.get("position")));
        assertEquals(f.dev().resolve("nvme0n2").toString(), first.get("block_device"));
        assertEquals(FakeSysfs.wwid(PCIE_NQN, 1), first.get("unique_id"));
        assertEquals(List.of(link.toString(), pos.toString()), first.get("links"));
        assertEquals(Boolean.TRUE, first.get("installed"));
        assertEquals(Boolean.FALSE, ns.get(1).get("installed"));
        assertEquals(f.dev().resolve("nvme1n2").toString(), ns.get(3).get("block_device"), "the head");
        assertEquals(List.of(f.dev().resolve("nvmescan/" + MP_NQN + "/nsid/2").toString(),
                f.dev().resolve("nvmescan/" + MP_NQN + "/position/2").toString()), ns.get(3).get("links"));
        Run text = runSimulating(HOST_SIMS, "names");
        assertTrue(text.out().contains("(not installed)") && text.out().contains("subsystem " + MP_NQN), text.out());
    }

    @Test
    void diffReportsExactlyWhatDrifted() throws Exception {
        FakeSysfs f = hostTree();
        Run snap = runSimulating(HOST_SIMS, "scan", "--all", "-o", "json");
        assertEquals(0, snap.code(), snap.err());
        Path snapshot = tmp.resolve("snapshot.json");
        Files.writeString(snapshot, snap.out());
        Run same = runSimulating(HOST_SIMS, "diff", snapshot.toString());
        assertEquals(0, same.code(), same.out() + same.err());
        assertEquals("no drift: 4 namespaces as in " + snapshot + "\n", same.out());

        // a reconnect: the kernel named NSIDs 1 and 7 the other way round
        FakeSysfs.write(f.sys().resolve("class/nvme/nvme0/nvme0n1"), "nsid", "1");
        FakeSysfs.write(f.sys().resolve("class/nvme/nvme0/nvme0n2"), "nsid", "7");
        Run moved = runSimulating(HOST_SIMS, "diff", "-o", "json", snapshot.toString());
        assertEquals(1, moved.code(), moved.err());
        Map<String, Object> d = MiniJson.object(moved.out());
        assertEquals(List.of("added", "removed", "changed", "moved"), List.copyOf(d.keySet()));
        assertEquals(List.of(), d.get("added"));
        assertEquals(List.of(), d.get("removed"));
        assertEquals(List.of(), d.get("changed"));
        List<Map<String, Object>> m = list(d.get("moved"));
        assertEquals(2, m.size());
        assertEquals(1, num(m.getFirst().get("nsid")));
        assertEquals(PCIE_NQN, m.getFirst().get("subsystem"));
        assertEquals(f.dev().resolve("nvme0n2").toString(), m.getFirst().get("before"));
        assertEquals(f.dev().resolve("nvme0n1").toString(), m.getFirst().get("after"));

        // NSID 7 deleted, 9 created, NSID 1 reformatted to 4096-byte blocks (the same capacity)
        Map<String, String> sims = new java.util.HashMap<>(HOST_SIMS);
        sims.put("nvme0", "sim:?nsids=1,9&lba=4096");
        Run drift = runSimulating(sims, "diff", "-o", "json", snapshot.toString());
        assertEquals(1, drift.code(), drift.err());
        d = MiniJson.object(drift.out());
        assertEquals(List.of(9L), list(d.get("added")).stream().map(a -> num(a.get("nsid"))).toList());
        assertEquals(List.of(7L), list(d.get("removed")).stream().map(a -> num(a.get("nsid"))).toList());
        assertEquals(List.of("format"), list(d.get("changed")).stream().map(c -> c.get("kind")).toList());
        assertEquals(512, num(list(d.get("changed")).getFirst().get("before")));
        assertEquals(4096, num(list(d.get("changed")).getFirst().get("after")));
        Run text = runSimulating(sims, "diff", snapshot.toString());
        assertTrue(text.out().contains("drift since " + snapshot + ": 1 added, 1 removed, 1 changed, 1 moved"), text.out());

        // only the subsystem of the DEVICE given
        Run one = runSimulating(HOST_SIMS, "diff", snapshot.toString(), f.dev().resolve("nvme1").toString());
        assertEquals(0, one.code(), one.out());
        assertTrue(one.out().startsWith("no drift: 2 namespaces"), one.out());
    }

    @Test
    void diffNeedsAReadableSnapshot() throws Exception {
        Run missing = run("diff", tmp.resolve("none.json").toString());
        assertEquals(2, missing.code());
        assertEquals("nvmescan: " + tmp.resolve("none.json") + ": no such file", missing.err().lines().findFirst().orElseThrow());
        Path bad = tmp.resolve("bad.json");
        Files.writeString(bad, "{\"Devices\": []}");
        Run wrong = run("diff", bad.toString());
        assertEquals(2, wrong.code());
        assertTrue(wrong.err().contains("not a scan -o json document"), wrong.err());
        Files.writeString(bad, "{\"controllers\": [");
        assertTrue(run("diff", bad.toString()).err().contains("not JSON: unexpected end"));
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
            var cl = Nvmescan.commandLine(new CliEnvironment(tmp, false, Map.of()));
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
        CliEnvironment env = new CliEnvironment(tmp, false, Map.of());
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

    /** One run whose standard output takes bytes, as the process's does: exit code, stdout bytes, stderr. */
    private record BinaryRun(int code, byte[] out, String err) {}

    private BinaryRun runBinary(String... args) {
        var bytes = new java.io.ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        var cl = Nvmescan.commandLine(new CliEnvironment(tmp, false, Map.of()));
        cl.setOut(new ByteWriter(bytes));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new BinaryRun(code, bytes.toByteArray(), err.toString());
    }

    @Test
    void rawBinaryIsTheIdentifyStructureTheDecoderReads() {
        String sim = "sim:?namespaces=3&lba=4096";
        long vid = num(MiniJson.object(run("id-ctrl", "-o", "json", sim).out()).get("vid"));
        for (List<String> args : List.of(List.of("id-ctrl", "-o", "binary"), List.of("id-ctrl", "-b"),
                List.of("id-ctrl", "--raw-binary"), List.of("id-ns", "-n", "2", "-b"), List.of("id-ns", "-n", "2", "-o", "binary"),
                List.of("ns-descs", "-n", "2", "--raw-binary"), List.of("ns-descs", "-n", "2", "-o", "json", "-b"))) {
            List<String> all = new java.util.ArrayList<>(args);
            all.add(sim);
            BinaryRun r = runBinary(all.toArray(String[]::new));
            assertEquals(0, r.code(), args + ": " + r.err());
            assertEquals("", r.err(), args.toString());
            assertEquals(4096, r.out().length, args.toString());
            var data = java.lang.foreign.MemorySegment.ofArray(r.out());
            switch (args.getFirst()) {
                case "id-ctrl" -> {
                    assertEquals(vid, (r.out()[0] & 0xff) | (r.out()[1] & 0xff) << 8, "VID at offset 0");
                    assertEquals(vid, dev.nvmescan.nativebindings.identify.IdentifyController.decode(data).vid(), args.toString());
                }
                case "id-ns" -> assertEquals(num(MiniJson.object(run("id-ns", "-n", "2", "-o", "json", sim).out()).get("nsze")),
                        dev.nvmescan.nativebindings.identify.IdentifyNamespace.decode(data).nsze(), args.toString());
                default -> assertEquals(list(MiniJson.object(run("ns-descs", "-n", "2", "-o", "json", sim).out()).get("ns-descs")).size(),
                        dev.nvmescan.nativebindings.identify.NamespaceIdDescriptors.decode(data).descriptors().size(), args.toString());
            }
        }
    }

    @Test
    void binaryOutputIsRefusedInOneLineWhereThereIsNoRawStructure() {
        for (String command : List.of("scan", "list-ns", "bench", "list", "names", "udev-rules", "diff")) {
            Run r = command.equals("list") ? run(command, "-o", "binary") : run(command, "-o", "binary", "sim:?namespaces=2");
            assertEquals(2, r.code(), command + ": " + r.err());
            assertEquals(List.of("nvmescan: -o binary is for id-ctrl, id-ns and ns-descs (the raw Identify data)",
                    "Try 'nvmescan " + command + " --help' for more information."), r.err().lines().toList(), command);
            assertEquals("", r.out(), command);
        }
    }

    @Test
    void versionAndVerboseOnEverySubcommand() {
        String version = run("--version").out();
        assertEquals("nvmescan 0.1.0\n", version);
        for (String command : Nvmescan.commandLine(new CliEnvironment(tmp, false, Map.of())).getSubcommands().keySet()) {
            for (String v : List.of("-V", "--version")) {
                Run r = run(command, v);
                assertEquals(0, r.code(), command + " " + v + ": " + r.err());
                assertEquals(version, r.out(), command + " " + v);
            }
            Run help = run(command, "--help");
            assertTrue(help.out().contains("-v, --verbose"), command + " --help names -v:\n" + help.out());
        }
        assertEquals(run("id-ctrl", "-o", "json", "sim:?namespaces=2").out(),
                run("id-ctrl", "-v", "-o", "json", "sim:?namespaces=2").out(), "2.16's id-ctrl JSON has no verbose form");
    }

    @Test
    void verboseIdentifyIsNvmeClisVerboseFlag() {
        assertEquals(run("id-ctrl", "-H", "sim:?namespaces=2"), run("id-ctrl", "-v", "sim:?namespaces=2"));
        assertEquals(run("id-ns", "-H", "-n", "2", "sim:?namespaces=2"), run("id-ns", "-v", "-n", "2", "sim:?namespaces=2"));
        Run json = run("id-ns", "-v", "-n", "2", "-o", "json", "sim:?namespaces=2");
        assertEquals(run("id-ns", "-H", "-n", "2", "-o", "json", "sim:?namespaces=2"), json);
        assertTrue(json.out().contains("\"LBA Format\""), json.out());
        Run plain = run("ns-descs", "-n", "1", "sim:?namespaces=2"), verbose = run("ns-descs", "-v", "-n", "1", "sim:?namespaces=2");
        assertEquals(0, verbose.code(), verbose.err());
        assertFalse(plain.out().contains("loc"), plain.out());
        assertTrue(verbose.out().lines().anyMatch(l -> l.startsWith("loc")), verbose.out());
    }

    @Test
    void listNsVerboseIsNvmeClisIdentifierLines() {
        Run r = run("list-ns", "-v", "sim:?nsids=1,10");
        assertEquals(0, r.code(), r.err());
        assertEquals("Identifier    0: NSID 0x1\nIdentifier    1: NSID 0xa\n", r.out());
    }

    @Test
    void everyHelpFitsIn80ColumnsAndKeepsSimSpecsWhole() {
        var cl = Nvmescan.commandLine(new CliEnvironment(tmp, false, Map.of()));
        List<String> commands = new java.util.ArrayList<>(List.of(""));
        commands.addAll(cl.getSubcommands().keySet());
        for (String command : commands) {
            Run r = command.isEmpty() ? run("--help") : run(command, "--help");
            assertEquals(0, r.code(), command);
            for (String line : r.out().lines().toList()) {
                assertTrue(line.length() <= 80, (command.isEmpty() ? "nvmescan" : command) + " --help, "
                        + line.length() + " columns: " + line);
                assertFalse(line.endsWith("sim:?") || line.endsWith("&") || line.matches(".*'sim:\\?[^' ]*"),
                        command + " --help breaks a sim: spec: " + line);
            }
        }
    }

    @Test
    void timeoutsAreMillisecondsAndNsidsHexInTheCommandsAndTheirMessages() {
        Run r = run("id-ns", "--timeout", "20", "-n", "0x2", "sim:?namespaces=3&hang=2");
        assertEquals(3, r.code(), r.err());
        assertEquals("nvmescan: sim:?namespaces=3&hang=2: Identify (CNS 00h, NSID 2) timed out after 20 ms\n", r.err());
        assertEquals(run("id-ns", "-n", "3", "-o", "json", "sim:?namespaces=3").out(),
                run("id-ns", "-n", "0x3", "-o", "json", "--timeout", "5000", "sim:?namespaces=3").out());
    }
}

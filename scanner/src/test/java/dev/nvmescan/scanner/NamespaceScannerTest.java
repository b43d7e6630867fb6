package dev.nvmescan.scanner;

import static org.junit.jupiter.api.Assertions.*;

import dev.nvmescan.nativebindings.AdminChannel;
import dev.nvmescan.nativebindings.AdminCommand;
import dev.nvmescan.nativebindings.NvmeException;
import dev.nvmescan.nativebindings.identify.IdentifyDecodeException;
import dev.nvmescan.nativebindings.NvmeStatus;
import dev.nvmescan.nativebindings.NvmeStatusException;
import dev.nvmescan.nativebindings.sim.SimulatedController.Mode;
import dev.nvmescan.nativebindings.sim.SimulatedController;
import dev.nvmescan.scanner.sysfs.KernelNames;

import java.lang.foreign.MemorySegment;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class NamespaceScannerTest {

    /** Keeps what was published, checking that calls never overlap. */
    static final class Recorder implements ScanListener {
        final List<NamespaceEntry> entries = new ArrayList<>();
        private final AtomicLong inside = new AtomicLong();

        @Override
        public void published(NamespaceEntry entry) {
            assertEquals(1, inside.incrementAndGet(), "overlapping publications");
            entries.add(entry);
            inside.decrementAndGet();
        }

        List<Integer> nsids() {
            return entries.stream().map(NamespaceEntry::nsid).toList();
        }
    }

    private static ScanSummary scan(SimulatedController sim, NamespaceScanner.Options options, ScanListener l)
            throws Exception {
        return new NamespaceScanner(sim, options, KernelNames.none(), CommandObserver.NONE).scan(l);
    }

    private static NamespaceScanner.Options opts(ScanMode mode, int qd) {
        return new NamespaceScanner.Options(mode, qd, Duration.ZERO, 0);
    }

    @Test
    void publishesInListOrderUnderRandomLatenciesAndFaults() throws Exception {
        for (long seed = 1; seed <= 24; seed++) {
            Random rnd = new Random(seed);
            int count = 60 + rnd.nextInt(140);
            Set<Integer> ids = new HashSet<>();
            while (ids.size() < count)
                ids.add(1 + rnd.nextInt(5000));
            int[] nsids = ids.stream().mapToInt(Integer::intValue).sorted().toArray();
            SimulatedController.Builder b = SimulatedController.builder().nsids(nsids).seed(seed)
                    .mode(seed % 3 == 0 ? Mode.IOCTL : Mode.URING)
                    .latency(Duration.ZERO, Duration.ofMillis(3)).defaultTimeout(Duration.ofMillis(40));
            int failing = nsids[rnd.nextInt(count)], vanishing = nsids[rnd.nextInt(count)],
                    hanging = nsids[rnd.nextInt(count)];
            b.fail(failing, NvmeStatus.of(0, 0x0b)).vanish(vanishing).hang(hanging);
            Recorder r = new Recorder();
            ScanSummary s;
            try (SimulatedController sim = b.build()) {
                s = scan(sim, opts(ScanMode.ORDERED, 1 + rnd.nextInt(40)), r);
            }
            assertFalse(s.cancelled());
            assertEquals(count, s.namespaces(), "seed " + seed);
            for (int i = 0; i < count; i++) {
                NamespaceEntry e = r.entries.get(i);
                assertEquals(i + 1, e.position(), "seed " + seed);
                assertEquals(nsids[i], e.nsid(), "seed " + seed);
                if (e.nsid() == failing && failing != hanging && failing != vanishing) {
                    assertEquals("status", e.failure().kind());
                    assertEquals(0x0b, e.failure().status().orElseThrow().sc());
                } else if (e.nsid() == hanging) {
                    assertEquals("timeout", e.failure().kind(), "seed " + seed);
                } else if (e.nsid() == vanishing && vanishing != failing) {
                    assertEquals("vanished", e.failure().kind(), "seed " + seed);
                } else if (e.nsid() != failing && e.nsid() != vanishing) {
                    assertTrue(e.ok(), () -> "seed: unexpected failure " + e.failure());
                    assertTrue(e.namespace().nsze() > 0);
                }
            }
            long failures = r.entries.stream().filter(e -> !e.ok()).count();
            assertEquals(failures, s.failed());
            assertEquals(new HashSet<>(List.of(failing, vanishing, hanging)).size(), failures, "seed " + seed);
        }
    }

    @Test
    void pagesPast1024UntilTheListEnds() throws Exception {
        int[] nsids = new int[5000];
        for (int i = 0; i < nsids.length; i++)
            nsids[i] = 1 + 3 * i;                     // sparse, so paging must continue after the last NSID
        Recorder r = new Recorder();
        try (SimulatedController sim = SimulatedController.builder().nsids(nsids).build()) {
            ScanSummary s = scan(sim, NamespaceScanner.Options.defaults(), r);
            assertEquals(5000, s.namespaces());
            assertEquals(0, s.failed());
            // 1 Identify Controller, 5 list pages (4 full, 1 partial), 2 per namespace
            assertEquals(1 + 5 + 2 * 5000, s.commands());
        }
        for (int i = 0; i < nsids.length; i++)
            assertEquals(nsids[i], r.entries.get(i).nsid());
    }

    @Test
    void exactlyFullLastPageEndsWithAnEmptyPage() throws Exception {
        Recorder r = new Recorder();
        try (SimulatedController sim = SimulatedController.builder().namespaces(2048).build()) {
            ScanSummary s = scan(sim, NamespaceScanner.Options.defaults(), r);
            assertEquals(2048, s.namespaces());
            assertEquals(1 + 3 + 2 * 2048, s.commands());
        }
    }

    @Test
    void hundredThousandNamespacesWithBoundedWork() throws Exception {
        AtomicLong count = new AtomicLong(), last = new AtomicLong();
        ScanListener streaming = e -> {                // keeps nothing but two numbers
            assertEquals(last.get() + 1, e.position());
            last.set(e.position());
            count.incrementAndGet();
        };
        try (SimulatedController sim = SimulatedController.builder().namespaces(100_000).build()) {
            NamespaceScanner.Options o = NamespaceScanner.Options.defaults();
            NamespaceScanner scanner = new NamespaceScanner(sim, o, KernelNames.none(), CommandObserver.NONE);
            ScanSummary s = scanner.scan(streaming);
            assertEquals(100_000, s.namespaces());
            assertEquals(100_000, count.get());
            assertTrue(scanner.peakInProgress() <= o.window(),
                    "in progress " + scanner.peakInProgress() + " > window " + o.window());
            assertTrue(s.peakInFlight() <= o.queueDepth());
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void reachesTheQueueDepthWithEitherBackend(Mode mode) throws Exception {
        int qd = 30;
        try (SimulatedController sim = SimulatedController.builder().namespaces(400).mode(mode).queueDepth(31)
                .latency(Duration.ofMillis(4)).build()) {
            ScanSummary s = scan(sim, opts(ScanMode.ORDERED, qd), new Recorder());
            assertEquals(400, s.namespaces());
            assertTrue(sim.peakInFlight() >= 0.9 * qd, mode + ": peak in flight " + sim.peakInFlight());
            assertTrue(sim.peakInFlight() <= qd, mode + ": bound exceeded: " + sim.peakInFlight());
        }
    }

    @Test
    void sequentialKeepsOneCommandInFlightAndUnorderedPublishesAll() throws Exception {
        try (SimulatedController sim = SimulatedController.builder().namespaces(50)
                .latency(Duration.ZERO, Duration.ofMillis(1)).build()) {
            Recorder r = new Recorder();
            ScanSummary s = scan(sim, opts(ScanMode.SEQUENTIAL, 30), r);
            assertEquals(1, sim.peakInFlight());
            assertEquals(50, s.namespaces());
            assertEquals(rangeList(1, 50), r.nsids());
        }
        try (SimulatedController sim = SimulatedController.builder().namespaces(300)
                .latency(Duration.ZERO, Duration.ofMillis(2)).build()) {
            Recorder r = new Recorder();
            scan(sim, opts(ScanMode.UNORDERED, 30), r);
            assertEquals(rangeList(1, 300), r.nsids().stream().sorted().toList());
        }
    }

    @Test
    void zonedNamespacesGetTheirCommandSetIdentify() throws Exception {
        try (SimulatedController sim = SimulatedController.builder().namespaces(4).zoned(3).build()) {
            Recorder r = new Recorder();
            scan(sim, NamespaceScanner.Options.defaults(), r);
            assertEquals(AdminCommand.CSI_ZNS, r.entries.get(2).descriptors().csi());
            assertNotNull(r.entries.get(2).zoned());
            assertEquals(r.entries.get(2).namespace().lbafs().size(), r.entries.get(2).zoned().lbafe().size());
            assertNull(r.entries.get(0).zoned());
        }
    }

    @Test
    void controllerFailureIsThrown() {
        try (SimulatedController sim = SimulatedController.builder().fail(0, NvmeStatus.of(0, 2)).build()) {
            assertThrows(NvmeStatusException.class, () -> scan(sim, NamespaceScanner.Options.defaults(), new Recorder()));
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void cancellationPublishesAPrefixAndEndsEveryWorker(Mode mode) throws Exception {
        CountDownLatch some = new CountDownLatch(40);
        try (SimulatedController sim = SimulatedController.builder().namespaces(3000).mode(mode)
                .latency(Duration.ofMillis(2), Duration.ofMillis(10)).build()) {
            Recorder r = new Recorder();
            ScanListener l = e -> {
                r.published(e);
                some.countDown();
            };
            NamespaceScanner scanner = new NamespaceScanner(sim, NamespaceScanner.Options.defaults(),
                    KernelNames.none(), CommandObserver.NONE);
            Thread canceller = Thread.ofVirtual().start(() -> {
                try {
                    some.await();
                } catch (InterruptedException e) {
                    return;
                }
                scanner.cancel();
            });
            ScanSummary s = scanner.scan(l);
            canceller.join();
            assertTrue(s.cancelled());
            assertFalse(Thread.currentThread().isInterrupted(), "cancel() must not leave the caller interrupted");
            int n = r.entries.size();
            assertTrue(n >= 40 && n < 3000, "published " + n);
            assertEquals(n, s.namespaces());
            assertEquals(rangeList(1, n), r.nsids());
            Thread.sleep(30);                         // a late publication would show here
            assertEquals(n, r.entries.size());
        }
    }

    @Test
    void interruptingTheCallerCancelsAndKeepsTheInterrupt() throws Exception {
        try (SimulatedController sim = SimulatedController.builder().namespaces(500)
                .latency(Duration.ofMillis(5)).build()) {
            Recorder r = new Recorder();
            Thread self = Thread.currentThread();
            ScanListener l = e -> {
                r.published(e);
                if (e.position() == 10)
                    self.interrupt();
            };
            ScanSummary s = new NamespaceScanner(sim, NamespaceScanner.Options.defaults(), KernelNames.none(),
                    CommandObserver.NONE).scan(l);
            assertTrue(s.cancelled());
            assertTrue(Thread.interrupted());
            assertEquals(rangeList(1, r.entries.size()), r.nsids());
        }
    }

    /** A channel that records the commands handed to it, as (CNS, NSID), and counts namespaces open. */
    static final class Recording implements AdminChannel {
        final SimulatedController sim;
        final List<int[]> submitted = new ArrayList<>();
        private final Set<Integer> open = new HashSet<>();
        int maxOpen;

        Recording(SimulatedController sim) {
            this.sim = sim;
        }

        /** A namespace is open from its Identify Namespace until its descriptor list completed. */
        private synchronized void submitted(AdminCommand c) {
            submitted.add(new int[] {c.cdw10() & 0xff, c.nsid()});
            if ((c.cdw10() & 0xff) == AdminCommand.CNS_NAMESPACE) {
                open.add(c.nsid());
                maxOpen = Math.max(maxOpen, open.size());
            }
        }

        private synchronized void completed(AdminCommand c) {
            if ((c.cdw10() & 0xff) == AdminCommand.CNS_NS_DESCRIPTORS)
                open.remove(c.nsid());
        }

        synchronized int indexOf(int cns, int nsid) {
            for (int i = 0; i < submitted.size(); i++)
                if (submitted.get(i)[0] == cns && submitted.get(i)[1] == nsid)
                    return i;
            return -1;
        }

        @Override
        public int execute(AdminCommand command, MemorySegment data) throws NvmeException {
            submitted(command);
            try {
                return sim.execute(command, data);
            } finally {
                completed(command);
            }
        }

        @Override
        public CompletableFuture<Integer> submit(AdminCommand command, MemorySegment data) {
            submitted(command);
            return sim.submit(command, data).whenComplete((r, t) -> completed(command));
        }

        @Override public int maxInFlight() { return sim.maxInFlight(); }
        @Override public String device() { return sim.device(); }
        @Override public String backend() { return sim.backend(); }
        @Override public boolean pinsCarrier() { return sim.pinsCarrier(); }
        @Override public void close() { sim.close(); }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void eachNamespaceKeepsOneQueueSlotForAllItsCommands(Mode mode) throws Exception {
        int qd = 8;
        Map<Integer, Set<Integer>> lanes = new ConcurrentHashMap<>();
        CommandObserver observer = (c, lane, start, end, failure) -> {
            if (c.nsid() != 0)
                lanes.computeIfAbsent(c.nsid(), k -> ConcurrentHashMap.newKeySet()).add(lane);
        };
        try (Recording ch = new Recording(SimulatedController.builder().namespaces(300).mode(mode).seed(5)
                .latency(Duration.ZERO, Duration.ofMillis(3)).zoned(7).zoned(50).build())) {
            Recorder r = new Recorder();
            ScanSummary s = new NamespaceScanner(ch, opts(ScanMode.ORDERED, qd), KernelNames.none(), observer).scan(r);
            assertEquals(300, s.namespaces());
            assertEquals(1 + 1 + 2 * 300 + 2, s.commands());
            assertTrue(ch.maxOpen <= qd, "namespaces with commands open at once: " + ch.maxOpen + " > queue depth " + qd);
            assertEquals(rangeList(1, 300), r.nsids());
        }
        assertEquals(300, lanes.size());
        lanes.forEach((nsid, l) -> assertEquals(1, l.size(), "NSID " + nsid + " used lanes " + l));
    }

    @Test
    void theNextPageIsReadWhileTheCurrentOneIsDispatched() throws Exception {
        try (Recording ch = new Recording(SimulatedController.builder().namespaces(2048)
                .latency(Duration.ofMillis(1), Duration.ofMillis(3)).build())) {
            Recorder r = new Recorder();
            ScanSummary s = new NamespaceScanner(ch, NamespaceScanner.Options.defaults(), KernelNames.none(),
                    CommandObserver.NONE).scan(r);
            assertEquals(2048, s.namespaces());
            int page2 = ch.indexOf(AdminCommand.CNS_ACTIVE_NSID_LIST, 1024);
            int ns500 = ch.indexOf(AdminCommand.CNS_NAMESPACE, 500);
            assertTrue(page2 >= 0 && ns500 >= 0);
            // read one page ahead: long before dispatch reaches the end of the first page
            assertTrue(page2 < ns500, "page 2 requested as command " + page2 + ", after NSID 500's at " + ns500);
            assertEquals(rangeList(1, 2048), r.nsids());
        }
    }

    @Test
    void identifyControllerAndTheFirstPageGoOutTogether() throws Exception {
        try (Recording ch = new Recording(SimulatedController.builder().namespaces(3).build())) {
            new NamespaceScanner(ch, NamespaceScanner.Options.defaults(), KernelNames.none(), CommandObserver.NONE)
                    .scan(new Recorder());
            assertEquals(Set.of(AdminCommand.CNS_CONTROLLER, AdminCommand.CNS_ACTIVE_NSID_LIST),
                    Set.of(ch.submitted.get(0)[0], ch.submitted.get(1)[0]));
        }
    }

    /** Records publications and run ends as one sequence: NSIDs, and 0 for an end of run. */
    static final class RunRecorder implements ScanListener {
        final List<Integer> events = new ArrayList<>();
        final List<Thread> threads = new ArrayList<>();
        private final AtomicLong inside = new AtomicLong();

        @Override
        public void published(NamespaceEntry entry) {
            assertEquals(1, inside.incrementAndGet(), "overlapping calls");
            events.add(entry.nsid());
            threads.add(Thread.currentThread());
            inside.decrementAndGet();
        }

        @Override
        public void endOfRun() {
            assertEquals(1, inside.incrementAndGet(), "overlapping calls");
            events.add(0);
            inside.decrementAndGet();
        }

        long runs() {
            return events.stream().filter(e -> e == 0).count();
        }
    }

    @ParameterizedTest
    @EnumSource(ScanMode.class)
    void everyRunEndsOnceBeforeTheNextRunAndBeforeTheScanReturns(ScanMode mode) throws Exception {
        for (long seed = 1; seed <= 6; seed++) {
            RunRecorder r = new RunRecorder();
            try (SimulatedController sim = SimulatedController.builder().namespaces(mode == ScanMode.SEQUENTIAL ? 30 : 400)
                    .seed(seed).latency(Duration.ZERO, Duration.ofMillis(2)).build()) {
                scan(sim, opts(mode, 1 + (int) seed * 5), r);
            }
            assertFalse(r.events.isEmpty());
            assertEquals(0, r.events.getLast(), "the last run was not ended");
            for (int i = 0; i < r.events.size(); i++)
                if (r.events.get(i) == 0)
                    assertTrue(i > 0 && r.events.get(i - 1) != 0, "an empty run at " + i);
            if (mode != ScanMode.ORDERED)
                assertEquals(r.events.size() / 2, r.runs(), "one namespace per run");
        }
    }

    @Test
    void aSlowHeadIsPublishedWithItsFinishedSuccessorsInOneRun() throws Exception {
        RunRecorder r = new RunRecorder();
        try (SimulatedController sim = SimulatedController.builder().namespaces(50).hang(1)
                .latency(Duration.ofMillis(1)).defaultTimeout(Duration.ofMillis(400)).build()) {
            ScanSummary s = scan(sim, opts(ScanMode.ORDERED, 28), r);
            assertEquals(1, s.failed());
        }
        List<Integer> expected = new ArrayList<>(rangeList(1, 50));
        expected.add(0);
        assertEquals(expected, r.events, "the 49 namespaces behind the hung head finished long before its timeout");
        assertEquals(1, new HashSet<>(r.threads).size(), "the run is published by the thread that completed the head");
    }

    @Test
    void whatTheListenerThrowsBecomesAnErrorEntryInPlace() throws Exception {
        List<NamespaceEntry> seen = new ArrayList<>();
        ScanListener l = e -> {
            if (e.nsid() % 10 == 5 && e.ok())
                throw new IllegalStateException("no room for " + e.nsid());
            if (e.nsid() == 17)
                throw new IllegalStateException("refuses 17, even as an error");
            seen.add(e);
        };
        for (ScanMode mode : ScanMode.values()) {
            seen.clear();
            ScanSummary s;
            try (SimulatedController sim = SimulatedController.builder().namespaces(40)
                    .latency(Duration.ZERO, Duration.ofMillis(1)).build()) {
                s = scan(sim, opts(mode, 8), l);
            }
            assertEquals(40, s.namespaces(), mode.toString());
            assertEquals(5, s.failed(), mode.toString());           // 5, 15, 25, 35, and 17
            List<Integer> order = seen.stream().map(NamespaceEntry::nsid).toList();
            List<Integer> expected = new ArrayList<>(rangeList(1, 40));
            expected.remove(Integer.valueOf(17));
            assertEquals(expected, mode == ScanMode.UNORDERED ? order.stream().sorted().toList() : order, mode.toString());
            for (NamespaceEntry e : seen) {
                assertEquals(e.nsid() % 10 != 5, e.ok(), mode + ": NSID " + e.nsid());
                if (!e.ok()) {
                    assertEquals("internal", e.failure().kind());
                    assertTrue(e.failure().message().contains("no room for " + e.nsid()), e.failure().message());
                }
            }
        }
    }

    @Test
    void whatTheNameLookupThrowsBecomesAnErrorEntryInPlace(@TempDir Path tmp) throws Exception {
        Path sys = tmp.resolve("sys");
        Files.writeString(Files.createDirectories(sys.resolve("class/nvme/nvme0")).resolve("subsysnqn"), "nqn.test\n");
        Files.createDirectories(sys.resolve("class/nvme-subsystem/nvme-subsys0/nvme0"));
        for (int n = 1; n <= 3; n++) {
            Path ns = Files.createDirectories(sys.resolve("class/nvme/nvme0/nvme0n" + n));
            Files.writeString(ns.resolve("nsid"), n + "\n");
        }
        KernelNames names;
        Path zip = tmp.resolve("dev.zip");
        try (FileSystem dev = FileSystems.newFileSystem(zip, Map.of("create", "true"))) {
            names = KernelNames.read(sys, dev.getPath("/"), "nvme0");
        }                                          // looking up a namespace the kernel names now throws
        for (ScanMode mode : ScanMode.values()) {
            Recorder r = new Recorder();
            ScanSummary s;
            try (SimulatedController sim = SimulatedController.builder().namespaces(6).build()) {
                s = new NamespaceScanner(sim, opts(mode, 4), names, CommandObserver.NONE).scan(r);
            }
            assertEquals(6, s.namespaces(), mode.toString());
            assertEquals(3, s.failed(), mode.toString());
            List<NamespaceEntry> entries = new ArrayList<>(r.entries);
            entries.sort(java.util.Comparator.comparingLong(NamespaceEntry::position));
            assertEquals(rangeList(1, 6), entries.stream().map(NamespaceEntry::nsid).toList());
            for (NamespaceEntry e : entries) {
                assertEquals(e.nsid() > 3, e.ok(), mode + ": NSID " + e.nsid());
                if (!e.ok())
                    assertTrue(e.failure().kind().equals("internal") && e.failure().message().contains("kernel devices"),
                            e.failure().toString());
            }
        }
    }

    @Test
    void aBlockingChannelGetsNoMoreThreadsThanAnAdminQueueTakes() throws Exception {
        AtomicLong mostThreads = new AtomicLong();
        ScanListener counting = e -> mostThreads.accumulateAndGet(Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("nvmescan-ioctl-")).count(), Math::max);
        try (SimulatedController sim = SimulatedController.builder().namespaces(300).mode(Mode.IOCTL)
                .queueDepth(4096).latency(Duration.ofMillis(1)).build()) {
            ScanSummary s = scan(sim, opts(ScanMode.ORDERED, 4096), counting);
            assertEquals(300, s.namespaces());
            assertEquals(CommandIssuer.MAX_BLOCKING, s.queueDepth());
            assertTrue(s.peakInFlight() <= CommandIssuer.MAX_BLOCKING, "peak in flight " + s.peakInFlight());
            assertTrue(sim.peakInFlight() <= CommandIssuer.MAX_BLOCKING, "the channel saw " + sim.peakInFlight());
        }
        assertTrue(mostThreads.get() > 0 && mostThreads.get() <= CommandIssuer.MAX_BLOCKING, mostThreads + " ioctl threads");
        try (SimulatedController sim = SimulatedController.builder().namespaces(10).queueDepth(4096).build()) {
            assertEquals(4096, scan(sim, opts(ScanMode.ORDERED, 4096), new Recorder()).queueDepth(),
                    "an asynchronous channel is not capped");
        }
    }

    @ParameterizedTest
    @EnumSource(ScanMode.class)
    void theTimelineIsInOrder(ScanMode mode) throws Exception {
        try (SimulatedController sim = SimulatedController.builder().namespaces(60)
                .latency(Duration.ZERO, Duration.ofMillis(1)).build()) {
            ScanSummary s = scan(sim, opts(mode, 8), new Recorder());
            ScanSummary.Timeline t = s.timeline();
            assertTrue(t.firstPublication().isPositive(), t.toString());
            assertTrue(t.firstPublication().compareTo(t.lastPublication()) <= 0, t.toString());
            assertTrue(t.lastCommandDone().isPositive() && t.lastCommandDone().compareTo(t.lastPublication()) <= 0, t.toString());
            assertTrue(t.lastPublication().compareTo(s.elapsed()) <= 0, t + " after " + s.elapsed());
            assertEquals(t.lastPublication().minus(t.lastCommandDone()), t.publicationTail());
        }
        try (SimulatedController sim = SimulatedController.builder().namespaces(0).build()) {
            ScanSummary.Timeline t = scan(sim, opts(mode, 8), new Recorder()).timeline();
            assertEquals(new ScanSummary.Timeline(Duration.ZERO, t.lastCommandDone(), Duration.ZERO), t);
            assertTrue(t.lastCommandDone().isPositive());
        }
    }

    private static List<Integer> rangeList(int from, int to) {
        List<Integer> l = new ArrayList<>();
        for (int i = from; i <= to; i++)
            l.add(i);
        return l;
    }

    /** A controller whose later NSID-list pages repeat the first one: paging must stop, not loop. */
    @Test
    void aListPageThatDoesNotAdvanceEndsTheScanWithADecodeError() throws Exception {
        try (SimulatedController sim = SimulatedController.builder().namespaces(1500).build();
             AdminChannel stuck = new RepeatingFirstPage(sim)) {
            Recorder r = new Recorder();
            IdentifyDecodeException e = assertThrows(IdentifyDecodeException.class, () -> new NamespaceScanner(stuck,
                    NamespaceScanner.Options.defaults(), KernelNames.none(), CommandObserver.NONE).scan(r));
            assertTrue(e.getMessage().contains("the page after NSID 1024 starts at NSID 1, not above it"), e.getMessage());
            assertEquals(1024, r.entries.size(), "the first page was scanned");
        }
    }

    /** Answers every Active Namespace ID list request with the list's first page. */
    private record RepeatingFirstPage(AdminChannel sim) implements AdminChannel {
        private AdminCommand rewrite(AdminCommand c) {
            return c.opcode() == AdminCommand.IDENTIFY && (c.cdw10() & 0xff) == AdminCommand.CNS_ACTIVE_NSID_LIST
                    ? AdminCommand.activeNamespaceList(0).withTimeout(c.timeout()) : c;
        }

        @Override
        public int execute(AdminCommand command, MemorySegment data) throws NvmeException {
            return sim.execute(rewrite(command), data);
        }

        @Override
        public CompletableFuture<Integer> submit(AdminCommand command, MemorySegment data) {
            return sim.submit(rewrite(command), data);
        }

        @Override
        public int maxInFlight() {
            return sim.maxInFlight();
        }

        @Override
        public String device() {
            return "stuck";
        }

        @Override
        public String backend() {
            return sim.backend();
        }

        @Override
        public boolean pinsCarrier() {
            return sim.pinsCarrier();
        }

        @Override
        public void close() {
        }
    }
}

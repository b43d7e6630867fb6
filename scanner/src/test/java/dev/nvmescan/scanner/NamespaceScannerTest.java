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
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
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

package dev.nvmescan.scanner.host;

import static org.junit.jupiter.api.Assertions.*;

import dev.nvmescan.nativebindings.AdminChannel;
import dev.nvmescan.nativebindings.AdminChannels;
import dev.nvmescan.nativebindings.identify.IdentifyController;
import dev.nvmescan.scanner.NamespaceEntry;
import dev.nvmescan.scanner.NamespaceScanner;
import dev.nvmescan.scanner.ScanMode;
import dev.nvmescan.scanner.ScanSummary;
import dev.nvmescan.scanner.sysfs.FakeSysfs;
import dev.nvmescan.scanner.sysfs.KernelNames;
import dev.nvmescan.scanner.sysfs.NvmeTree;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostScanTest {
    @TempDir Path tmp;

    private static final NamespaceScanner.Options OPTIONS = new NamespaceScanner.Options(ScanMode.ORDERED, 8, Duration.ZERO, 0);

    /** One event a listener saw: which controller, what, and for a namespace its NSID. */
    record Event(int controller, String kind, int nsid) {}

    /** Records every call, in the order they came, checking that no two overlap. */
    static final class Journal {
        final List<Event> events = new CopyOnWriteArrayList<>();      // the test reads it while the scan writes
        private final AtomicInteger inside = new AtomicInteger();

        HostScan.ControllerListener listener(int k) {
            return new HostScan.ControllerListener() {
                private void note(String kind, int nsid) {
                    assertEquals(1, inside.incrementAndGet(), "overlapping calls");
                    events.add(new Event(k, kind, nsid));
                    inside.decrementAndGet();
                }

                @Override
                public void opened(AdminChannel channel) {
                    note("opened", 0);
                }

                @Override
                public void controller(IdentifyController c) {
                    note("controller", 0);
                }

                @Override
                public void published(NamespaceEntry e) {
                    note("ns", e.nsid());
                }

                @Override
                public void alreadyPublished(NamespaceEntry e) {
                    note("shared", e.nsid());
                }

                @Override
                public void finished(ScanSummary s) {
                    note(s.cancelled() ? "cancelled" : "finished", 0);
                }

                @Override
                public void failed(Exception failure) {
                    note("failed", 0);
                }
            };
        }

        List<String> kinds(int controller) {
            return events.stream().filter(e -> e.controller() == controller).map(Event::kind).distinct().toList();
        }

        List<Integer> nsids(int controller, String kind) {
            return events.stream().filter(e -> e.controller() == controller && e.kind().equals(kind))
                    .map(Event::nsid).toList();
        }

        /** Controller indices in the order of their events: each controller's events are one run. */
        void assertControllersInOrder(int count) {
            int last = 0;
            for (Event e : events) {
                assertTrue(e.controller() >= last, "controller " + e.controller() + " reported after " + last);
                last = e.controller();
            }
            assertEquals(count - 1, last);
        }
    }

    private static HostScan.Target sim(String spec) {
        return new HostScan.Target(spec, () -> AdminChannels.open(spec), KernelNames.none());
    }

    @Test
    void controllersAreReportedInOrderWhateverOrderTheyFinishIn() {
        Journal j = new Journal();
        // the first is the slowest: the others finish first and are held until it is done
        new HostScan(List.of(sim("sim:?namespaces=20&latency=20ms..30ms"), sim("sim:?nsids=9,1,5&latency=0ms..1ms"),
                sim("sim:?namespaces=40&latency=0ms..2ms")), OPTIONS).run(j::listener);
        j.assertControllersInOrder(3);
        for (int k = 0; k < 3; k++)
            assertEquals(List.of("opened", "controller", "ns", "finished"), j.kinds(k));
        assertEquals(20, j.nsids(0, "ns").size());
        assertEquals(List.of(1, 5, 9), j.nsids(1, "ns"), "NSID-list order within a controller");
        assertEquals(40, j.nsids(2, "ns").size());
    }

    @Test
    void controllersAreScannedConcurrently() {
        CountDownLatch bothOpen = new CountDownLatch(2);
        HostScan.Opener waitForTheOther = () -> {
            bothOpen.countDown();
            try {
                if (!bothOpen.await(20, TimeUnit.SECONDS))
                    throw new AssertionError("the other controller was not opened while this one was");
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            return AdminChannels.open("sim:?namespaces=5");
        };
        Journal j = new Journal();
        new HostScan(List.of(new HostScan.Target("a", waitForTheOther, KernelNames.none()),
                new HostScan.Target("b", waitForTheOther, KernelNames.none())), OPTIONS).run(j::listener);
        j.assertControllersInOrder(2);
        assertEquals(List.of("opened", "controller", "ns", "finished"), j.kinds(1));
    }

    @Test
    void aFailedControllerIsReportedInItsPlaceAndTheRestGoOn() {
        Journal j = new Journal();
        HostScan.Target missing = new HostScan.Target("/dev/nvme9", () -> AdminChannels.open(tmp.resolve("nvme9").toString()),
                KernelNames.none());
        new HostScan(List.of(sim("sim:?namespaces=3&latency=5ms"), sim("sim:?fail=0:0x4002"), missing,
                sim("sim:?namespaces=2")), OPTIONS).run(j::listener);
        j.assertControllersInOrder(4);
        assertEquals(List.of("opened", "failed"), j.kinds(1), "Identify Controller failed");
        assertEquals(List.of("failed"), j.kinds(2), "could not be opened");
        assertEquals(List.of("opened", "controller", "ns", "finished"), j.kinds(3));
    }

    @Test
    void aMultipathNamespaceIsReportedOnceUnderTheFirstController() {
        new FakeSysfs(tmp).subsystem(1, "nqn.x:mp").controller(1, 1, "tcp", "traddr=a").controller(3, 1, "tcp", "traddr=b")
                .head(1, 1, 1, 1, 3).head(1, 2, 2, 3).head(1, 3, 3, 1, 3);
        NvmeTree tree = NvmeTree.read(tmp.resolve("sys"), tmp.resolve("dev"));
        Journal j = new Journal();
        new HostScan(List.of(
                new HostScan.Target("nvme1", () -> AdminChannels.open("sim:?nsids=1,3&latency=10ms"), tree.names("nvme1")),
                new HostScan.Target("nvme3", () -> AdminChannels.open("sim:?nsids=1,2,3"), tree.names("nvme3"))),
                OPTIONS).run(j::listener);
        j.assertControllersInOrder(2);
        assertEquals(List.of(1, 3), j.nsids(0, "ns"));
        assertEquals(List.of(2), j.nsids(1, "ns"), "NSID 2 is reached through nvme3 only");
        assertEquals(List.of(1, 3), j.nsids(1, "shared"), "reported by nvme1 already");
    }

    @Test
    void cancellingEndsEveryControllerInOrder() throws Exception {
        Journal j = new Journal();
        HostScan scan = new HostScan(List.of(sim("sim:?namespaces=3000&latency=1ms..4ms"),
                sim("sim:?namespaces=3000&latency=1ms..4ms")), OPTIONS);
        Thread t = Thread.ofPlatform().start(() -> scan.run(j::listener));
        while (j.nsids(0, "ns").size() < 10)
            Thread.sleep(5);
        scan.cancel();
        t.join(30_000);
        assertFalse(t.isAlive());
        j.assertControllersInOrder(2);
        assertEquals("cancelled", j.events.stream().filter(e -> e.controller() == 0).toList().getLast().kind());
        assertEquals("cancelled", j.events.getLast().kind());
        assertTrue(j.nsids(0, "ns").size() < 3000);
    }

    @Test
    void aListenerThatThrowsIsRethrownAfterTheOthersReported() {
        Journal j = new Journal();
        HostScan scan = new HostScan(List.of(sim("sim:?namespaces=2"), sim("sim:?namespaces=2")), OPTIONS);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> scan.run(k -> k == 0
                ? new HostScan.ControllerListener() {
                    @Override
                    public void published(NamespaceEntry entry) {}

                    @Override
                    public void finished(ScanSummary summary) {
                        throw new IllegalStateException("stdout closed");
                    }

                    @Override
                    public void failed(Exception failure) {}
                } : j.listener(k)));
        assertEquals("stdout closed", e.getMessage());
        assertEquals(List.of("opened", "controller", "ns", "finished"), j.kinds(1));
    }
}

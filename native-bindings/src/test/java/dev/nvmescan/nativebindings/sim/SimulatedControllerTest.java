package dev.nvmescan.nativebindings.sim;

import static org.junit.jupiter.api.Assertions.*;

import dev.nvmescan.nativebindings.AdminChannel;
import dev.nvmescan.nativebindings.AdminCommand;
import dev.nvmescan.nativebindings.CommandRefusedException;
import dev.nvmescan.nativebindings.CommandTimeoutException;
import dev.nvmescan.nativebindings.DataBuffers;
import dev.nvmescan.nativebindings.Errno;
import dev.nvmescan.nativebindings.NativeCallException;
import dev.nvmescan.nativebindings.NvmeException;
import dev.nvmescan.nativebindings.NvmeStatus;
import dev.nvmescan.nativebindings.NvmeStatusException;
import dev.nvmescan.nativebindings.identify.IdentifyController;
import dev.nvmescan.nativebindings.identify.IdentifyNamespace;
import dev.nvmescan.nativebindings.identify.IdentifyZonedNamespace;
import dev.nvmescan.nativebindings.identify.NamespaceIdDescriptors;
import dev.nvmescan.nativebindings.identify.NamespaceList;
import dev.nvmescan.nativebindings.linux.NativeSleep;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class SimulatedControllerTest {

    private static MemorySegment page(Arena arena) {
        return DataBuffers.allocate(arena, DataBuffers.IDENTIFY_SIZE);
    }

    /** Every active NSID, paging CNS 02h the way a host must past 1024 entries. */
    private static List<Integer> listAll(AdminChannel ctrl, int[] pages) throws NvmeException {
        List<Integer> all = new ArrayList<>();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = page(arena);
            int after = 0;
            while (true) {
                ctrl.execute(AdminCommand.activeNamespaceList(after), buf);
                NamespaceList list = NamespaceList.decode(buf);
                pages[0]++;
                all.addAll(list.nsids());
                if (!list.full())
                    return all;
                after = list.last();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(SimulatedController.Mode.class)
    void pagesActiveNamespaceListAcross1024Boundaries(SimulatedController.Mode mode) throws Exception {
        int[] nsids = IntStream.rangeClosed(1, 5000).map(i -> 3 * i + (i % 2)).toArray();
        try (SimulatedController ctrl = SimulatedController.builder().nsids(nsids).mode(mode).build()) {
            int[] pages = {0};
            List<Integer> all = listAll(ctrl, pages);
            assertEquals(Arrays.stream(nsids).boxed().toList(), all);
            assertEquals(5, pages[0]);                      // 4 full pages, then 904 entries
            try (Arena arena = Arena.ofConfined()) {        // a page starts after any NSID, listed or not
                MemorySegment buf = page(arena);
                ctrl.execute(AdminCommand.activeNamespaceList(nsids[1023] + 1), buf);
                assertEquals(nsids[1024], NamespaceList.decode(buf).nsids().getFirst());
                ctrl.execute(AdminCommand.activeNamespaceList(nsids[4999]), buf);
                assertTrue(NamespaceList.decode(buf).nsids().isEmpty());
            }
        }
    }

    @Test
    void hundredThousandNamespacesPageWithoutPreEncoding() throws Exception {
        try (SimulatedController ctrl = SimulatedController.builder().namespaces(100_000).build();
             Arena arena = Arena.ofConfined()) {
            int[] pages = {0};
            List<Integer> all = listAll(ctrl, pages);
            assertEquals(100_000, all.size());
            assertEquals(98, pages[0]);
            MemorySegment buf = page(arena);
            ctrl.execute(AdminCommand.identify(AdminCommand.CNS_NAMESPACE, 99_999, 0), buf);
            assertEquals(SimulatedDevice.eui64(99_999), IdentifyNamespace.decode(buf).eui64());
            ctrl.execute(AdminCommand.identify(AdminCommand.CNS_CONTROLLER, 0, 0), buf);
            assertEquals(100_000, IdentifyController.decode(buf).nn());
        }
    }

    @Test
    void answersRealStructures() throws Exception {
        try (SimulatedController ctrl = SimulatedController.builder().nsids(1, 2, 40).lbaDataSize(4096)
                .zoned(40).queueDepth(12).build();
             Arena arena = Arena.ofConfined()) {
            MemorySegment buf = page(arena);
            ctrl.execute(AdminCommand.identify(AdminCommand.CNS_CONTROLLER, 0, 0), buf);
            IdentifyController id = IdentifyController.decode(buf);
            assertEquals("nvmescan simulated controller", id.mn());
            assertEquals(40, id.nn());
            assertEquals(12, id.maxcmd());

            ctrl.execute(AdminCommand.identify(AdminCommand.CNS_NAMESPACE, 2, 0), buf);
            IdentifyNamespace ns = IdentifyNamespace.decode(buf);
            assertEquals(4096, ns.lbaFormat().dataSize());
            assertTrue(ns.nsze() > 0);
            ctrl.execute(AdminCommand.identify(AdminCommand.CNS_NS_DESCRIPTORS, 2, 0), buf);
            NamespaceIdDescriptors d = NamespaceIdDescriptors.decode(buf);
            assertEquals(ns.eui64(), d.eui64().orElseThrow());
            assertEquals(ns.nguid(), d.nguid().orElseThrow());
            assertEquals(AdminCommand.CSI_NVM, d.csi());
            assertEquals(SimulatedDevice.uuid(2), d.uuid().orElseThrow());
            assertNotEquals(SimulatedDevice.uuid(1), SimulatedDevice.uuid(2));

            ctrl.execute(AdminCommand.identify(AdminCommand.CNS_NS_DESCRIPTORS, 40, 0), buf);
            assertEquals(AdminCommand.CSI_ZNS, NamespaceIdDescriptors.decode(buf).csi());
            ctrl.execute(AdminCommand.identify(AdminCommand.CNS_CSI_NAMESPACE, 40, AdminCommand.CSI_ZNS), buf);
            IdentifyZonedNamespace z = IdentifyZonedNamespace.decode(buf, ns.lbafs().size());
            assertEquals(65536, z.lbafe().get(ns.lbaFormatIndex()).zsze());   // 256 MiB zones of 4 KiB

            var e = assertThrows(NvmeStatusException.class, () -> ctrl.execute(
                    AdminCommand.identify(AdminCommand.CNS_CSI_NAMESPACE, 2, AdminCommand.CSI_ZNS), buf));
            assertEquals(SimulatedDevice.INVALID_FIELD, e.status());
            e = assertThrows(NvmeStatusException.class, () -> ctrl.execute(
                    AdminCommand.identify(AdminCommand.CNS_NAMESPACE, 3, 0), buf));
            assertEquals(SimulatedDevice.INVALID_NAMESPACE, e.status());
            e = assertThrows(NvmeStatusException.class, () -> ctrl.execute(
                    new AdminCommand(0x02, 0, 0, 0, 0, 0, 0, 0, Duration.ZERO), buf));
            assertEquals(SimulatedDevice.INVALID_OPCODE, e.status());
        }
    }

    @ParameterizedTest
    @EnumSource(SimulatedController.Mode.class)
    void refusesCommandsThatAreNotReadOnly(SimulatedController.Mode mode) throws Exception {
        AdminCommand setFeatures = new AdminCommand(0x09, 0, 0x80, 0, 0, 0, 0, 0, Duration.ZERO);
        try (SimulatedController ctrl = SimulatedController.builder().mode(mode).build();
             Arena arena = Arena.ofShared()) {
            MemorySegment buf = DataBuffers.allocate(arena, DataBuffers.IDENTIFY_SIZE);
            CommandRefusedException e = assertThrows(CommandRefusedException.class, () -> ctrl.execute(setFeatures, buf));
            assertEquals(0x09, e.opcode());
            assertThrows(CommandRefusedException.class, () -> ctrl.submit(setFeatures, buf));
            assertEquals(0, ctrl.commands(), "nothing reached the simulated device");
        }
    }

    @ParameterizedTest
    @EnumSource(SimulatedController.Mode.class)
    void injectedStatusAndVanishedNamespace(SimulatedController.Mode mode) throws Exception {
        try (SimulatedController ctrl = SimulatedController.parseSpec(
                "sim:?namespaces=10&fail=3:0x4002,7:INVALID_NS+DNR&vanish=4").mode(mode).build();
             Arena arena = Arena.ofConfined()) {
            MemorySegment buf = page(arena);
            var e = assertThrows(NvmeStatusException.class, () -> ctrl.execute(
                    AdminCommand.identify(AdminCommand.CNS_NAMESPACE, 3, 0), buf));
            assertEquals(new NvmeStatus(0x4002), e.status());
            var byToken = assertThrows(NvmeStatusException.class, () -> ctrl.execute(
                    AdminCommand.identify(AdminCommand.CNS_NAMESPACE, 7, 0), buf));
            assertEquals(new NvmeStatus(0x400b), byToken.status());

            ctrl.execute(AdminCommand.activeNamespaceList(0), buf);
            assertTrue(NamespaceList.decode(buf).nsids().contains(4), "a vanished namespace stays listed");
            ctrl.execute(AdminCommand.identify(AdminCommand.CNS_NAMESPACE, 4, 0), buf);
            assertEquals(0, IdentifyNamespace.decode(buf).nsze());
            ctrl.execute(AdminCommand.identify(AdminCommand.CNS_NS_DESCRIPTORS, 4, 0), buf);
            assertTrue(NamespaceIdDescriptors.decode(buf).descriptors().isEmpty());
            ctrl.execute(AdminCommand.identify(AdminCommand.CNS_NAMESPACE, 5, 0), buf);
            assertTrue(IdentifyNamespace.decode(buf).nsze() > 0);
            assertEquals(0, ctrl.inFlight());
        }
    }

    @Test
    void nsidZeroFaultsControllerScopedIdentify() throws Exception {
        try (SimulatedController ctrl = SimulatedController.parseSpec("sim:?namespaces=2&fail=0:0x0006").build();
             Arena arena = Arena.ofConfined()) {
            MemorySegment buf = page(arena);
            for (AdminCommand c : List.of(AdminCommand.identify(AdminCommand.CNS_CONTROLLER, 0, 0),
                    AdminCommand.activeNamespaceList(0))) {
                var e = assertThrows(NvmeStatusException.class, () -> ctrl.execute(c, buf));
                assertEquals(new NvmeStatus(0x0006), e.status());
            }
            ctrl.execute(AdminCommand.identify(AdminCommand.CNS_NAMESPACE, 1, 0), buf);
        }
    }

    @ParameterizedTest
    @EnumSource(SimulatedController.Mode.class)
    void hungCommandTimesOutAfterItsTimeout(SimulatedController.Mode mode) throws Exception {
        try (SimulatedController ctrl = SimulatedController.parseSpec("sim:?namespaces=3&hang=2&timeout=250ms")
                .mode(mode).build();
             Arena arena = Arena.ofConfined()) {
            MemorySegment buf = page(arena);
            Duration timeout = Duration.ofMillis(200);
            long start = System.nanoTime();
            var e = assertThrows(CommandTimeoutException.class, () -> ctrl.execute(
                    AdminCommand.identify(AdminCommand.CNS_NAMESPACE, 2, 0).withTimeout(timeout), buf));
            assertTrue(System.nanoTime() - start >= timeout.toNanos());
            assertEquals(timeout, e.timeout());
            start = System.nanoTime();                    // no timeout of its own: the spec's default
            e = assertThrows(CommandTimeoutException.class, () -> ctrl.execute(
                    AdminCommand.identify(AdminCommand.CNS_NS_DESCRIPTORS, 2, 0), buf));
            assertTrue(System.nanoTime() - start >= Duration.ofMillis(250).toNanos());
            assertEquals(Duration.ofMillis(250), e.timeout());
            assertEquals(0, ctrl.inFlight());
        }
    }

    @ParameterizedTest
    @EnumSource(SimulatedController.Mode.class)
    void commandsBeyondTheQueueDepthWaitAndThePeakReachesIt(SimulatedController.Mode mode) throws Exception {
        int depth = 4;
        try (SimulatedController ctrl = SimulatedController.builder().namespaces(64).queueDepth(depth)
                .latency(Duration.ofMillis(20), Duration.ofMillis(40)).mode(mode).build()) {
            List<Thread> threads = new ArrayList<>();
            int[] maxSeen = {0};
            for (int nsid = 1; nsid <= 64; nsid++) {
                int n = nsid;
                threads.add(Thread.ofPlatform().start(() -> {
                    try (Arena arena = Arena.ofConfined()) {
                        ctrl.execute(AdminCommand.identify(AdminCommand.CNS_NAMESPACE, n, 0), page(arena));
                        synchronized (maxSeen) {
                            maxSeen[0] = Math.max(maxSeen[0], ctrl.inFlight());
                        }
                    } catch (NvmeException e) {
                        throw new AssertionError(e);
                    }
                }));
            }
            for (Thread t : threads)
                t.join();
            assertEquals(depth, ctrl.peakInFlight(), "64 platform threads keep the queue full");
            assertTrue(maxSeen[0] <= depth);
            assertEquals(0, ctrl.inFlight());
            assertEquals(64, ctrl.commands());
        }
    }

    @Test
    void submitCompletesFromTheTimerAndCallbacksMaySubmitMore() throws Exception {
        try (SimulatedController ctrl = SimulatedController.builder().namespaces(20).queueDepth(1)
                .latency(Duration.ofMillis(1)).build();
             Arena arena = Arena.ofShared()) {
            MemorySegment buf = page(arena);
            CompletableFuture<Integer> chain = CompletableFuture.completedFuture(0);
            for (int nsid = 1; nsid <= 20; nsid++) {
                int n = nsid;
                chain = chain.thenCompose(x -> ctrl.submit(AdminCommand.identify(AdminCommand.CNS_NAMESPACE, n, 0), buf));
            }
            assertEquals(0, chain.join());
            assertEquals(SimulatedDevice.eui64(20), IdentifyNamespace.decode(buf).eui64());
            assertEquals(1, ctrl.peakInFlight());

            var failed = ctrl.submit(AdminCommand.identify(AdminCommand.CNS_NAMESPACE, 99, 0), buf);
            var e = assertThrows(CompletionException.class, failed::join);
            assertInstanceOf(NvmeStatusException.class, e.getCause());
        }
    }

    @Test
    void submitRefusesConfinedBuffers() {
        try (SimulatedController ctrl = SimulatedController.builder().build(); Arena arena = Arena.ofConfined()) {
            assertThrows(IllegalArgumentException.class,
                    () -> ctrl.submit(AdminCommand.identify(AdminCommand.CNS_CONTROLLER, 0, 0), page(arena)));
        }
    }

    @Test
    void closeCancelsPendingCommandsAndRefusesNewOnes() throws Exception {
        SimulatedController ctrl = SimulatedController.parseSpec("sim:?namespaces=2&hang=1").build();
        try (Arena arena = Arena.ofShared()) {
            MemorySegment buf = page(arena);
            var hung = ctrl.submit(AdminCommand.identify(AdminCommand.CNS_NAMESPACE, 1, 0), buf);
            assertEquals(1, ctrl.inFlight());
            ctrl.close();
            var e = assertThrows(CompletionException.class, hung::join);
            assertEquals(Errno.ECANCELED, ((NativeCallException) e.getCause()).errno());
            assertEquals(0, ctrl.inFlight());
            var closed = assertThrows(NativeCallException.class,
                    () -> ctrl.execute(AdminCommand.identify(AdminCommand.CNS_CONTROLLER, 0, 0), buf));
            assertEquals(Errno.EBADF, closed.errno());
            ctrl.close();
        }
    }

    /**
     * The ioctl path sleeps inside a native frame: the virtual thread stays mounted (RUNNABLE) with
     * NativeSleep on its stack for the whole command; the uring path parks it (WAITING).
     */
    @ParameterizedTest
    @EnumSource(SimulatedController.Mode.class)
    void ioctlPathBlocksInNativeCodeUringPathParks(SimulatedController.Mode mode) throws Exception {
        try (SimulatedController ctrl = SimulatedController.builder().namespaces(1)
                .latency(Duration.ofMillis(1500)).mode(mode).build()) {
            Thread vt = Thread.ofVirtual().start(() -> {
                try (Arena arena = Arena.ofConfined()) {
                    ctrl.execute(AdminCommand.identify(AdminCommand.CNS_NAMESPACE, 1, 0), page(arena));
                } catch (NvmeException e) {
                    throw new AssertionError(e);
                }
            });
            List<Thread.State> states = new ArrayList<>();
            boolean nativeFrame = false;
            while (vt.isAlive()) {
                if (ctrl.inFlight() == 1) {
                    Thread.State state = vt.getState();
                    StackTraceElement[] stack = vt.getStackTrace();
                    if (ctrl.inFlight() == 1 && vt.isAlive()) {
                        states.add(state);
                        nativeFrame |= Arrays.stream(stack).anyMatch(f ->
                                f.getClassName().equals(NativeSleep.class.getName()));
                    }
                }
                Thread.sleep(10);
            }
            vt.join();
            assertFalse(states.isEmpty(), "sampled while the command was in flight");
            if (mode == SimulatedController.Mode.IOCTL) {
                assertTrue(nativeFrame, "nanosleep downcall on the stack");
                assertTrue(states.stream().allMatch(s -> s == Thread.State.RUNNABLE), states.toString());
            } else {
                assertFalse(nativeFrame);
                assertTrue(states.contains(Thread.State.WAITING), states.toString());
            }
        }
    }

    @Test
    void randomLatencyIsSeededAndWithinRange() throws Exception {
        try (SimulatedController ctrl = SimulatedController.parseSpec(
                "sim:?namespaces=30&latency=1ms..3ms&seed=7&backend=ioctl&queue-depth=30").build();
             Arena arena = Arena.ofConfined()) {
            assertEquals(SimulatedController.Mode.IOCTL, ctrl.mode());
            assertEquals(30, ctrl.maxInFlight());
            assertEquals("sim", ctrl.backend());
            assertEquals("sim:?namespaces=30&latency=1ms..3ms&seed=7&backend=ioctl&queue-depth=30", ctrl.device());
            long start = System.nanoTime();
            for (int nsid = 1; nsid <= 30; nsid++)
                ctrl.execute(AdminCommand.identify(AdminCommand.CNS_NAMESPACE, nsid, 0), page(arena));
            assertTrue(System.nanoTime() - start >= Duration.ofMillis(30).toNanos());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "nvme0", "sim:namespaces=3", "sim:?bogus=1", "sim:?latency=10xs", "sim:?latency=20ms..10ms",
            "sim:?queue-depth=0", "sim:?fail=3", "sim:?fail=3:0", "sim:?fail=3:zzz", "sim:?backend=spdk",
            "sim:?namespaces=5&nsids=1", "sim:?lba=1000", "sim:?namespaces=", "sim:?nsids=5-2",
            "sim:?seed=x", "sim:?queue-depth=3&queue-depth=4", "sim:?nsids=1,1"})
    void badSpecsNameTheParameter(String spec) {
        var e = assertThrows(IllegalArgumentException.class, () -> SimulatedController.parseSpec(spec).build());
        String name = spec.contains("?") ? spec.substring(spec.indexOf('?') + 1).split("[=&]")[0] : "sim";
        assertTrue(e.getMessage().contains(name), e.getMessage());
    }

    @Test
    void faultsMustNameActiveNamespaces() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> SimulatedController.parseSpec("sim:?namespaces=3&vanish=9").build());
        assertTrue(e.getMessage().contains("vanish") && e.getMessage().contains("9"), e.getMessage());
    }

    @Test
    void defaultsAndSparseSpec() throws Exception {
        try (SimulatedController ctrl = SimulatedController.parseSpec("sim:").build()) {
            assertEquals(8, ctrl.namespaceCount());
            assertEquals(31, ctrl.maxInFlight());
            assertEquals(SimulatedController.Mode.URING, ctrl.mode());
        }
        try (SimulatedController ctrl = SimulatedController.parseSpec("sim:?nsids=1,10,200-202").build()) {
            assertEquals(List.of(1, 10, 200, 201, 202), listAll(ctrl, new int[1]));
        }
        assertTrue(SimulatedController.isSpec("sim:?namespaces=1"));
        assertFalse(SimulatedController.isSpec("/dev/nvme0"));
    }
}

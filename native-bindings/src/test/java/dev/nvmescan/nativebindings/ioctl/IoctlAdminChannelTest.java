package dev.nvmescan.nativebindings.ioctl;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nvmescan.nativebindings.AdminCommand;
import dev.nvmescan.nativebindings.CommandRefusedException;
import dev.nvmescan.nativebindings.CommandTimeoutException;
import dev.nvmescan.nativebindings.DataBuffers;
import dev.nvmescan.nativebindings.Errno;
import dev.nvmescan.nativebindings.NativeCallException;
import dev.nvmescan.nativebindings.NvmeStatus;
import dev.nvmescan.nativebindings.NvmeStatusException;
import dev.nvmescan.nativebindings.linux.DeviceFile;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntBinaryOperator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ioctl controller without an NVMe device: the real open on files every host has, and a fake
 * device file that answers as the kernel would, to drive the fallback, status, timeout, guard and
 * close decisions. The real device is exercised in the QEMU tests.
 */
class IoctlAdminChannelTest {
    private static final AdminCommand IDENTIFY_CONTROLLER = AdminCommand.identify(AdminCommand.CNS_CONTROLLER, 0, 0);
    private static final int ADMIN = NvmeIoctl.NVME_IOCTL_ADMIN_CMD, ADMIN64 = NvmeIoctl.NVME_IOCTL_ADMIN64_CMD,
            ID = NvmeIoctl.NVME_IOCTL_ID;

    /**
     * A device file answering through {@code answer(request, call number)}; records requests. A
     * successful admin command gets its opcode and NSID echoed in the result and 0xA5 in the data.
     */
    static final class FakeFile implements DeviceFile {
        final List<Integer> requests = new ArrayList<>();
        final IntBinaryOperator answer;
        final AtomicInteger closes = new AtomicInteger();
        MemorySegment lastCommand;

        FakeFile(IntBinaryOperator answer) {
            this.answer = answer;
        }

        @Override
        public synchronized int ioctl(int request, MemorySegment arg) {
            requests.add(request);
            int r = answer.applyAsInt(request, requests.size());
            if (request != ID) {
                MemorySegment cmd = arg.reinterpret(request == ADMIN64 ? 80 : 72);
                lastCommand = Arena.ofAuto().allocate(cmd.byteSize(), 8).copyFrom(cmd);
                if (r == 0) {
                    int opcode = cmd.get(JAVA_BYTE, 0) & 0xff, nsid = cmd.get(JAVA_INT, 4);
                    long result = 0xdead_0000_0000_0000L | opcode << 16 | nsid;
                    if (request == ADMIN64)
                        cmd.set(JAVA_LONG, 72, result);
                    else
                        cmd.set(JAVA_INT, 68, (int) result);
                    long addr = cmd.get(JAVA_LONG, 24);
                    int len = cmd.get(JAVA_INT, 36);
                    if (len > 0)
                        MemorySegment.ofAddress(addr).reinterpret(len).fill((byte) 0xa5);
                }
            }
            return r;
        }

        @Override
        public void close() {
            closes.incrementAndGet();
        }

        synchronized List<Integer> requests() {
            return List.copyOf(requests);
        }
    }

    private static IoctlAdminChannel controller(FakeFile f) {
        return new IoctlAdminChannel("/dev/nvme7", f, 0, 4, false);
    }

    @Test
    void fallsBackToTheAdminIoctlOnceWhenAdmin64IsUnknown() throws Exception {
        FakeFile f = new FakeFile((req, n) -> req == ADMIN64 ? -Errno.ENOTTY : 0);
        try (IoctlAdminChannel c = controller(f); Arena arena = Arena.ofConfined()) {
            MemorySegment data = DataBuffers.allocate(arena, 4096);
            assertEquals(0x0006_0005, c.execute(AdminCommand.identify(0, 5, 0), data));
            assertEquals(List.of(ADMIN64, ADMIN), f.requests());
            assertEquals(0x0006_0009, c.execute(AdminCommand.identify(0, 9, 0), data));
            assertEquals(0x0006_0001, c.execute(AdminCommand.identify(0, 1, 0), data));
            assertEquals(List.of(ADMIN64, ADMIN, ADMIN, ADMIN), f.requests());
        }
    }

    @Test
    void keepsAdmin64OnceTheDriverTakesItAndDoesNotFallBackLater() throws Exception {
        FakeFile f = new FakeFile((req, n) -> n == 1 ? 0x4002 : n == 2 ? 0 : -Errno.ENOTTY);
        try (IoctlAdminChannel c = controller(f); Arena arena = Arena.ofConfined()) {
            MemorySegment data = DataBuffers.allocate(arena, 4096);
            NvmeStatusException s = assertThrows(NvmeStatusException.class, () -> c.execute(IDENTIFY_CONTROLLER, data));
            assertEquals(new NvmeStatus(0x4002), s.status());
            assertEquals(0x0006_0000, c.execute(IDENTIFY_CONTROLLER, data));
            NativeCallException e = assertThrows(NativeCallException.class, () -> c.execute(IDENTIFY_CONTROLLER, data));
            assertEquals(Errno.ENOTTY, e.errno());
            assertEquals("ioctl", e.call());
            assertEquals(List.of(ADMIN64, ADMIN64, ADMIN64), f.requests());
        }
    }

    @Test
    void returnsTheWholeDword0OfThe64BitResultAndCopiesTheDataBack() throws Exception {
        FakeFile f = new FakeFile((req, n) -> 0);
        try (IoctlAdminChannel c = controller(f); Arena arena = Arena.ofConfined()) {
            MemorySegment data = arena.allocate(100);  // neither aligned nor a page: the handle bounces
            assertEquals(0x0006_ffff, c.execute(AdminCommand.identify(0, 0xffff, 0), data));
            byte[] expected = new byte[100];
            java.util.Arrays.fill(expected, (byte) 0xa5);
            assertArrayEquals(expected, data.toArray(JAVA_BYTE));
        }
    }

    @Test
    void fillsTheCommandFromTheRecordAndTheDataSize() throws Exception {
        FakeFile f = new FakeFile((req, n) -> 0);
        AdminCommand c = new AdminCommand(0x02, 0xffff_ffff, 0x00ff_0002, 11, 12, 13, 14, 15, Duration.ofMillis(2500));
        try (IoctlAdminChannel ctrl = controller(f); Arena arena = Arena.ofConfined()) {
            ctrl.execute(c, DataBuffers.allocate(arena, 1024));
            MemorySegment cmd = f.lastCommand;
            assertEquals(0x02, cmd.get(JAVA_BYTE, field("opcode")));
            assertEquals(-1, cmd.get(JAVA_INT, field("nsid")));
            assertEquals(1024, cmd.get(JAVA_INT, field("data_len")));
            assertEquals(0, cmd.get(JAVA_LONG, field("addr")) % DataBuffers.PAGE_SIZE);
            assertEquals(0x00ff_0002, cmd.get(JAVA_INT, field("cdw10")));
            assertEquals(15, cmd.get(JAVA_INT, field("cdw15")));
            assertEquals(2500, cmd.get(JAVA_INT, field("timeout_ms")));
        }
    }

    private static long field(String name) {
        return NvmeIoctl.PASSTHRU_CMD64.byteOffset(groupElement(name));
    }

    @Test
    void aCancelledCommandIsATimeout() {
        FakeFile f = new FakeFile((req, n) -> -Errno.EINTR);
        try (IoctlAdminChannel c = controller(f); Arena arena = Arena.ofConfined()) {
            AdminCommand timed = IDENTIFY_CONTROLLER.withTimeout(Duration.ofMillis(40));
            CommandTimeoutException e = assertThrows(CommandTimeoutException.class,
                    () -> c.execute(timed, DataBuffers.allocate(arena, 4096)));
            assertEquals(Duration.ofMillis(40), e.timeout());
        }
    }

    @Test
    void refusesDestructiveOpcodesWithoutTheOptInAndSendsNothing() throws Exception {
        FakeFile f = new FakeFile((req, n) -> 0);
        AdminCommand format = new AdminCommand(0x80, 1, 0, 0, 0, 0, 0, 0, Duration.ZERO);
        AdminCommand vendor = new AdminCommand(0xc1, 0, 0, 0, 0, 0, 0, 0, Duration.ZERO);
        try (IoctlAdminChannel c = controller(f)) {
            CommandRefusedException e = assertThrows(CommandRefusedException.class,
                    () -> c.execute(format, MemorySegment.NULL));
            assertEquals(0x80, e.opcode());
            assertTrue(e.getMessage().startsWith("/dev/nvme7: refused Format NVM (80h) (NSID 1)"), e.getMessage());
            assertTrue(e.getMessage().contains("allowDestructive"), e.getMessage());
            assertThrows(CommandRefusedException.class, () -> c.submit(vendor, MemorySegment.NULL));
            assertEquals(List.of(), f.requests());
            assertFalse(c.allowsDestructive());
        }
        try (IoctlAdminChannel c = new IoctlAdminChannel("/dev/nvme7", f, 0, 4, true)) {
            assertEquals(0x0080_0001, c.execute(format, MemorySegment.NULL));
            assertTrue(c.allowsDestructive());
        }
    }

    @Test
    void probeTakesANamespaceDeviceByItsIdAndAControllerByIdentify() throws Exception {
        FakeFile ns = new FakeFile((req, n) -> req == ID ? 3 : 0);
        IoctlAdminChannel a = IoctlAdminChannel.probe("/dev/ng0n3", ns, 4, Duration.ZERO, false);
        assertEquals(OptionalInt.of(3), a.namespaceId());
        assertEquals(List.of(ID), ns.requests());

        FakeFile ctrl = new FakeFile((req, n) -> req == ID ? -Errno.ENOTTY : 0);
        IoctlAdminChannel b = IoctlAdminChannel.probe("/dev/nvme0", ctrl, 4, Duration.ZERO, false);
        assertEquals(OptionalInt.empty(), b.namespaceId());
        assertEquals(List.of(ID, ADMIN64), ctrl.requests());

        assertEquals(0, ctrl.lastCommand.get(JAVA_INT, field("timeout_ms")), "the kernel's timeout by default");
        FakeFile timed = new FakeFile((req, n) -> req == ID ? -Errno.ENOTTY : 0);
        IoctlAdminChannel.probe("/dev/nvme0", timed, 4, Duration.ofMillis(1500), false);
        assertEquals(1500, timed.lastCommand.get(JAVA_INT, field("timeout_ms")), "the probe honours its timeout");

        FakeFile answersWithStatus = new FakeFile((req, n) -> req == ID ? -Errno.ENOTTY : 0x0002);
        IoctlAdminChannel.probe("/dev/nvme1", answersWithStatus, 4, Duration.ZERO, false);

        FakeFile notNvme = new FakeFile((req, n) -> -Errno.ENOTTY);
        NativeCallException e = assertThrows(NativeCallException.class,
                () -> IoctlAdminChannel.probe("/dev/sda", notNvme, 4, Duration.ZERO, false));
        assertEquals(Errno.ENOTTY, e.errno());
        assertEquals(List.of(ID, ADMIN64, ADMIN), notNvme.requests());
    }

    @Test
    void openingDevNullSaysItIsNotNvme() {
        NativeCallException e = assertThrows(NativeCallException.class, () -> IoctlAdminChannel.open(Path.of("/dev/null")));
        assertEquals("ioctl", e.call());
        assertEquals("/dev/null", e.path());
        assertEquals(Errno.ENOTTY, e.errno());
        assertEquals("ioctl(/dev/null): Inappropriate ioctl for device (ENOTTY)", e.getMessage());
    }

    @Test
    void openingAPlainFileOrAMissingPathFails(@TempDir Path dir) throws Exception {
        Path plain = Files.writeString(dir.resolve("plain"), "not a device");
        assertEquals(Errno.ENOTTY, assertThrows(NativeCallException.class, () -> IoctlAdminChannel.open(plain)).errno());
        NativeCallException missing = assertThrows(NativeCallException.class,
                () -> IoctlAdminChannel.open(dir.resolve("nvme9")));
        assertEquals("open", missing.call());
        assertEquals(Errno.ENOENT, missing.errno());
    }

    @Test
    @Timeout(60)  // a hang guard, not a measurement
    void closeWaitsForTheLastCommandInTheKernelBeforeClosingTheDescriptor() throws Exception {
        CountDownLatch entered = new CountDownLatch(1), release = new CountDownLatch(1);
        AtomicInteger closes = new AtomicInteger();
        DeviceFile f = new DeviceFile() {
            @Override
            public int ioctl(int request, MemorySegment arg) {
                entered.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
                return 0;
            }

            @Override
            public void close() {
                closes.incrementAndGet();
            }
        };
        IoctlAdminChannel c = new IoctlAdminChannel("/dev/nvme7", f, 0, 4, false);
        MemorySegment data = DataBuffers.allocate(Arena.global(), 4096);
        CompletableFuture<Integer> inFlight = c.submit(IDENTIFY_CONTROLLER, data);
        entered.await();
        c.close();
        assertEquals(0, closes.get(), "closed under a running ioctl");
        assertThrows(IllegalStateException.class, () -> c.execute(IDENTIFY_CONTROLLER, data));
        assertThrows(IllegalStateException.class, () -> c.submit(IDENTIFY_CONTROLLER, data));
        release.countDown();
        inFlight.get();
        assertEquals(1, closes.get());
        c.close();
        assertEquals(1, closes.get());
    }

    @Test
    void closeOfAnIdleHandleClosesAtOnce() {
        FakeFile f = new FakeFile((req, n) -> 0);
        IoctlAdminChannel c = controller(f);
        c.close();
        c.close();
        assertEquals(1, f.closes.get());
    }

    @Test
    @Timeout(60)  // a hang guard, not a measurement
    void submitKeepsAtMostMaxInFlightCommandsInTheKernel() throws Exception {
        int max = 2, commands = 6;
        AtomicInteger inside = new AtomicInteger(), peak = new AtomicInteger();
        Semaphore gate = new Semaphore(0);
        CountDownLatch full = new CountDownLatch(max);
        DeviceFile f = new DeviceFile() {
            @Override
            public int ioctl(int request, MemorySegment arg) {
                peak.accumulateAndGet(inside.incrementAndGet(), Math::max);
                full.countDown();
                gate.acquireUninterruptibly();
                inside.decrementAndGet();
                return 0;
            }

            @Override
            public void close() {}
        };
        try (IoctlAdminChannel c = new IoctlAdminChannel("/dev/nvme7", f, 0, max, false)) {
            MemorySegment data = DataBuffers.allocate(Arena.global(), 4096);
            List<CompletableFuture<Integer>> futures = new ArrayList<>();
            Thread submitter = Thread.ofPlatform().start(() -> {
                for (int i = 0; i < commands; i++) {
                    CompletableFuture<Integer> future = c.submit(IDENTIFY_CONTROLLER, data);
                    synchronized (futures) {
                        futures.add(future);
                    }
                }
            });
            full.await();
            while (submitter.getState() != Thread.State.WAITING)  // parked for a free slot
                Thread.onSpinWait();
            synchronized (futures) {
                assertEquals(max, futures.size());
            }
            gate.release(commands);
            submitter.join();
            for (CompletableFuture<Integer> future : futures)
                assertEquals(0, future.get());
            assertEquals(max, peak.get());
            assertEquals(max, c.maxInFlight());
        }
    }

    @Test
    void submitDeliversFailuresThroughTheFutureAndRefusesConfinedData() {
        FakeFile f = new FakeFile((req, n) -> 0x400b);
        try (IoctlAdminChannel c = controller(f); Arena confined = Arena.ofConfined()) {
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> c.submit(AdminCommand.identify(0, 99, 0), DataBuffers.allocate(Arena.global(), 4096)).get());
            NvmeStatusException s = assertInstanceOf(NvmeStatusException.class, e.getCause());
            assertEquals("Invalid Namespace or Format", s.status().name());
            assertThrows(IllegalArgumentException.class,
                    () -> c.submit(IDENTIFY_CONTROLLER, DataBuffers.allocate(confined, 4096)));
        }
    }

    @Test
    void namesItsBackend() {
        try (IoctlAdminChannel c = controller(new FakeFile((req, n) -> 0))) {
            assertEquals("ioctl", c.backend());
            assertEquals("/dev/nvme7", c.device());
        }
    }
}

package dev.nvmescan.nativebindings.uring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
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

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

/**
 * The io_uring admin channel on the host, which has no NVMe device. URING_CMD goes through a real
 * ring to {@code /dev/zero}, which has no command handler, so the kernel refuses it with EOPNOTSUPP,
 * and to {@code /dev/null}, whose handler (Linux 6.10 and later, for testing io_uring) completes
 * every command with 0. Real NVMe commands run in the QEMU tests.
 */
class UringAdminChannelTest {
    private static final Path DEV_ZERO = Path.of("/dev/zero"), DEV_NULL = Path.of("/dev/null");
    private static final AdminCommand IDENTIFY_CONTROLLER =
            AdminCommand.identify(AdminCommand.CNS_CONTROLLER, 0, AdminCommand.CSI_NVM);

    @Test
    void passthroughOnAFileWithoutItFailsWithEopnotsupp() throws Exception {
        try (UringAdminChannel channel = UringAdminChannel.open(DEV_ZERO, 4);
             Arena arena = Arena.ofConfined()) {
            assertEquals("io_uring", channel.backend());
            assertEquals("/dev/zero", channel.device());
            assertEquals(4, channel.maxInFlight());
            NativeCallException e = assertThrows(NativeCallException.class,
                    () -> channel.execute(IDENTIFY_CONTROLLER, DataBuffers.allocate(arena, DataBuffers.IDENTIFY_SIZE)));
            assertEquals(Errno.EOPNOTSUPP, e.errno());
            assertEquals("io_uring_cmd(/dev/zero): Operation not supported (EOPNOTSUPP)", e.getMessage());
        }
    }

    @Test
    void aCompletedCommandDeliversTheKernelsBufferToTheCaller() throws Exception {
        try (UringAdminChannel channel = UringAdminChannel.open(DEV_NULL, 4);
             Arena arena = Arena.ofConfined()) {
            MemorySegment data = DataBuffers.allocate(arena, DataBuffers.IDENTIFY_SIZE).fill((byte) 0xaa);
            assertEquals(0, channel.execute(IDENTIFY_CONTROLLER, data));
            assertEquals(-1L, data.mismatch(MemorySegment.ofArray(new byte[(int) data.byteSize()])),
                    "the command's own zeroed buffer, copied out");
        }
    }

    @Test
    void refusesCommandsThatAreNotReadOnlyWithoutTheOptIn() throws Exception {
        AdminCommand setFeatures = new AdminCommand(0x09, 0, 0x80, 0, 0, 0, 0, 0, Duration.ZERO);
        AdminCommand format = new AdminCommand(0x80, 1, 0, 0, 0, 0, 0, 0, Duration.ZERO);
        try (UringAdminChannel channel = UringAdminChannel.open(DEV_NULL, 4);
             Arena arena = Arena.ofShared()) {
            MemorySegment data = DataBuffers.allocate(arena, 512);
            CommandRefusedException e = assertThrows(CommandRefusedException.class,
                    () -> channel.execute(setFeatures, data));
            assertEquals(0x09, e.opcode());
            assertEquals("/dev/null: refused Set Features (09h) (NSID 0): it is not a read-only command; open the"
                    + " channel with allowDestructive to send it", e.getMessage());
            assertThrows(CommandRefusedException.class, () -> channel.submit(format, MemorySegment.NULL));
        }
    }

    @Test
    void dataForTheDeviceIsNotCopiedBack() throws Exception {
        AdminCommand setFeatures = new AdminCommand(0x09, 0, 0x80, 0, 0, 0, 0, 0, Duration.ZERO);
        try (UringAdminChannel channel = UringAdminChannel.open(DEV_NULL, 4, true);
             Arena arena = Arena.ofConfined()) {
            MemorySegment data = DataBuffers.allocate(arena, 512).fill((byte) 0x5a);
            assertEquals(0, channel.execute(setFeatures, data));
            byte[] expected = new byte[512];
            java.util.Arrays.fill(expected, (byte) 0x5a);
            assertEquals(-1L, data.mismatch(MemorySegment.ofArray(expected)));
        }
    }

    @Test
    void submitDeliversBeforeTheFutureCompletes() throws Exception {
        try (UringAdminChannel channel = UringAdminChannel.open(DEV_NULL, 2);
             Arena arena = Arena.ofShared()) {
            List<MemorySegment> buffers = new ArrayList<>();
            List<CompletableFuture<Boolean>> zeroed = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                MemorySegment data = DataBuffers.allocate(arena, DataBuffers.IDENTIFY_SIZE).fill((byte) 1);
                buffers.add(data);
                zeroed.add(channel.submit(IDENTIFY_CONTROLLER, data)
                        .thenApply(dword0 -> dword0 == 0 && data.elements(java.lang.foreign.ValueLayout.JAVA_BYTE)
                                .allMatch(b -> b.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 0) == 0)));
            }
            for (CompletableFuture<Boolean> f : zeroed)
                assertTrue(f.join());
        }
    }

    @Test
    void manyCallersAtOnceEachGetTheirAnswer() throws Exception {
        int callers = 500;
        try (UringAdminChannel channel = UringAdminChannel.open(DEV_ZERO, 8);
             var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Integer>> errnos = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                int nsid = i + 1;
                errnos.add(executor.submit(() -> {
                    try (Arena arena = Arena.ofConfined()) {
                        channel.execute(AdminCommand.identify(AdminCommand.CNS_NAMESPACE, nsid, 0),
                                DataBuffers.allocate(arena, DataBuffers.IDENTIFY_SIZE));
                        return 0;
                    } catch (NativeCallException e) {
                        return e.errno();
                    }
                }));
            }
            for (Future<Integer> f : errnos)
                assertEquals(Errno.EOPNOTSUPP, f.get());
        }
    }

    @Test
    void submitCompletesTheFutureExceptionally() throws Exception {
        try (UringAdminChannel channel = UringAdminChannel.open(DEV_ZERO, 2)) {
            List<CompletableFuture<Integer>> futures = new ArrayList<>();
            for (int i = 0; i < 10; i++)
                futures.add(channel.submit(IDENTIFY_CONTROLLER,
                        DataBuffers.allocate(Arena.ofAuto(), DataBuffers.IDENTIFY_SIZE)));
            futures.add(channel.submit(IDENTIFY_CONTROLLER, MemorySegment.NULL));
            for (CompletableFuture<Integer> f : futures) {
                CompletionException e = assertThrows(CompletionException.class, f::join);
                assertEquals(Errno.EOPNOTSUPP, assertInstanceOf(NativeCallException.class, e.getCause()).errno());
            }
        }
    }

    @Test
    void submitRefusesASegmentConfinedToTheCaller() throws Exception {
        try (UringAdminChannel channel = UringAdminChannel.open(DEV_ZERO, 2);
             Arena arena = Arena.ofConfined()) {
            assertThrows(IllegalArgumentException.class, () -> channel.submit(IDENTIFY_CONTROLLER,
                    DataBuffers.allocate(arena, DataBuffers.IDENTIFY_SIZE)));
        }
    }

    @Test
    void closedChannelCancelsCommands() throws Exception {
        UringAdminChannel channel = UringAdminChannel.open(DEV_ZERO, 2);
        channel.close();
        NativeCallException e = assertThrows(NativeCallException.class,
                () -> channel.execute(IDENTIFY_CONTROLLER, MemorySegment.NULL));
        assertEquals(Errno.ECANCELED, e.errno());
        channel.close();
    }

    @Test
    void probeReportsAFileThatRefusesPassthrough() throws Exception {
        UringAdminChannel.Probe p = UringAdminChannel.probe(DEV_ZERO, 4, Duration.ZERO, false);
        assertNull(p.channel());
        assertEquals("io_uring_cmd(/dev/zero): Operation not supported (EOPNOTSUPP)", p.refusal());
    }

    @Test
    void probeReportsAFileThatTakesAnyCommandWithoutData() throws Exception {
        // /dev/null completes every URING_CMD with success and no data (Linux 5.19 and later).
        UringAdminChannel.Probe p = UringAdminChannel.probe(Path.of("/dev/null"), 4, Duration.ZERO, false);
        assertNull(p.channel());
        assertEquals("the device answered Identify with no data", p.refusal());
    }

    @Test
    void probeThrowsForAMissingDevice() {
        Path missing = Path.of("/dev/nvme-does-not-exist");
        NativeCallException e = assertThrows(NativeCallException.class,
                () -> UringAdminChannel.probe(missing, 4, Duration.ZERO, false));
        assertEquals("open", e.call());
        assertEquals(Errno.ENOENT, e.errno());
    }

    @Test
    void openRejectsAnImpossibleBound() {
        assertThrows(IllegalArgumentException.class, () -> UringAdminChannel.open(DEV_ZERO, 0));
        assertThrows(IllegalArgumentException.class, () -> UringAdminChannel.open(DEV_ZERO, 4097));
    }

    @Test
    void resultsMapLikeThePassthroughIoctl() {
        AdminCommand timed = IDENTIFY_CONTROLLER.withTimeout(Duration.ofMillis(1500));
        CommandTimeoutException cancelled = assertInstanceOf(CommandTimeoutException.class,
                UringAdminChannel.failure("/dev/nvme0", timed, -Errno.EINTR));
        assertEquals(Duration.ofMillis(1500), cancelled.timeout());
        assertInstanceOf(CommandTimeoutException.class, UringAdminChannel.failure("/dev/nvme0", timed, 0x0007));
        assertInstanceOf(CommandTimeoutException.class, UringAdminChannel.failure("/dev/nvme0", timed, 0x0371));
        CommandTimeoutException byDefault = assertInstanceOf(CommandTimeoutException.class,
                UringAdminChannel.failure("/dev/nvme0", IDENTIFY_CONTROLLER, -Errno.EINTR));
        assertTrue(byDefault.timeout().isPositive(), "the kernel's default admin timeout");

        NvmeStatusException invalidField = assertInstanceOf(NvmeStatusException.class,
                UringAdminChannel.failure("/dev/nvme0", IDENTIFY_CONTROLLER, 0x4002));
        assertEquals(new NvmeStatus(0x4002), invalidField.status());
        NativeCallException fault = assertInstanceOf(NativeCallException.class,
                UringAdminChannel.failure("/dev/nvme0", IDENTIFY_CONTROLLER, -Errno.EFAULT));
        assertEquals(Errno.EFAULT, fault.errno());
        assertInstanceOf(IllegalStateException.class,
                UringAdminChannel.failure("/dev/nvme0", IDENTIFY_CONTROLLER, 0x8000));
    }
}

package dev.nvmescan.nativebindings.uring;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nvmescan.nativebindings.AdminCommand;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;

import org.junit.jupiter.api.Test;

class NvmeUringCmdTest {
    private static final long TIMEOUT_MS = IoUringAbi.offset(NvmeUringCmd.LAYOUT, "timeout_ms");

    /** io_uring gives the kernel the same timeout_ms as the ioctl: never "default" for a short timeout. */
    @Test
    void timeoutsConvertAsForTheIoctl() {
        AdminCommand id = AdminCommand.identify(AdminCommand.CNS_CONTROLLER, 0, AdminCommand.CSI_NVM);
        assertEquals(0, timeoutMs(id));
        assertEquals(1, timeoutMs(id.withTimeout(Duration.ofNanos(1))));
        assertEquals(1, timeoutMs(id.withTimeout(Duration.ofMillis(1).minusNanos(1))));
        assertEquals(1500, timeoutMs(id.withTimeout(Duration.ofMillis(1500))));
        assertEquals(0xffff_ffff, timeoutMs(id.withTimeout(AdminCommand.MAX_TIMEOUT)));
    }

    private static int timeoutMs(AdminCommand command) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cmd = arena.allocate(NvmeUringCmd.LAYOUT);
            NvmeUringCmd.write(cmd, command, MemorySegment.NULL);
            return cmd.get(JAVA_INT, TIMEOUT_MS);
        }
    }
}

package dev.nvmescan.nativebindings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class AdminCommandTest {
    private static final AdminCommand ID = AdminCommand.identify(AdminCommand.CNS_CONTROLLER, 0, AdminCommand.CSI_NVM);

    @Test
    void timeoutsBeyond32BitsOfMillisecondsAreRejectedNotClamped() {
        assertEquals(AdminCommand.MAX_TIMEOUT, ID.withTimeout(AdminCommand.MAX_TIMEOUT).timeout());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ID.withTimeout(AdminCommand.MAX_TIMEOUT.plusMillis(1)));
        assertEquals("timeout longer than 4294967295 ms (49.7 days): 4294967.296 s", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ID.withTimeout(Duration.ofDays(365L * 1000_000_000)));
        assertThrows(IllegalArgumentException.class, () -> ID.withTimeout(Duration.ofMillis(-1)));
    }
}

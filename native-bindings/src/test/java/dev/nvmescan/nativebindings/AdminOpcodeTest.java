package dev.nvmescan.nativebindings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

class AdminOpcodeTest {

    @Test
    void onlyTheReadingCommandsAreReadOnly() {
        Set<AdminOpcode> readOnly = EnumSet.noneOf(AdminOpcode.class);
        for (AdminOpcode op : AdminOpcode.values())
            if (op.readOnly())
                readOnly.add(op);
        assertEquals(EnumSet.of(AdminOpcode.IDENTIFY, AdminOpcode.GET_LOG_PAGE, AdminOpcode.GET_FEATURES,
                AdminOpcode.GET_LBA_STATUS), readOnly);
    }

    @Test
    void destructiveAndUnknownOpcodesAreNotReadOnly() {
        for (int code : new int[] {0x80, 0x84, 0x0d, 0x15, 0x10, 0x11, 0x81, 0x09, 0x19, 0x00, 0x01, 0x1c, 0x24})
            assertFalse(AdminOpcode.isReadOnly(code), AdminOpcode.describe(code));
        for (int code = 0; code < 256; code++)
            if (AdminOpcode.of(code) == null)
                assertFalse(AdminOpcode.isReadOnly(code), AdminOpcode.describe(code));
        assertFalse(AdminOpcode.isReadOnly(-1));
        assertFalse(AdminOpcode.isReadOnly(0x106));
    }

    @Test
    void codesAreDistinctAndLookedUp() {
        Set<Integer> codes = new HashSet<>();
        for (AdminOpcode op : AdminOpcode.values()) {
            assertEquals(true, codes.add(op.code()), op.name());
            assertSame(op, AdminOpcode.of(op.code()));
        }
        assertEquals(0x06, AdminCommand.IDENTIFY);
        assertSame(AdminOpcode.IDENTIFY, AdminOpcode.of(AdminCommand.IDENTIFY));
        assertNull(AdminOpcode.of(0xc1));
    }

    @Test
    void describesKnownAndVendorOpcodes() {
        assertEquals("Format NVM (80h)", AdminOpcode.describe(0x80));
        assertEquals("Sanitize (84h)", AdminOpcode.describe(0x84));
        assertEquals("vendor specific admin opcode C1h", AdminOpcode.describe(0xc1));
        assertEquals("admin opcode 03h", AdminOpcode.describe(0x03));
    }

    /** Opcode bits 1:0: 00b none (or vendor defined), 01b host to controller, 10b back, 11b both ways. */
    @Test
    void dataDirectionFollowsOpcodeBits1To0() {
        assertFalse(AdminOpcode.transfersToController(0x06));   // Identify
        assertTrue(AdminOpcode.transfersToHost(0x06));
        assertTrue(AdminOpcode.transfersToController(0x09));    // Set Features
        assertFalse(AdminOpcode.transfersToHost(0x09));
        assertTrue(AdminOpcode.transfersToController(0xc3));    // a bidirectional vendor opcode
        assertTrue(AdminOpcode.transfersToHost(0xc3), "bidirectional data must come back too");
        assertFalse(AdminOpcode.transfersToController(0x80));   // Format NVM
    }
}

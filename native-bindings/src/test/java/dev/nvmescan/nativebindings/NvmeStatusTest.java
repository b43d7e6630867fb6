package dev.nvmescan.nativebindings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class NvmeStatusTest {

    @Test
    void decodesTypeCodeAndFlags() {
        NvmeStatus s = new NvmeStatus(0x7b0b);  // DNR, More, CRD 3, SCT 3h, SC 0Bh
        assertEquals(3, s.sct());
        assertEquals(0x0b, s.sc());
        assertEquals(3, s.crd());
        assertTrue(s.more());
        assertTrue(s.dnr());
        NvmeStatus plain = NvmeStatus.of(0, 0x0b);
        assertFalse(plain.dnr());
        assertFalse(plain.more());
        assertEquals(0, plain.crd());
    }

    @Test
    void namesTheCommonCodes() {
        assertEquals("Invalid Command Opcode", NvmeStatus.of(0, 0x01).name());
        assertEquals("Invalid Field in Command", NvmeStatus.of(0, 0x02).name());
        assertEquals("Invalid Namespace or Format", NvmeStatus.of(0, 0x0b).name());
        assertEquals("Namespace Not Ready", NvmeStatus.of(0, 0x82).name());
        assertEquals("Internal Error", NvmeStatus.of(0, 0x06).name());
        assertEquals("Command Abort Requested", NvmeStatus.of(0, 0x07).name());
        assertEquals("Invalid Log Page", NvmeStatus.of(1, 0x09).name());
        assertEquals("Namespace Not Attached", NvmeStatus.of(1, 0x1a).name());
        assertEquals("Unrecovered Read Error", NvmeStatus.of(2, 0x81).name());
        assertEquals("Asymmetric Access Inaccessible", NvmeStatus.of(3, 0x02).name());
        assertEquals("Command Aborted By Host", NvmeStatus.of(3, 0x71).name());
        assertEquals("Vendor Specific", NvmeStatus.of(7, 0x12).name());
        assertEquals("Unknown Status", NvmeStatus.of(0, 0x7f).name());
        assertNull(NvmeStatus.of(0, 0x7f).token());
    }

    @Test
    void toStringShowsNameTypeCodeAndFlags() {
        assertEquals("Invalid Namespace or Format (SCT 0h SC 0Bh, DNR)", new NvmeStatus(0x400b).toString());
        assertEquals("Invalid Field in Command (SCT 0h SC 02h)", new NvmeStatus(0x0002).toString());
        assertEquals("Namespace Not Ready (SCT 0h SC 82h, More, CRD 1)", new NvmeStatus(0x2882).toString());
        assertEquals("Vendor Specific (SCT 7h SC C4h)", NvmeStatus.of(7, 0xc4).toString());
    }

    @Test
    void parsesNumbersInHexAndDecimal() {
        assertEquals(new NvmeStatus(0x400b), NvmeStatus.parse("0x400b"));
        assertEquals(new NvmeStatus(0x400b), NvmeStatus.parse("0X400B"));
        assertEquals(new NvmeStatus(0x400b), NvmeStatus.parse("16395"));
        assertEquals(new NvmeStatus(0), NvmeStatus.parse("0"));
        assertEquals(new NvmeStatus(0x7fff), NvmeStatus.parse(" 0x7fff "));
    }

    @Test
    void parsesTokensAndNames() {
        assertEquals(NvmeStatus.of(0, 0x0b), NvmeStatus.parse("INVALID_NS"));
        assertEquals(NvmeStatus.of(0, 0x0b), NvmeStatus.parse("invalid_ns"));
        assertEquals(NvmeStatus.of(0, 0x0b), NvmeStatus.parse("NVME_SC_INVALID_NS"));
        assertEquals(NvmeStatus.of(0, 0x0b).withDnr(), NvmeStatus.parse("INVALID_NS+DNR"));
        assertEquals(NvmeStatus.of(0, 0x82), NvmeStatus.parse("ns_not_ready"));
        assertEquals(NvmeStatus.of(0, 0x0b), NvmeStatus.parse("Invalid Namespace or Format"));
        assertEquals(NvmeStatus.of(0, 0x02).withDnr(), NvmeStatus.parse("invalid field in command + dnr"));
        assertEquals(NvmeStatus.of(3, 0x71), NvmeStatus.parse("HOST_ABORTED_CMD"));
    }

    @Test
    void everyNamedStatusParsesBackFromItsTokenAndItsName() {
        int named = 0;
        for (int sct = 0; sct < 8; sct++) {
            for (int sc = 0; sc < 256; sc++) {
                NvmeStatus s = NvmeStatus.of(sct, sc);
                if (s.token() == null)
                    continue;
                named++;
                assertEquals(s, NvmeStatus.parse(s.token()), s.token());
                assertEquals(s, NvmeStatus.parse(s.name()), s.name());
            }
        }
        assertTrue(named > 100, "named statuses: " + named);
    }

    @Test
    void rejectsWhatIsNoStatus() {
        for (String bad : new String[] {"", "  ", "0x8000", "32768", "-1", "0xZZ", "12abc", "NO_SUCH_STATUS",
                "Invalid", "+DNR"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NvmeStatus.parse(bad), bad);
            assertTrue(e.getMessage().contains("status"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> new NvmeStatus(0x8000));
    }
}

package dev.nvmescan.scanner.output;

import static org.junit.jupiter.api.Assertions.*;

import java.util.function.Consumer;

import org.junit.jupiter.api.Test;

/**
 * Single decodes against the format strings of nvme-cli 2.16's nvme-print-stdout.c, written out by
 * hand from them, where 2.16 prints something a plain reading would not expect.
 */
class IdentifyBitFieldsTest {
    private static String out(Consumer<StringBuilder> body) {
        StringBuilder o = new StringBuilder();
        body.accept(o);
        return o.toString();
    }

    @Test
    void hexIsCsAlternateForm() {
        assertEquals("0", IdentifyBitFields.x(0), "%#x of 0 has no 0x");
        assertEquals("0x1b36", IdentifyBitFields.x(0x1b36));
        assertEquals("0xffffffff", IdentifyBitFields.x(0xffffffffL));
    }

    @Test
    void cmicShowsReservedBitsOnlyWhenSet() {
        assertEquals("  [3:3] : 0\tANA not supported\n  [2:2] : 0\tPCI\n  [1:1] : 0\tSingle Controller\n"
                + "  [0:0] : 0\tSingle Port\n\n", out(o -> IdentifyBitFields.cmic(o, 0)));
        assertEquals("  [7:4] : 0x1\tReserved\n  [3:3] : 0x1\tANA supported\n  [2:2] : 0x1\tSR-IOV\n"
                + "  [1:1] : 0x1\tMulti Controller\n  [0:0] : 0x1\tMulti Port\n\n",
                out(o -> IdentifyBitFields.cmic(o, 0x1f)));
    }

    @Test
    void cntrltypeAlwaysHasReservedLineAndNoBlankLine() {
        // printf("  [7:2] : %#x\tReserved\n", rsvd); printf("  [1:0] : %#x\t%s\n", cntrltype, type[cntrl]);
        assertEquals("  [7:2] : 0\tReserved\n  [1:0] : 0x1\tI/O Controller\n",
                out(o -> IdentifyBitFields.cntrltype(o, 1)));
        assertEquals("  [7:2] : 0x1\tReserved\n  [1:0] : 0x6\tDiscovery Controller\n",
                out(o -> IdentifyBitFields.cntrltype(o, 6)));
    }

    @Test
    void temperaturesInCelsiusKelvinsFahrenheit() {
        assertEquals(" [15:0] : 70 °C (343 K, 158 °F)\tWarning Composite Temperature Threshold (WCTEMP)\n\n",
                out(o -> IdentifyBitFields.temperature(o, 343, "Warning Composite Temperature Threshold (WCTEMP)")));
        // -273 * 9 / 5 truncates to -491 in C
        assertEquals(" [15:0] : -273 °C (0 K, -459 °F)\tX\n\n", out(o -> IdentifyBitFields.temperature(o, 0, "X")));
    }

    @Test
    void sglsWithoutSupportShowsOnlyThresholdAndNotSupported() {
        assertEquals(" [15:8] : 0\tSGL Descriptor Threshold\n [1:0]  : 0\tScatter-Gather Lists Not Supported\n\n",
                out(o -> IdentifyBitFields.sgls(o, 0)));
        assertEquals(" [21:21]: 0\tTransport SGL Data Block Descriptor Not Supported\n"
                + " [20:20]: 0\tAddress Offsets Not Supported\n"
                + " [19:19]: 0\tMetadata Pointer Containing SGL Descriptor is Not Supported\n"
                + " [18:18]: 0\tSGL Length Larger than Buffer Not Supported\n"
                + " [17:17]: 0\tByte-Aligned Contig. MD Buffer Not Supported\n"
                + " [16:16]: 0x1\tSGL Bit-Bucket Supported\n"
                + " [15:8] : 0x2\tSGL Descriptor Threshold\n"
                + "  [2:2] : 0\tKeyed SGL Data Block descriptor Not Supported\n"
                + "  [1:0] : 0x2\tScatter-Gather Lists Supported. Dword alignment required.\n\n",
                out(o -> IdentifyBitFields.sgls(o, 0x10202)));
    }

    @Test
    void nvmeCliSlipsAreKept() {
        // "Disconnect command %s Supported" with "" or "Not"
        assertEquals("  [0:0] : 0x1\tDisconnect command  Supported\n\n", out(o -> IdentifyBitFields.ofcs(o, 1)));
        // ndi ? "Not " : "", fna's bcnsid ? "Not " : ""
        assertTrue(out(o -> IdentifyBitFields.sanicap(o, 0)).contains(
                "  [29:29] : 0\tNo-Deallocate After Sanitize bit in Sanitize command Supported\n"));
        assertTrue(out(o -> IdentifyBitFields.fna(o, 8)).startsWith(
                "  [3:3] : 0x1\tFormat NVM Broadcast NSID (FFFFFFFFh) Not Supported\n"));
        // vwcr = vwci & 0xfe
        assertEquals("  [7:7] : 0x1\tVPD Write Cycles Remaining field is valid.\n"
                + "  [6:0] : 0x82\tVPD Write Cycles Remaining\n\n", out(o -> IdentifyBitFields.vwci(o, 0x83)));
    }

    @Test
    void namespaceFeatures() {
        assertEquals("  [7:7] : 0\tNPRG, NPRA and NORS are Not Supported\n"
                + "  [6:6] : 0\tSingle Atomicity Mode applies to write operations\n"
                + "  [5:4] : 0x1\tNPWG, NPWA, NPDG, NPDA, and NOWS are Supported\n"
                + "  [3:3] : 0x1\tNGUID and EUI64 fields if non-zero, Never Reused\n"
                + "  [2:2] : 0\tDeallocated or Unwritten Logical Block error Not Supported\n"
                + "  [1:1] : 0\tNamespace uses AWUN, AWUPF, and ACWU\n"
                + "  [0:0] : 0\tThin Provisioning Not Supported\n\n", out(o -> IdentifyBitFields.nsfeat(o, 0x18)));
        assertTrue(out(o -> IdentifyBitFields.nsfeat(o, 0)).contains(
                "  [5:4] : 0\tNPWG, NPWA, NPDG, NPDGL, NPDA, and NOWS are Not Supported\n"));
    }

    @Test
    void formatProgressShowsRemainingOnlyWhenSupportedOrNonZero() {
        assertEquals("  [7:7] : 0\tFormat Progress Indicator Not Supported\n\n", out(o -> IdentifyBitFields.fpi(o, 0)));
        assertEquals("  [7:7] : 0x1\tFormat Progress Indicator Supported\n"
                + "  [6:0] : 0x32\tFormat Progress Indicator (Remaining 50%)\n\n",
                out(o -> IdentifyBitFields.fpi(o, 0x80 | 50)));
    }
}

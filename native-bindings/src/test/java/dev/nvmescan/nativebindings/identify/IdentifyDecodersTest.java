package dev.nvmescan.nativebindings.identify;

import static org.junit.jupiter.api.Assertions.*;

import dev.nvmescan.nativebindings.AdminCommand;
import dev.nvmescan.nativebindings.DataBuffers;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

/**
 * Decoders against buffers built by hand at the specification's byte offsets, so a wrong offset in
 * a decoder cannot hide behind the same wrong offset in its encoder.
 */
class IdentifyDecodersTest {

    private static byte[] page() {
        return new byte[4096];
    }

    private static void le(byte[] b, int off, long v, int bytes) {
        for (int i = 0; i < bytes; i++)
            b[off + i] = (byte) (v >>> (8 * i));
    }

    private static void ascii(byte[] b, int off, int len, String s) {
        byte[] a = s.getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < len; i++)
            b[off + i] = i < a.length ? a[i] : (byte) ' ';
    }

    @Test
    void controllerFieldsAtSpecOffsets() {
        byte[] b = page();
        le(b, 0, 0x144d, 2);                       // vid
        le(b, 2, 0xa801, 2);                       // ssvid
        ascii(b, 4, 20, "S4EWNX0R123456");         // sn
        ascii(b, 24, 40, "Samsung SSD 980 PRO 1TB");
        ascii(b, 64, 8, "5B2QGXA7");
        b[72] = 2;                                 // rab
        b[73] = 0x38; b[74] = 0x25; b[75] = 0x00;  // ieee 002538h, little endian
        b[77] = 9;                                 // mdts
        le(b, 78, 6, 2);                           // cntlid
        le(b, 80, 0x00020000, 4);                  // ver 2.0.0
        le(b, 96, 0x80000000L, 4);                 // ctratt, top bit: must stay unsigned
        le(b, 256, 0x17, 2);                       // oacs
        b[263] = 1;                                // npss: two power states
        le(b, 280, -1L, 8);                        // tnvmcap = 2^64 + 2^64 - 1
        le(b, 288, 1, 8);
        b[512] = 0x66; b[513] = 0x44;              // sqes, cqes
        le(b, 516, 1024, 4);                       // nn
        le(b, 520, 0x5f, 2);                       // oncs
        le(b, 540, 0, 4);                          // mnan
        byte[] nqn = "nqn.2014.08.org.nvmexpress:144d144dS4EWNX0R123456".getBytes(StandardCharsets.UTF_8);
        System.arraycopy(nqn, 0, b, 768, nqn.length);
        le(b, 2048 + 32, 0x09c4, 2);               // psd[1].mp
        b[2048 + 32 + 3] = 0x3;                    // psd[1] mxps, nops
        le(b, 2048 + 32 + 4, 2000, 4);             // psd[1].enlat
        b[2048 + 32 + 22] = (byte) 0x82;           // psd[1] apws: scale 2, workload 2

        IdentifyController c = IdentifyController.decode(b);
        assertEquals(0x144d, c.vid());
        assertEquals(0xa801, c.ssvid());
        assertEquals("S4EWNX0R123456", c.sn());
        assertEquals("Samsung SSD 980 PRO 1TB", c.mn());
        assertEquals("5B2QGXA7", c.fr());
        assertEquals(2, c.rab());
        assertEquals(0x002538, c.ieee());
        assertEquals(9, c.mdts());
        assertEquals(6, c.cntlid());
        assertEquals("2.0.0", c.version());
        assertEquals(0x80000000L, c.ctratt());
        assertEquals(0x17, c.oacs());
        assertEquals(BigInteger.ONE.shiftLeft(65).subtract(BigInteger.ONE), c.tnvmcap());
        assertEquals(0x66, c.sqes());
        assertEquals(0x44, c.cqes());
        assertEquals(1024, c.nn());
        assertEquals(0x5f, c.oncs());
        assertEquals("nqn.2014.08.org.nvmexpress:144d144dS4EWNX0R123456", c.subnqn());
        assertEquals(2, c.psds().size());
        IdentifyController.PowerState ps1 = c.psds().get(1);
        assertEquals(0x09c4, ps1.mp());
        assertEquals(1, ps1.maxPowerScale());
        assertTrue(ps1.nonOperational());
        assertEquals(2000, ps1.enlat());
        assertEquals(2, ps1.activeWorkload());
        assertEquals(2, ps1.activeScale());
        assertArrayEquals(b, c.encode(), "every decoded byte encodes back to its place");
    }

    /** The NVMe 2.1 fields nvme-cli 2.16 prints, at the offsets of libnvme 1.16's struct nvme_id_ctrl. */
    @Test
    void controllerNvme21FieldsAtLibnvmeOffsets() {
        byte[] b = page();
        ascii(b, 4, 20, "");                       // sn, mn, fr: space padded, as encode() writes them
        ascii(b, 24, 40, "");
        ascii(b, 64, 8, "");
        b[358] = 0x3;                              // kpioc
        le(b, 360, 0x1234, 2);                     // mptfawr
        b[384] = 0x5;                              // tmpthha
        le(b, 386, 0x2345, 2);                     // cqt
        le(b, 560, 0x11223344L, 4);                // maxcna, the last field before them
        le(b, 564, 0xfedcba98L, 4);                // oaqd, unsigned
        b[568] = 0x21;                             // rhiri
        b[569] = 0x22;                             // hirt
        le(b, 570, 0x3132, 2);                     // cmmrtd
        le(b, 572, 0x4142, 2);                     // nmmrtd
        b[574] = 0x23;                             // minmrtg
        b[575] = 0x24;                             // maxmrtg
        b[576] = 0x3;                              // trattr
        le(b, 578, 0x5152, 2);                     // mcudmq
        le(b, 580, 0x6162, 2);                     // mnsudmq
        le(b, 582, 0x7172, 2);                     // mcmr
        le(b, 584, 0x8182, 2);                     // nmcmr
        le(b, 586, 0x9192, 2);                     // mcdqpc
        b[2048 + 23] = 0x11;                       // psd[0].epfrt
        b[2048 + 24] = 0x12;                       // psd[0].fqvt
        b[2048 + 25] = 0x13;                       // psd[0].epfvt
        b[2048 + 26] = (byte) 0xa5;                // psd[0] fqv scale 0xa, epfr scale 5
        b[2048 + 27] = 0x7;                        // psd[0] epfv scale

        IdentifyController c = IdentifyController.decode(b);
        assertEquals(3, c.kpioc());
        assertEquals(0x1234, c.mptfawr());
        assertEquals(5, c.tmpthha());
        assertEquals(0x2345, c.cqt());
        assertEquals(0x11223344L, c.maxcna());
        assertEquals(0xfedcba98L, c.oaqd());
        assertEquals(0x21, c.rhiri());
        assertEquals(0x22, c.hirt());
        assertEquals(0x3132, c.cmmrtd());
        assertEquals(0x4142, c.nmmrtd());
        assertEquals(0x23, c.minmrtg());
        assertEquals(0x24, c.maxmrtg());
        assertEquals(3, c.trattr());
        assertEquals(0x5152, c.mcudmq());
        assertEquals(0x6162, c.mnsudmq());
        assertEquals(0x7172, c.mcmr());
        assertEquals(0x8182, c.nmcmr());
        assertEquals(0x9192, c.mcdqpc());
        IdentifyController.PowerState ps0 = c.psds().get(0);
        assertEquals(0x11, ps0.epfrt());
        assertEquals(0x12, ps0.fqvt());
        assertEquals(0x13, ps0.epfvt());
        assertEquals(5, ps0.epfrScale());
        assertEquals(0xa, ps0.fqvScale());
        assertEquals(7, ps0.epfvts());
        assertArrayEquals(b, c.encode(), "every decoded byte encodes back to its place");
    }

    /** Identify Namespace's vendor specific area (offset 384) is kept up to its first NUL. */
    @Test
    void namespaceVendorSpecificUpToTheFirstNul() {
        byte[] b = page();
        byte[] vs = "ACME\u00e9 vs".getBytes(StandardCharsets.ISO_8859_1);
        System.arraycopy(vs, 0, b, 384, vs.length);
        b[384 + vs.length + 1] = 'x';               // after the NUL: not kept
        IdentifyNamespace ns = IdentifyNamespace.decode(b);
        assertEquals("ACME\u00e9 vs", ns.vs());
        b[384 + vs.length + 1] = 0;
        assertArrayEquals(b, ns.encode());
        b[4095] = 'z';                              // the area's last byte, with no NUL before it
        Arrays.fill(b, 384, 4095, (byte) 'y');
        assertEquals(3712, IdentifyNamespace.decode(b).vs().length());
    }

    @Test
    void controllerFromSegmentEqualsFromArray() {
        byte[] b = page();
        ascii(b, 24, 40, "QEMU NVMe Ctrl");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment seg = DataBuffers.allocate(arena, 4096);
            MemorySegment.copy(b, 0, seg, ValueLayout.JAVA_BYTE, 0, 4096);
            assertEquals(IdentifyController.decode(b), IdentifyController.decode(seg));
        }
    }

    @Test
    void stringsKeepInnerSpacesAndNonAsciiBytes() {
        byte[] b = page();
        ascii(b, 24, 40, "  A  B  ");
        b[4] = (byte) 0xe9;                         // one Latin-1 byte in the serial, rest spaces
        ascii(b, 5, 19, "");
        IdentifyController c = IdentifyController.decode(b);
        assertEquals("A  B", c.mn());
        assertEquals("\u00e9", c.sn());
    }

    @Test
    void controllerRejectsTooManyPowerStatesAndBadNqn() {
        byte[] b = page();
        b[263] = 32;
        var e = assertThrows(IdentifyDecodeException.class, () -> IdentifyController.decode(b));
        assertTrue(e.getMessage().contains("npss"), e.getMessage());
        byte[] c = page();
        c[768] = (byte) 0xc3;                       // truncated two-byte sequence
        e = assertThrows(IdentifyDecodeException.class, () -> IdentifyController.decode(c));
        assertTrue(e.getMessage().contains("subnqn"), e.getMessage());
    }

    @Test
    void wrongSizesAreDecodeErrors() {
        for (int size : new int[] {0, 1, 4095, 4097, 8192}) {
            byte[] b = new byte[size];
            assertThrows(IdentifyDecodeException.class, () -> IdentifyController.decode(b));
            assertThrows(IdentifyDecodeException.class, () -> IdentifyNamespace.decode(b));
            assertThrows(IdentifyDecodeException.class, () -> NamespaceList.decode(b));
            assertThrows(IdentifyDecodeException.class, () -> NamespaceIdDescriptors.decode(b));
            assertThrows(IdentifyDecodeException.class, () -> IdentifyZonedNamespace.decode(b, 1));
        }
        assertThrows(IdentifyDecodeException.class, () -> IdentifyNamespace.decode((byte[]) null));
    }

    @Test
    void namespaceFieldsAndLbaFormatInUse() {
        byte[] b = page();
        le(b, 0, 0x1d1c0beb0L, 8);                  // nsze
        le(b, 8, 0x1d1c0beb0L, 8);                  // ncap
        le(b, 16, 0x2a0000L, 8);                    // nuse
        b[24] = 0x1a;                               // nsfeat
        b[25] = 1;                                  // nlbaf: two formats
        b[26] = 1;                                  // flbas: format 1
        le(b, 48, 0x3a3812ab000L, 8);               // nvmcap low
        le(b, 56, 1, 8);                            // nvmcap high
        le(b, 92, 0xfffffffeL, 4);                  // anagrpid, unsigned
        for (int i = 0; i < 16; i++)
            b[104 + i] = (byte) (0xa0 + i);         // nguid
        for (int i = 0; i < 8; i++)
            b[120 + i] = (byte) (0x10 * i + 1);     // eui64
        le(b, 128, 0, 2); b[130] = 9; b[131] = 2;   // lbaf0: 512 bytes, good
        le(b, 132, 8, 2); b[134] = 12; b[135] = 0;  // lbaf1: 4096 + 8, best

        IdentifyNamespace ns = IdentifyNamespace.decode(b);
        assertEquals(0x1d1c0beb0L, ns.nsze());
        assertEquals(0x2a0000L, ns.nuse());
        assertEquals(0x1a, ns.nsfeat());
        assertEquals(1, ns.nlbaf());
        assertEquals(BigInteger.ONE.shiftLeft(64).add(BigInteger.valueOf(0x3a3812ab000L)), ns.nvmcap());
        assertEquals(0xfffffffeL, ns.anagrpid());
        assertEquals("a0a1a2a3a4a5a6a7a8a9aaabacadaeaf", ns.nguid());
        assertEquals("0111213141516171", ns.eui64());
        assertEquals(List.of(new IdentifyNamespace.LbaFormat(0, 9, 2), new IdentifyNamespace.LbaFormat(8, 12, 0)),
                ns.lbafs());
        assertEquals("", ns.vs(), "no vendor specific bytes");
        assertEquals(1, ns.lbaFormatIndex());
        assertEquals(4096, ns.lbaFormat().dataSize());
        assertArrayEquals(b, ns.encode());
    }

    @Test
    void flbasUpperBitsExtendTheFormatIndex() {
        byte[] b = page();
        b[25] = 20;                                 // 21 formats
        b[26] = 0x24;                               // bits 6:5 = 01b, bits 3:0 = 4: format 20
        b[128 + 4 * 20 + 2] = 12;
        IdentifyNamespace ns = IdentifyNamespace.decode(b);
        assertEquals(21, ns.lbafs().size());
        assertEquals(20, ns.lbaFormatIndex());
        assertEquals(12, ns.lbaFormat().ds());
    }

    @Test
    void flbasUpperBitsAreIgnoredWithAtMost16Formats() {
        byte[] b = page();
        b[25] = 3;                                  // 4 formats
        b[26] = 0x62;                               // bits 6:5 set, but reserved here: format 2
        b[128 + 4 * 2 + 2] = 12;
        IdentifyNamespace ns = IdentifyNamespace.decode(b);
        assertEquals(2, ns.lbaFormatIndex());
        assertEquals(12, ns.lbaFormat().ds());
        b[25] = 16;                                 // nlbaf 16: still ignored, as the specification says
        assertEquals(2, IdentifyNamespace.decode(b).lbaFormatIndex());
    }

    @Test
    void namespaceRejectsInconsistentFormats() {
        byte[] b = page();
        b[25] = 1;
        b[26] = 2;                                  // format 2 of 2
        assertThrows(IdentifyDecodeException.class, () -> IdentifyNamespace.decode(b));
        byte[] c = page();
        c[25] = 63;
        c[82] = 1;                                  // nulbaf: 65 formats
        var e = assertThrows(IdentifyDecodeException.class, () -> IdentifyNamespace.decode(c));
        assertTrue(e.getMessage().contains("65"), e.getMessage());
    }

    @Test
    void zeroedNamespaceDecodes() {
        IdentifyNamespace ns = IdentifyNamespace.decode(page());
        assertEquals(0, ns.nsze());
        assertEquals(1, ns.lbafs().size());
        assertEquals("00000000000000000000000000000000", ns.nguid());
    }

    @Test
    void activeNamespaceListEndsAtFirstZero() {
        byte[] b = page();
        le(b, 0, 1, 4);
        le(b, 4, 5, 4);
        le(b, 8, 0x80000001L, 4);
        le(b, 16, 7, 4);                             // after the terminating zero: not part of the list
        NamespaceList list = NamespaceList.decode(b);
        assertEquals(List.of(1, 5, 0x80000001), list.nsids());
        assertFalse(list.full());
        assertEquals(0x80000001, list.last());
        assertEquals(0, NamespaceList.decode(page()).last());
    }

    @Test
    void aPageMustStartAboveTheNsidItWasAskedAfter() {
        byte[] b = page();
        le(b, 0, 5, 4);
        le(b, 4, 9, 4);
        MemorySegment data = MemorySegment.ofArray(b);
        assertEquals(List.of(5, 9), NamespaceList.decodePage(data, 4).nsids());
        IdentifyDecodeException e = assertThrows(IdentifyDecodeException.class, () -> NamespaceList.decodePage(data, 5));
        assertEquals("Active Namespace ID list: the page after NSID 5 starts at NSID 5, not above it", e.getMessage());
        assertEquals(List.of(), NamespaceList.decodePage(MemorySegment.ofArray(page()), 0xfffffffe).nsids());
    }

    @Test
    void activeNamespaceListFullPage() {
        byte[] b = page();
        for (int i = 0; i < 1024; i++)
            le(b, 4 * i, 2L * i + 1, 4);
        NamespaceList list = NamespaceList.decode(b);
        assertTrue(list.full());
        assertEquals(2047, list.last());
        assertArrayEquals(b, list.encode());
    }

    @Test
    void activeNamespaceListRejectsDisorderAndBroadcast() {
        byte[] b = page();
        le(b, 0, 5, 4);
        le(b, 4, 5, 4);
        assertThrows(IdentifyDecodeException.class, () -> NamespaceList.decode(b));
        byte[] c = page();
        le(c, 0, 0xffffffffL, 4);
        assertThrows(IdentifyDecodeException.class, () -> NamespaceList.decode(c));
    }

    @Test
    void descriptorListOfAllKnownTypes() {
        byte[] b = page();
        b[0] = 1; b[1] = 8;                           // EUI-64
        for (int i = 0; i < 8; i++) b[4 + i] = (byte) (0xe0 + i);
        b[12] = 3; b[13] = 16;                        // UUID
        UUID u = UUID.fromString("123e4567-e89b-12d3-a456-426614174000");
        le(b, 16, Long.reverseBytes(u.getMostSignificantBits()), 8);
        le(b, 24, Long.reverseBytes(u.getLeastSignificantBits()), 8);
        b[32] = 2; b[33] = 16;                        // NGUID
        for (int i = 0; i < 16; i++) b[36 + i] = (byte) i;
        b[52] = 4; b[53] = 1; b[56] = 2;              // CSI: zoned
        NamespaceIdDescriptors d = NamespaceIdDescriptors.decode(b);
        assertEquals(4, d.descriptors().size());
        assertEquals("e0e1e2e3e4e5e6e7", d.eui64().orElseThrow());
        assertEquals(u, d.uuid().orElseThrow());
        assertEquals("000102030405060708090a0b0c0d0e0f", d.nguid().orElseThrow());
        assertEquals(AdminCommand.CSI_ZNS, d.csi());
        assertEquals("123e4567-e89b-12d3-a456-426614174000", d.descriptors().get(1).value());
        assertArrayEquals(b, d.encode());
    }

    @Test
    void emptyDescriptorListMeansNvm() {
        NamespaceIdDescriptors d = NamespaceIdDescriptors.decode(page());
        assertTrue(d.descriptors().isEmpty());
        assertEquals(AdminCommand.CSI_NVM, d.csi());
        assertTrue(d.eui64().isEmpty());
    }

    @Test
    void descriptorListRejectsInconsistentLengths() {
        byte[] wrongLength = page();
        wrongLength[0] = 1; wrongLength[1] = 16;      // EUI-64 must be 8 bytes
        byte[] zeroLength = page();
        zeroLength[0] = 2;
        byte[] pastEnd = page();
        for (int i = 0; i < 4088; i += 8) {           // 8-byte reserved-type descriptors up to 4088,
            pastEnd[i] = 9; pastEnd[i + 1] = 4;
        }
        pastEnd[4088] = 9; pastEnd[4089] = 8;         // then one whose value would end at 4100
        byte[] twice = page();
        twice[0] = 4; twice[1] = 1; twice[5] = 4; twice[6] = 1;
        for (byte[] b : List.of(wrongLength, zeroLength, pastEnd, twice))
            assertThrows(IdentifyDecodeException.class, () -> NamespaceIdDescriptors.decode(b));
    }

    @Test
    void reservedDescriptorTypesAreKept() {
        byte[] b = page();
        b[0] = 7; b[1] = 3; b[4] = 1; b[5] = 2; b[6] = 3;
        b[7] = 4; b[8] = 1; b[11] = 0;
        NamespaceIdDescriptors d = NamespaceIdDescriptors.decode(b);
        assertEquals(new NamespaceIdDescriptors.Unknown(7, "010203"), d.descriptors().get(0));
        assertEquals(AdminCommand.CSI_NVM, d.csi());
        assertArrayEquals(b, d.encode());
    }

    @Test
    void zonedNamespaceFields() {
        byte[] b = page();
        le(b, 0, 1, 2);                               // zoc
        le(b, 2, 1, 2);                               // ozcs
        le(b, 4, 0xffffffffL, 4);                     // mar: no limit
        le(b, 8, 13, 4);                              // mor
        le(b, 12, 30, 4);                             // rrl
        le(b, 2816 + 16, 0x80000L, 8);                // lbafe[1].zsze
        b[2816 + 16 + 8] = 2;                         // lbafe[1].zdes
        IdentifyZonedNamespace z = IdentifyZonedNamespace.decode(b, 2);
        assertEquals(1, z.zoc());
        assertEquals(0xffffffffL, z.mar());
        assertEquals(13, z.mor());
        assertEquals(30, z.rrl());
        assertEquals(List.of(new IdentifyZonedNamespace.ZoneFormat(0, 0), new IdentifyZonedNamespace.ZoneFormat(0x80000, 2)),
                z.lbafe());
        assertArrayEquals(b, z.encode());
    }
}

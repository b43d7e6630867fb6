package dev.nvmescan.nativebindings.identify;

import static dev.nvmescan.nativebindings.identify.IdentifyFields.*;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * The Zoned Namespace command set specific Identify Namespace data structure (Identify CNS 05h,
 * CSI 02h), decoded, at the offsets of libnvme's {@code struct nvme_zns_id_ns}. Components use the
 * ZNS specification's mnemonics, as nvme-cli's {@code zns id-ns} JSON does; 32-bit fields are
 * {@code long}s with the unsigned value. {@code mar} and {@code mor} are 0's based, FFFFFFFFh
 * meaning no limit.
 *
 * <p>{@code lbafe} extends the namespace's LBA formats one to one (zone size {@code zsze} in
 * logical blocks, zone descriptor extension size {@code zdes} in 64-byte units); the structure
 * does not say how many formats there are, so the decoder takes the count from the namespace's
 * {@link IdentifyNamespace#lbafs()}.
 *
 * @param zoc     Zone Operation Characteristics: bit 0 Variable Zone Capacity, bit 1 Zone Active
 *                Excursions
 * @param ozcs    Optional Zoned Command Support: bit 0 Read Across Zone Boundaries, bit 1 Zone Random
 *                Write Area (ZRWA) supported
 * @param mar     Maximum Active Resources: the zones that may be open or closed at once, 0's based
 * @param mor     Maximum Open Resources: the zones that may be open at once, 0's based
 * @param rrl     Reset Recommended Limit: seconds before the controller may recommend resetting a
 *                zone (0: not reported)
 * @param frl     Finish Recommended Limit: seconds before the controller may recommend finishing an
 *                open zone (0: not reported)
 * @param rrl1    Reset Recommended Limit 1, as {@code rrl}
 * @param rrl2    Reset Recommended Limit 2, as {@code rrl}
 * @param rrl3    Reset Recommended Limit 3, as {@code rrl}
 * @param frl1    Finish Recommended Limit 1, as {@code frl}
 * @param frl2    Finish Recommended Limit 2, as {@code frl}
 * @param frl3    Finish Recommended Limit 3, as {@code frl}
 * @param numzrwa Number of ZRWA Resources: the zones that may have a random write area at once, 0's
 *                based
 * @param zrwafg  ZRWA Flush Granularity, in logical blocks
 * @param zrwasz  ZRWA Size, in logical blocks
 * @param zrwacap ZRWA Capability: bit 0 explicit ZRWA flushes supported
 * @param lbafe   the LBA Format Extensions, one per LBA format of the namespace
 */
public record IdentifyZonedNamespace(int zoc, int ozcs, long mar, long mor, long rrl, long frl,
                                     long rrl1, long rrl2, long rrl3, long frl1, long frl2, long frl3,
                                     long numzrwa, int zrwafg, int zrwasz, int zrwacap,
                                     List<ZoneFormat> lbafe) {

    private static final String STRUCTURE = "ZNS Identify Namespace";
    private static final int LBAFE_OFFSET = 2816, LBAFE_SIZE = 16, MAX_FORMATS = 64;

    /**
     * Checks the zone formats.
     *
     * @throws IllegalArgumentException not 1 to 64 zone formats
     */
    public IdentifyZonedNamespace {
        lbafe = List.copyOf(lbafe);
        if (lbafe.isEmpty() || lbafe.size() > MAX_FORMATS)
            throw new IllegalArgumentException("1 to " + MAX_FORMATS + " LBA format extensions, got " + lbafe.size());
    }

    /**
     * Decodes a 4096-byte ZNS Identify Namespace data structure.
     *
     * @param data    the structure as the controller returned it
     * @param formats how many LBA formats the namespace has, 1 to 64
     * @return the structure
     * @throws IdentifyDecodeException  not 4096 bytes
     * @throws IllegalArgumentException {@code formats} outside 1 to 64
     */
    public static IdentifyZonedNamespace decode(MemorySegment data, int formats) {
        return decodeBytes(IdentifyFields.bytes(data, STRUCTURE), formats);
    }

    /**
     * Decodes a 4096-byte ZNS Identify Namespace data structure.
     *
     * @param data    the structure as the controller returned it
     * @param formats how many LBA formats the namespace has, 1 to 64
     * @return the structure
     * @throws IdentifyDecodeException  not 4096 bytes
     * @throws IllegalArgumentException {@code formats} outside 1 to 64
     */
    public static IdentifyZonedNamespace decode(byte[] data, int formats) {
        return decodeBytes(IdentifyFields.bytes(data, STRUCTURE), formats);
    }

    private static IdentifyZonedNamespace decodeBytes(byte[] b, int formats) {
        if (formats < 1 || formats > MAX_FORMATS)
            throw new IllegalArgumentException("LBA format count must be 1 to " + MAX_FORMATS + ": " + formats);
        List<ZoneFormat> lbafe = new ArrayList<>(formats);
        for (int i = 0; i < formats; i++)
            lbafe.add(new ZoneFormat(u64(b, LBAFE_OFFSET + LBAFE_SIZE * i), u8(b, LBAFE_OFFSET + LBAFE_SIZE * i + 8)));
        return new IdentifyZonedNamespace(u16(b, 0), u16(b, 2), u32(b, 4), u32(b, 8), u32(b, 12),
                u32(b, 16), u32(b, 20), u32(b, 24), u32(b, 28), u32(b, 32), u32(b, 36), u32(b, 40),
                u32(b, 44), u16(b, 48), u16(b, 50), u8(b, 52), lbafe);
    }

    /** {@return this structure encoded in a new 4096-byte array; reserved bytes are zero} */
    public byte[] encode() {
        byte[] b = new byte[SIZE];
        put(b, 0, 2, zoc, "zoc");
        put(b, 2, 2, ozcs, "ozcs");
        put(b, 4, 4, mar, "mar");
        put(b, 8, 4, mor, "mor");
        put(b, 12, 4, rrl, "rrl");
        put(b, 16, 4, frl, "frl");
        put(b, 20, 4, rrl1, "rrl1");
        put(b, 24, 4, rrl2, "rrl2");
        put(b, 28, 4, rrl3, "rrl3");
        put(b, 32, 4, frl1, "frl1");
        put(b, 36, 4, frl2, "frl2");
        put(b, 40, 4, frl3, "frl3");
        put(b, 44, 4, numzrwa, "numzrwa");
        put(b, 48, 2, zrwafg, "zrwafg");
        put(b, 50, 2, zrwasz, "zrwasz");
        put(b, 52, 1, zrwacap, "zrwacap");
        for (int i = 0; i < lbafe.size(); i++) {
            put(b, LBAFE_OFFSET + LBAFE_SIZE * i, 8, lbafe.get(i).zsze(), "zsze");
            put(b, LBAFE_OFFSET + LBAFE_SIZE * i + 8, 1, lbafe.get(i).zdes(), "zdes");
        }
        return b;
    }

    /**
     * Encodes this structure into {@code data}.
     *
     * @param data a 4096-byte buffer
     * @throws IllegalArgumentException {@code data} is not 4096 bytes
     */
    public void encodeTo(MemorySegment data) {
        IdentifyFields.copyTo(encode(), data);
    }

    /**
     * A zone format: the LBA format extension of the same index.
     *
     * @param zsze Zone Size, in logical blocks (unsigned 64-bit)
     * @param zdes Zone Descriptor Extension Size, in 64-byte units
     */
    public record ZoneFormat(long zsze, int zdes) {}
}

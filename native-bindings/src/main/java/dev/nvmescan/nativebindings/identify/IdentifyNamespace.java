package dev.nvmescan.nativebindings.identify;

import static dev.nvmescan.nativebindings.identify.IdentifyFields.*;

import java.lang.foreign.MemorySegment;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The Identify Namespace data structure for the NVM command set (Identify CNS 00h), decoded.
 * Components carry the specification's mnemonics as nvme-cli's JSON prints them, at the offsets of
 * libnvme's {@code struct nvme_id_ns}.
 *
 * <p>Types: 8- and 16-bit fields are {@code int}; 32-bit fields are {@code long} with the unsigned
 * value; {@code nsze}, {@code ncap}, {@code nuse} are unsigned 64-bit values in a {@code long} (print
 * them with {@link Long#toUnsignedString(long)}); {@code nvmcap} is a {@link BigInteger}.
 * {@code nguid} and {@code eui64} are lower-case hex in memory order, as nvme-cli prints them (all
 * zeros when the namespace reports none). {@code vs} holds the vendor specific area (offset 384, 3712
 * bytes) up to its first NUL, one char per byte (ISO 8859-1): what nvme-cli prints of it; the bytes
 * after that NUL are not kept.
 *
 * <p>{@code lbafs} lists every LBA format: {@code nlbaf} is 0's based, and {@code nulbaf} unique
 * attribute formats follow, so there are {@code nlbaf + 1 + nulbaf}, at most 64. The one in use is
 * selected by FLBAS bits 3:0, with bits 6:5 as the upper two bits of the index only where
 * {@code nlbaf} is above 16: the NVM Command Set specification tells hosts to ignore them otherwise
 * ({@link #lbaFormatIndex()}). A structure whose in-use index falls outside the list does not decode.
 *
 * @param nsze     Namespace Size: the namespace's total size in logical blocks
 * @param ncap     Namespace Capacity: the most logical blocks that may be allocated at once (below
 *                 {@code nsze} when thinly provisioned)
 * @param nuse     Namespace Utilization: the logical blocks allocated now
 * @param nsfeat   Namespace Features: bit 0 thin provisioning, bit 1 {@code nawun}, {@code nawupf}
 *                 and {@code nacwu} apply, bit 2 Deallocated or Unwritten Logical Block errors, bit 3
 *                 {@code nguid} and {@code eui64} are never reused, bits 5:4 {@code npwg} to
 *                 {@code nows} apply
 * @param nlbaf    Number of LBA Formats, 0's based, not counting the {@code nulbaf} ones
 * @param flbas    Formatted LBA Size: bits 3:0 (and 6:5 above them, where {@code nlbaf} is above 16)
 *                 the LBA format in use, bit 4 metadata transferred at the end of each logical block
 *                 (extended LBA)
 * @param mc       Metadata Capabilities: bit 0 metadata in extended LBAs, bit 1 in a separate buffer
 * @param dpc      End-to-end Data Protection Capabilities: bits 2:0 protection information types 1
 *                 to 3, bit 3 in the first bytes of the metadata, bit 4 in the last
 * @param dps      End-to-end Data Protection Type Settings: bits 2:0 the type enabled (0 none), bit 3
 *                 protection information in the first bytes of the metadata
 * @param nmic     Namespace Multi-path I/O and Namespace Sharing Capabilities: bit 0 the namespace
 *                 may be attached to more than one controller
 * @param rescap   Reservation Capabilities: bit 0 Persist Through Power Loss, bits 6:1 the
 *                 reservation types supported, bit 7 Ignore Existing Key
 * @param fpi      Format Progress Indicator: bit 7 progress is reported, bits 6:0 the percentage of
 *                 the namespace that remains to be formatted
 * @param dlfeat   Deallocate Logical Block Features: bits 2:0 what deallocated blocks read as (1
 *                 zeros, 2 ones, 0 not reported), bit 3 Write Zeroes may deallocate, bit 4 the guard
 *                 of deallocated blocks is their CRC
 * @param nawun    Namespace Atomic Write Unit Normal, in logical blocks, 0's based
 * @param nawupf   Namespace Atomic Write Unit Power Fail, in logical blocks, 0's based
 * @param nacwu    Namespace Atomic Compare and Write Unit, in logical blocks, 0's based
 * @param nabsn    Namespace Atomic Boundary Size Normal, in logical blocks as {@code nawun} (0: no
 *                 boundaries)
 * @param nabo     Namespace Atomic Boundary Offset: the LBA at which the first atomic boundary starts
 * @param nabspf   Namespace Atomic Boundary Size Power Fail, in logical blocks as {@code nawupf} (0:
 *                 no boundaries)
 * @param noiob    Namespace Optimal I/O Boundary, in logical blocks: commands that do not cross it
 *                 perform best (0: not reported)
 * @param nvmcap   NVM Capacity: the bytes of NVM allocated to the namespace
 * @param npwg     Namespace Preferred Write Granularity, in logical blocks, 0's based
 * @param npwa     Namespace Preferred Write Alignment, in logical blocks, 0's based
 * @param npdg     Namespace Preferred Deallocate Granularity, in logical blocks, 0's based
 * @param npda     Namespace Preferred Deallocate Alignment, in logical blocks, 0's based
 * @param nows     Namespace Optimal Write Size, in logical blocks, 0's based
 * @param mssrl    Maximum Single Source Range Length: logical blocks in one source range of a Copy
 * @param mcl      Maximum Copy Length: logical blocks one Copy command may copy
 * @param msrc     Maximum Source Range Count of a Copy command, 0's based
 * @param kpios    Key Per I/O Status: bit 0 enabled for the namespace, bit 1 supported
 * @param nulbaf   Number of Unique Capability LBA Formats, listed after the {@code nlbaf + 1} others
 * @param kpiodaag Key Per I/O Data Access Alignment and Granularity, in logical blocks
 * @param anagrpid ANA Group Identifier: the Asymmetric Namespace Access group the namespace is in
 * @param nsattr   Namespace Attributes: bit 0 write protected
 * @param nvmsetid NVM Set Identifier: the NVM Set the namespace belongs to
 * @param endgid   Endurance Group Identifier: the Endurance Group the namespace belongs to
 * @param nguid    Namespace Globally Unique Identifier, 32 hex digits
 * @param eui64    IEEE Extended Unique Identifier, 16 hex digits
 * @param lbafs    the LBA formats, {@code nlbaf + 1 + nulbaf} of them
 * @param vs       Vendor Specific: the bytes before the first NUL
 */
public record IdentifyNamespace(
        long nsze,
        long ncap,
        long nuse,
        int nsfeat,
        int nlbaf,
        int flbas,
        int mc,
        int dpc,
        int dps,
        int nmic,
        int rescap,
        int fpi,
        int dlfeat,
        int nawun,
        int nawupf,
        int nacwu,
        int nabsn,
        int nabo,
        int nabspf,
        int noiob,
        BigInteger nvmcap,
        int npwg,
        int npwa,
        int npdg,
        int npda,
        int nows,
        int mssrl,
        long mcl,
        int msrc,
        int kpios,
        int nulbaf,
        long kpiodaag,
        long anagrpid,
        int nsattr,
        int nvmsetid,
        int endgid,
        String nguid,
        String eui64,
        List<LbaFormat> lbafs,
        String vs) {

    private static final String STRUCTURE = "Identify Namespace";
    private static final int LBAF_OFFSET = 128, MAX_LBA_FORMATS = 64, VS_OFFSET = 384, VS_SIZE = 3712;

    /**
     * Checks that the values are present and the LBA formats consistent.
     *
     * @throws IllegalArgumentException more than 64 LBA formats, not as many as {@code nlbaf} and
     *                                  {@code nulbaf} announce, or an in-use format outside the list
     */
    public IdentifyNamespace {
        Objects.requireNonNull(nvmcap, "nvmcap");
        Objects.requireNonNull(nguid, "nguid");
        Objects.requireNonNull(eui64, "eui64");
        Objects.requireNonNull(vs, "vs");
        lbafs = List.copyOf(lbafs);
        String error = check(nlbaf, nulbaf, flbas, lbafs.size());
        if (error != null)
            throw new IllegalArgumentException(error);
    }

    /**
     * Decodes a 4096-byte Identify Namespace data structure.
     *
     * @param data the structure as the controller returned it
     * @return the structure
     * @throws IdentifyDecodeException not 4096 bytes, more than 64 LBA formats, or an FLBAS that
     *                                 selects a format past the end of the list
     */
    public static IdentifyNamespace decode(MemorySegment data) {
        return decodeBytes(IdentifyFields.bytes(data, STRUCTURE));
    }

    /**
     * Decodes a 4096-byte Identify Namespace data structure.
     *
     * @param data the structure as the controller returned it
     * @return the structure
     * @throws IdentifyDecodeException not 4096 bytes, more than 64 LBA formats, or an FLBAS that
     *                                 selects a format past the end of the list
     */
    public static IdentifyNamespace decode(byte[] data) {
        return decodeBytes(IdentifyFields.bytes(data, STRUCTURE));
    }

    private static IdentifyNamespace decodeBytes(byte[] b) {
        int nlbaf = u8(b, 25), nulbaf = u8(b, 82), count = nlbaf + 1 + nulbaf;
        String error = check(nlbaf, nulbaf, u8(b, 26), count);
        if (error != null)
            throw new IdentifyDecodeException(STRUCTURE + ": " + error);
        List<LbaFormat> lbafs = new ArrayList<>(count);
        for (int i = 0; i < count; i++)
            lbafs.add(LbaFormat.decode(b, LBAF_OFFSET + 4 * i));
        return new IdentifyNamespace(
                u64(b, 0),
                u64(b, 8),
                u64(b, 16),
                u8(b, 24),
                u8(b, 25),
                u8(b, 26),
                u8(b, 27),
                u8(b, 28),
                u8(b, 29),
                u8(b, 30),
                u8(b, 31),
                u8(b, 32),
                u8(b, 33),
                u16(b, 34),
                u16(b, 36),
                u16(b, 38),
                u16(b, 40),
                u16(b, 42),
                u16(b, 44),
                u16(b, 46),
                u128(b, 48),
                u16(b, 64),
                u16(b, 66),
                u16(b, 68),
                u16(b, 70),
                u16(b, 72),
                u16(b, 74),
                u32(b, 76),
                u8(b, 80),
                u8(b, 81),
                u8(b, 82),
                u32(b, 84),
                u32(b, 92),
                u8(b, 99),
                u16(b, 100),
                u16(b, 102),
                hex(b, 104, 16),
                hex(b, 120, 8),
                lbafs,
                latin1z(b, VS_OFFSET, VS_SIZE));
    }

    /** Why these counts and FLBAS are inconsistent, or null when they are not. */
    private static String check(int nlbaf, int nulbaf, int flbas, int formats) {
        int count = nlbaf + 1 + nulbaf;
        if (count > MAX_LBA_FORMATS)
            return "nlbaf " + nlbaf + " (offset 25) and nulbaf " + nulbaf + " (offset 82) announce "
                    + count + " LBA formats, more than " + MAX_LBA_FORMATS;
        if (formats != count)
            return "nlbaf " + nlbaf + " and nulbaf " + nulbaf + " announce " + count
                    + " LBA formats, got " + formats;
        int inUse = lbaFormatIndex(nlbaf, flbas);
        if (inUse >= count)
            return "flbas 0x" + Integer.toHexString(flbas) + " (offset 26) selects LBA format "
                    + inUse + " of " + count;
        return null;
    }

    /** {@return this structure encoded in a new 4096-byte array; reserved bytes are zero} */
    public byte[] encode() {
        byte[] b = new byte[SIZE];
        put(b, 0, 8, nsze, "nsze");
        put(b, 8, 8, ncap, "ncap");
        put(b, 16, 8, nuse, "nuse");
        put(b, 24, 1, nsfeat, "nsfeat");
        put(b, 25, 1, nlbaf, "nlbaf");
        put(b, 26, 1, flbas, "flbas");
        put(b, 27, 1, mc, "mc");
        put(b, 28, 1, dpc, "dpc");
        put(b, 29, 1, dps, "dps");
        put(b, 30, 1, nmic, "nmic");
        put(b, 31, 1, rescap, "rescap");
        put(b, 32, 1, fpi, "fpi");
        put(b, 33, 1, dlfeat, "dlfeat");
        put(b, 34, 2, nawun, "nawun");
        put(b, 36, 2, nawupf, "nawupf");
        put(b, 38, 2, nacwu, "nacwu");
        put(b, 40, 2, nabsn, "nabsn");
        put(b, 42, 2, nabo, "nabo");
        put(b, 44, 2, nabspf, "nabspf");
        put(b, 46, 2, noiob, "noiob");
        put128(b, 48, nvmcap, "nvmcap");
        put(b, 64, 2, npwg, "npwg");
        put(b, 66, 2, npwa, "npwa");
        put(b, 68, 2, npdg, "npdg");
        put(b, 70, 2, npda, "npda");
        put(b, 72, 2, nows, "nows");
        put(b, 74, 2, mssrl, "mssrl");
        put(b, 76, 4, mcl, "mcl");
        put(b, 80, 1, msrc, "msrc");
        put(b, 81, 1, kpios, "kpios");
        put(b, 82, 1, nulbaf, "nulbaf");
        put(b, 84, 4, kpiodaag, "kpiodaag");
        put(b, 92, 4, anagrpid, "anagrpid");
        put(b, 99, 1, nsattr, "nsattr");
        put(b, 100, 2, nvmsetid, "nvmsetid");
        put(b, 102, 2, endgid, "endgid");
        putHex(b, 104, 16, nguid, "nguid");
        putHex(b, 120, 8, eui64, "eui64");
        for (int i = 0; i < lbafs.size(); i++)
            lbafs.get(i).encode(b, LBAF_OFFSET + 4 * i);
        putLatin1z(b, VS_OFFSET, VS_SIZE, vs, "vs");
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

    /** {@return the index of the LBA format in use: FLBAS bits 3:0, below bits 6:5 where nlbaf is above 16} */
    public int lbaFormatIndex() {
        return lbaFormatIndex(nlbaf, flbas);
    }

    private static int lbaFormatIndex(int nlbaf, int flbas) {
        return nlbaf > 16 ? (flbas & 0x60) >>> 1 | flbas & 0xf : flbas & 0xf;
    }

    /** {@return the LBA format in use} */
    public LbaFormat lbaFormat() {
        return lbafs.get(lbaFormatIndex());
    }

    /**
     * An LBA format.
     *
     * @param ms Metadata Size: bytes of metadata per logical block
     * @param ds LBA Data Size, as a power of two (9 is 512 bytes); 0 means the format is not supported
     * @param rp Relative Performance, 0 best to 3 degraded
     */
    public record LbaFormat(int ms, int ds, int rp) {

        static LbaFormat decode(byte[] b, int off) {
            return new LbaFormat(u16(b, off), u8(b, off + 2), u8(b, off + 3) & 0x3);
        }

        void encode(byte[] b, int off) {
            put(b, off, 2, ms, "ms");
            put(b, off + 2, 1, ds, "ds");
            put(b, off + 3, 1, rp, "rp");
        }

        /** {@return the data size in bytes, {@code 2^ds}; 0 when ds is 0 or too large to be meaningful} */
        public long dataSize() {
            return ds > 0 && ds < 63 ? 1L << ds : 0;
        }
    }
}

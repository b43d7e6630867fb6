package dev.nvmescan.nativebindings.identify;

import static dev.nvmescan.nativebindings.identify.IdentifyFields.*;

import java.lang.foreign.MemorySegment;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * The Identify Controller data structure (Identify CNS 01h), decoded. Components carry the NVMe
 * base specification's mnemonics, the names nvme-cli's JSON output uses, at the byte offsets of
 * libnvme's {@code struct nvme_id_ctrl} (NVMe 2.0 layout).
 *
 * <p>Types: 8-, 16- and 24-bit fields are {@code int}; 32-bit fields are {@code long} holding the
 * unsigned value; 128-bit counters ({@code tnvmcap}, {@code unvmcap}, {@code megcap},
 * {@code maxdna}) are {@link BigInteger}. {@code ieee} is the OUI as nvme-cli prints it
 * ({@code ieee[2] << 16 | ieee[1] << 8 | ieee[0]}). {@code sn}, {@code mn}, {@code fr} are space
 * padded ASCII in the structure and decoded trimmed (each byte one char, ISO 8859-1, so nothing is
 * lost); {@code subnqn} is UTF-8 up to its first NUL. {@code psds} holds the power state
 * descriptors 0 to {@code npss}. Reserved, fabrics-reserved and vendor specific bytes are not kept;
 * {@link #encode()} writes them as zeros.
 */
public record IdentifyController(
        int vid,
        int ssvid,
        String sn,
        String mn,
        String fr,
        int rab,
        int ieee,
        int cmic,
        int mdts,
        int cntlid,
        long ver,
        long rtd3r,
        long rtd3e,
        long oaes,
        long ctratt,
        int rrls,
        int bpcap,
        long nssl,
        int plsi,
        int cntrltype,
        UUID fguid,
        int crdt1,
        int crdt2,
        int crdt3,
        int crcap,
        int nvmsr,
        int vwci,
        int mec,
        int oacs,
        int acl,
        int aerl,
        int frmw,
        int lpa,
        int elpe,
        int npss,
        int avscc,
        int apsta,
        int wctemp,
        int cctemp,
        int mtfa,
        long hmpre,
        long hmmin,
        BigInteger tnvmcap,
        BigInteger unvmcap,
        long rpmbs,
        int edstt,
        int dsto,
        int fwug,
        int kas,
        int hctma,
        int mntmt,
        int mxtmt,
        long sanicap,
        long hmminds,
        int hmmaxd,
        int nsetidmax,
        int endgidmax,
        int anatt,
        int anacap,
        long anagrpmax,
        long nanagrpid,
        long pels,
        int domainid,
        BigInteger megcap,
        int sqes,
        int cqes,
        int maxcmd,
        long nn,
        int oncs,
        int fuses,
        int fna,
        int vwc,
        int awun,
        int awupf,
        int icsvscc,
        int nwpc,
        int acwu,
        int ocfs,
        long sgls,
        long mnan,
        BigInteger maxdna,
        long maxcna,
        String subnqn,
        long ioccsz,
        long iorcsz,
        int icdoff,
        int fcatt,
        int msdbd,
        int ofcs,
        int dctype,
        List<PowerState> psds) {

    private static final String STRUCTURE = "Identify Controller";
    /** Offset of the first power state descriptor; each is 32 bytes, 32 at most. */
    private static final int PSD_OFFSET = 2048, PSD_SIZE = 32, MAX_POWER_STATES = 32;

    public IdentifyController {
        Objects.requireNonNull(sn, "sn");
        Objects.requireNonNull(mn, "mn");
        Objects.requireNonNull(fr, "fr");
        Objects.requireNonNull(fguid, "fguid");
        Objects.requireNonNull(tnvmcap, "tnvmcap");
        Objects.requireNonNull(unvmcap, "unvmcap");
        Objects.requireNonNull(megcap, "megcap");
        Objects.requireNonNull(maxdna, "maxdna");
        Objects.requireNonNull(subnqn, "subnqn");
        psds = List.copyOf(psds);
        if (psds.size() != npss + 1)
            throw new IllegalArgumentException("npss " + npss + " announces " + (npss + 1)
                    + " power states, got " + psds.size());
    }

    /** Decodes a 4096-byte Identify Controller data structure. */
    public static IdentifyController decode(MemorySegment data) {
        return decodeBytes(IdentifyFields.bytes(data, STRUCTURE));
    }

    /** Decodes a 4096-byte Identify Controller data structure. */
    public static IdentifyController decode(byte[] data) {
        return decodeBytes(IdentifyFields.bytes(data, STRUCTURE));
    }

    private static IdentifyController decodeBytes(byte[] b) {
        int npss = u8(b, 263);
        if (npss >= MAX_POWER_STATES)
            throw new IdentifyDecodeException(STRUCTURE + ": npss (offset 263) is " + npss
                    + ", more than " + MAX_POWER_STATES + " power states");
        List<PowerState> psds = new ArrayList<>(npss + 1);
        for (int i = 0; i <= npss; i++)
            psds.add(PowerState.decode(b, PSD_OFFSET + i * PSD_SIZE));
        return new IdentifyController(
                u16(b, 0),
                u16(b, 2),
                ascii(b, 4, 20),
                ascii(b, 24, 40),
                ascii(b, 64, 8),
                u8(b, 72),
                u24(b, 73),
                u8(b, 76),
                u8(b, 77),
                u16(b, 78),
                u32(b, 80),
                u32(b, 84),
                u32(b, 88),
                u32(b, 92),
                u32(b, 96),
                u16(b, 100),
                u8(b, 102),
                u32(b, 104),
                u8(b, 110),
                u8(b, 111),
                uuid(b, 112),
                u16(b, 128),
                u16(b, 130),
                u16(b, 132),
                u8(b, 134),
                u8(b, 253),
                u8(b, 254),
                u8(b, 255),
                u16(b, 256),
                u8(b, 258),
                u8(b, 259),
                u8(b, 260),
                u8(b, 261),
                u8(b, 262),
                u8(b, 263),
                u8(b, 264),
                u8(b, 265),
                u16(b, 266),
                u16(b, 268),
                u16(b, 270),
                u32(b, 272),
                u32(b, 276),
                u128(b, 280),
                u128(b, 296),
                u32(b, 312),
                u16(b, 316),
                u8(b, 318),
                u8(b, 319),
                u16(b, 320),
                u16(b, 322),
                u16(b, 324),
                u16(b, 326),
                u32(b, 328),
                u32(b, 332),
                u16(b, 336),
                u16(b, 338),
                u16(b, 340),
                u8(b, 342),
                u8(b, 343),
                u32(b, 344),
                u32(b, 348),
                u32(b, 352),
                u16(b, 356),
                u128(b, 368),
                u8(b, 512),
                u8(b, 513),
                u16(b, 514),
                u32(b, 516),
                u16(b, 520),
                u16(b, 522),
                u8(b, 524),
                u8(b, 525),
                u16(b, 526),
                u16(b, 528),
                u8(b, 530),
                u8(b, 531),
                u16(b, 532),
                u16(b, 534),
                u32(b, 536),
                u32(b, 540),
                u128(b, 544),
                u32(b, 560),
                utf8z(b, 768, 256, STRUCTURE, "subnqn"),
                u32(b, 1792),
                u32(b, 1796),
                u16(b, 1800),
                u8(b, 1802),
                u8(b, 1803),
                u16(b, 1804),
                u8(b, 1806),
                psds);
    }

    /** Encodes this structure into a new 4096-byte array; reserved bytes are zero. */
    public byte[] encode() {
        byte[] b = new byte[SIZE];
        put(b, 0, 2, vid, "vid");
        put(b, 2, 2, ssvid, "ssvid");
        putAscii(b, 4, 20, sn, "sn");
        putAscii(b, 24, 40, mn, "mn");
        putAscii(b, 64, 8, fr, "fr");
        put(b, 72, 1, rab, "rab");
        put(b, 73, 3, ieee, "ieee");
        put(b, 76, 1, cmic, "cmic");
        put(b, 77, 1, mdts, "mdts");
        put(b, 78, 2, cntlid, "cntlid");
        put(b, 80, 4, ver, "ver");
        put(b, 84, 4, rtd3r, "rtd3r");
        put(b, 88, 4, rtd3e, "rtd3e");
        put(b, 92, 4, oaes, "oaes");
        put(b, 96, 4, ctratt, "ctratt");
        put(b, 100, 2, rrls, "rrls");
        put(b, 102, 1, bpcap, "bpcap");
        put(b, 104, 4, nssl, "nssl");
        put(b, 110, 1, plsi, "plsi");
        put(b, 111, 1, cntrltype, "cntrltype");
        putUuid(b, 112, fguid);
        put(b, 128, 2, crdt1, "crdt1");
        put(b, 130, 2, crdt2, "crdt2");
        put(b, 132, 2, crdt3, "crdt3");
        put(b, 134, 1, crcap, "crcap");
        put(b, 253, 1, nvmsr, "nvmsr");
        put(b, 254, 1, vwci, "vwci");
        put(b, 255, 1, mec, "mec");
        put(b, 256, 2, oacs, "oacs");
        put(b, 258, 1, acl, "acl");
        put(b, 259, 1, aerl, "aerl");
        put(b, 260, 1, frmw, "frmw");
        put(b, 261, 1, lpa, "lpa");
        put(b, 262, 1, elpe, "elpe");
        put(b, 263, 1, npss, "npss");
        put(b, 264, 1, avscc, "avscc");
        put(b, 265, 1, apsta, "apsta");
        put(b, 266, 2, wctemp, "wctemp");
        put(b, 268, 2, cctemp, "cctemp");
        put(b, 270, 2, mtfa, "mtfa");
        put(b, 272, 4, hmpre, "hmpre");
        put(b, 276, 4, hmmin, "hmmin");
        put128(b, 280, tnvmcap, "tnvmcap");
        put128(b, 296, unvmcap, "unvmcap");
        put(b, 312, 4, rpmbs, "rpmbs");
        put(b, 316, 2, edstt, "edstt");
        put(b, 318, 1, dsto, "dsto");
        put(b, 319, 1, fwug, "fwug");
        put(b, 320, 2, kas, "kas");
        put(b, 322, 2, hctma, "hctma");
        put(b, 324, 2, mntmt, "mntmt");
        put(b, 326, 2, mxtmt, "mxtmt");
        put(b, 328, 4, sanicap, "sanicap");
        put(b, 332, 4, hmminds, "hmminds");
        put(b, 336, 2, hmmaxd, "hmmaxd");
        put(b, 338, 2, nsetidmax, "nsetidmax");
        put(b, 340, 2, endgidmax, "endgidmax");
        put(b, 342, 1, anatt, "anatt");
        put(b, 343, 1, anacap, "anacap");
        put(b, 344, 4, anagrpmax, "anagrpmax");
        put(b, 348, 4, nanagrpid, "nanagrpid");
        put(b, 352, 4, pels, "pels");
        put(b, 356, 2, domainid, "domainid");
        put128(b, 368, megcap, "megcap");
        put(b, 512, 1, sqes, "sqes");
        put(b, 513, 1, cqes, "cqes");
        put(b, 514, 2, maxcmd, "maxcmd");
        put(b, 516, 4, nn, "nn");
        put(b, 520, 2, oncs, "oncs");
        put(b, 522, 2, fuses, "fuses");
        put(b, 524, 1, fna, "fna");
        put(b, 525, 1, vwc, "vwc");
        put(b, 526, 2, awun, "awun");
        put(b, 528, 2, awupf, "awupf");
        put(b, 530, 1, icsvscc, "icsvscc");
        put(b, 531, 1, nwpc, "nwpc");
        put(b, 532, 2, acwu, "acwu");
        put(b, 534, 2, ocfs, "ocfs");
        put(b, 536, 4, sgls, "sgls");
        put(b, 540, 4, mnan, "mnan");
        put128(b, 544, maxdna, "maxdna");
        put(b, 560, 4, maxcna, "maxcna");
        putUtf8z(b, 768, 256, subnqn, "subnqn");
        put(b, 1792, 4, ioccsz, "ioccsz");
        put(b, 1796, 4, iorcsz, "iorcsz");
        put(b, 1800, 2, icdoff, "icdoff");
        put(b, 1802, 1, fcatt, "fcatt");
        put(b, 1803, 1, msdbd, "msdbd");
        put(b, 1804, 2, ofcs, "ofcs");
        put(b, 1806, 1, dctype, "dctype");
        for (int i = 0; i < psds.size(); i++)
            psds.get(i).encode(b, PSD_OFFSET + i * PSD_SIZE);
        return b;
    }

    /** Encodes this structure into {@code data}, which must be 4096 bytes. */
    public void encodeTo(MemorySegment data) {
        IdentifyFields.copyTo(encode(), data);
    }

    /** The NVMe version the controller reports, e.g. {@code 2.0.0}. */
    public String version() {
        return (ver >>> 16) + "." + ((ver >>> 8) & 0xff) + "." + (ver & 0xff);
    }

    /**
     * A power state descriptor, with the raw fields kept so it encodes back exactly.
     *
     * @param mp    maximum power ({@code max_power} in nvme-cli), in units of {@link #maxPowerScale()}
     * @param flags bit 0 MXPS (max power scale), bit 1 NOPS (non-operational state)
     * @param enlat entry latency in microseconds
     * @param exlat exit latency in microseconds
     * @param rrt   relative read throughput; {@code rrl}, {@code rwt}, {@code rwl} alike
     * @param idlp  idle power; {@code ips} bits 7:6 its scale
     * @param actp  active power; {@code apws} bits 2:0 its workload, bits 7:6 its scale
     */
    public record PowerState(int mp, int flags, long enlat, long exlat, int rrt, int rrl, int rwt,
                             int rwl, int idlp, int ips, int actp, int apws) {

        static PowerState decode(byte[] b, int off) {
            return new PowerState(u16(b, off), u8(b, off + 3), u32(b, off + 4), u32(b, off + 8),
                    u8(b, off + 12) & 0x1f, u8(b, off + 13) & 0x1f, u8(b, off + 14) & 0x1f,
                    u8(b, off + 15) & 0x1f, u16(b, off + 16), u8(b, off + 18) & 0xc0,
                    u16(b, off + 20), u8(b, off + 22) & 0xc7);
        }

        void encode(byte[] b, int off) {
            put(b, off, 2, mp, "mp");
            put(b, off + 3, 1, flags, "flags");
            put(b, off + 4, 4, enlat, "enlat");
            put(b, off + 8, 4, exlat, "exlat");
            put(b, off + 12, 1, rrt, "rrt");
            put(b, off + 13, 1, rrl, "rrl");
            put(b, off + 14, 1, rwt, "rwt");
            put(b, off + 15, 1, rwl, "rwl");
            put(b, off + 16, 2, idlp, "idlp");
            put(b, off + 18, 1, ips, "ips");
            put(b, off + 20, 2, actp, "actp");
            put(b, off + 22, 1, apws, "apws");
        }

        /** MXPS: 0 when {@link #mp} is in 0.01 W, 1 when in 0.0001 W. */
        public int maxPowerScale() {
            return flags & 1;
        }

        /** NOPS: the controller processes no I/O commands in this state. */
        public boolean nonOperational() {
            return (flags & 2) != 0;
        }

        /** Idle power scale: 0 not reported, 1 0.0001 W, 2 0.01 W. */
        public int idleScale() {
            return ips >>> 6;
        }

        /** Active power workload (APW). */
        public int activeWorkload() {
            return apws & 7;
        }

        /** Active power scale, as {@link #idleScale()}. */
        public int activeScale() {
            return apws >>> 6;
        }
    }
}

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
 * libnvme's {@code struct nvme_id_ctrl} (libnvme 1.16, NVMe 2.1 layout).
 *
 * <p>Types: 8-, 16- and 24-bit fields are {@code int}; 32-bit fields are {@code long} holding the
 * unsigned value; 128-bit counters ({@code tnvmcap}, {@code unvmcap}, {@code megcap},
 * {@code maxdna}) are {@link BigInteger}. {@code ieee} is the OUI as nvme-cli prints it
 * ({@code ieee[2] << 16 | ieee[1] << 8 | ieee[0]}). {@code sn}, {@code mn}, {@code fr} are space
 * padded ASCII in the structure and decoded trimmed (each byte one char, ISO 8859-1, so nothing is
 * lost); {@code subnqn} is UTF-8 up to its first NUL. {@code psds} holds the power state
 * descriptors 0 to {@code npss}. Reserved, fabrics-reserved and vendor specific bytes are not kept;
 * {@link #encode()} writes them as zeros.
 *
 * @param vid       PCI Vendor ID
 * @param ssvid     PCI Subsystem Vendor ID
 * @param sn        Serial Number
 * @param mn        Model Number
 * @param fr        Firmware Revision: the revision of the active firmware
 * @param rab       Recommended Arbitration Burst, as a power of two of commands
 * @param ieee      IEEE OUI Identifier: the vendor's Organizationally Unique Identifier
 * @param cmic      Controller Multi-path I/O and Namespace Sharing Capabilities: bit 0 the subsystem
 *                  has more than one port, bit 1 more than one controller, bit 2 this controller is
 *                  an SR-IOV virtual function, bit 3 it reports Asymmetric Namespace Access
 * @param mdts      Maximum Data Transfer Size, as a power of two of the minimum memory page size
 *                  (CAP.MPSMIN) (0: no limit)
 * @param cntlid    Controller ID, unique within the NVM subsystem
 * @param ver       Version: major in bits 31:16, minor in 15:8, tertiary in 7:0 ({@link #version()})
 * @param rtd3r     RTD3 Resume Latency, in microseconds (0: not reported)
 * @param rtd3e     RTD3 Entry Latency, in microseconds (0: not reported)
 * @param oaes      Optional Asynchronous Events Supported: bit 8 Namespace Attribute notices, bit 9
 *                  Firmware Activation notices, bit 11 ANA Change notices, and later ones above
 * @param ctratt    Controller Attributes: bit 0 128-bit Host Identifier, bit 2 NVM Sets, bit 4
 *                  Endurance Groups, bit 9 UUID List, and others
 * @param rrls      Read Recovery Levels Supported: bit n set for level n
 * @param bpcap     Boot Partition Capabilities
 * @param nssl      NVM Subsystem Shutdown Latency, in microseconds
 * @param plsi      Power Loss Signaling Information
 * @param cntrltype Controller Type: 1 I/O, 2 discovery, 3 administrative (0: not reported)
 * @param fguid     FRU Globally Unique Identifier of the field replaceable unit (zero: not reported)
 * @param crdt1     Command Retry Delay Time 1, in 100 ms units: the delay a status with CRD 1 asks for
 * @param crdt2     Command Retry Delay Time 2, as {@code crdt1} for CRD 2
 * @param crdt3     Command Retry Delay Time 3, as {@code crdt1} for CRD 3
 * @param crcap     Controller Reachability Capabilities
 * @param nvmsr     NVM Subsystem Report: bit 0 part of an NVMe storage device, bit 1 of an NVMe
 *                  enclosure
 * @param vwci      VPD Write Cycle Information: bit 7 valid, bits 6:0 the write cycles that remain
 * @param mec       Management Endpoint Capabilities: bit 0 on an SMBus/I2C port, bit 1 on a PCIe port
 * @param oacs      Optional Admin Command Support: bit 0 Security Send and Receive, bit 1 Format NVM,
 *                  bit 2 Firmware Commit and Image Download, bit 3 Namespace Management, bit 4
 *                  Device Self-test, bit 5 Directives, bit 6 NVMe-MI Send and Receive, bit 7
 *                  Virtualization Management, bit 8 Doorbell Buffer Config, bit 9 Get LBA Status
 * @param acl       Abort Command Limit: Abort commands that may run at once, 0's based
 * @param aerl      Asynchronous Event Request Limit: requests that may be outstanding, 0's based
 * @param frmw      Firmware Updates: bit 0 slot 1 is read-only, bits 3:1 the number of slots, bit 4
 *                  activation without a reset
 * @param lpa       Log Page Attributes: bit 0 SMART / Health per namespace, bit 1 Commands Supported
 *                  and Effects, bit 2 extended Get Log Page data, bit 3 Telemetry, and others
 * @param elpe      Error Log Page Entries the controller keeps, 0's based
 * @param npss      Number of Power States Support, 0's based: {@code psds} has {@code npss + 1}
 * @param avscc     Admin Vendor Specific Command Configuration: bit 0 such commands use the
 *                  standard format
 * @param apsta     Autonomous Power State Transition Attributes: bit 0 supported
 * @param wctemp    Warning Composite Temperature Threshold, in kelvins
 * @param cctemp    Critical Composite Temperature Threshold, in kelvins
 * @param mtfa      Maximum Time for Firmware Activation, in 100 ms units
 * @param hmpre     Host Memory Buffer Preferred Size, in 4 KiB units
 * @param hmmin     Host Memory Buffer Minimum Size, in 4 KiB units
 * @param tnvmcap   Total NVM Capacity of the NVM subsystem, in bytes
 * @param unvmcap   Unallocated NVM Capacity of the NVM subsystem, in bytes
 * @param rpmbs     Replay Protected Memory Block Support: bits 2:0 the number of RPMB units, bits 5:3
 *                  the authentication method, bits 23:16 the total size, bits 31:24 the access size
 * @param edstt     Extended Device Self-test Time, in minutes
 * @param dsto      Device Self-test Options: bit 0 one self-test at a time in the NVM subsystem
 * @param fwug      Firmware Update Granularity, in 4 KiB units (0: not reported, FFh: no restriction)
 * @param kas       Keep Alive Support: the Keep Alive Timer's granularity in 100 ms units (0: none)
 * @param hctma     Host Controlled Thermal Management Attributes: bit 0 supported
 * @param mntmt     Minimum Thermal Management Temperature, in kelvins (0: not supported)
 * @param mxtmt     Maximum Thermal Management Temperature, in kelvins (0: not supported)
 * @param sanicap   Sanitize Capabilities: bit 0 Crypto Erase, bit 1 Block Erase, bit 2 Overwrite,
 *                  bits 31:29 how No-Deallocate after sanitize behaves
 * @param hmminds   Host Memory Buffer Minimum Descriptor Entry Size, in 4 KiB units
 * @param hmmaxd    Host Memory Maximum Descriptors Entries
 * @param nsetidmax NVM Set Identifier Maximum
 * @param endgidmax Endurance Group Identifier Maximum
 * @param anatt     ANA Transition Time, in seconds
 * @param anacap    Asymmetric Namespace Access Capabilities: bits 4:0 the ANA states reported
 *                  (optimized, non-optimized, inaccessible, persistent loss, change), bit 6 a
 *                  namespace's ANA group does not change while attached, bit 7 Namespace Management
 *                  takes an ANA group
 * @param anagrpmax ANA Group Identifier Maximum
 * @param nanagrpid Number of ANA Group Identifiers this controller supports
 * @param pels      Persistent Event Log Size, in 64 KiB units
 * @param domainid  Domain Identifier of the domain that holds this controller
 * @param kpioc     Key Per I/O Capabilities: bit 0 supported, bit 1 applies to every namespace
 * @param mptfawr   Maximum Processing Time for Firmware Activation Without Reset, in 100 ms units
 * @param megcap    Max Endurance Group Capacity, in bytes
 * @param tmpthha   Temperature Threshold Hysteresis Attributes: bits 2:0 the largest hysteresis, in
 *                  kelvins
 * @param cqt       Command Quiesce Time, in milliseconds (0: not reported)
 * @param sqes      Submission Queue Entry Size: bits 3:0 the required, bits 7:4 the largest, each as
 *                  a power of two of bytes
 * @param cqes      Completion Queue Entry Size, encoded as {@code sqes}
 * @param maxcmd    Maximum Outstanding Commands on one queue (0: not reported)
 * @param nn        Number of Namespaces: the highest valid NSID in the NVM subsystem
 * @param oncs      Optional NVM Command Support: bit 0 Compare, bit 1 Write Uncorrectable, bit 2
 *                  Dataset Management, bit 3 Write Zeroes, bit 4 Save and Select in Set and Get
 *                  Features, bit 5 Reservations, bit 6 Timestamp, bit 7 Verify, bit 8 Copy
 * @param fuses     Fused Operation Support: bit 0 Compare and Write
 * @param fna       Format NVM Attributes: bit 0 a format acts on every namespace, bit 1 a secure
 *                  erase does, bit 2 cryptographic erase supported
 * @param vwc       Volatile Write Cache: bit 0 present, bits 2:1 whether Flush takes the broadcast
 *                  NSID
 * @param awun      Atomic Write Unit Normal, in logical blocks, 0's based
 * @param awupf     Atomic Write Unit Power Fail, in logical blocks, 0's based
 * @param icsvscc   I/O Command Set Vendor Specific Command Configuration: bit 0 such commands use
 *                  the standard format
 * @param nwpc      Namespace Write Protection Capabilities: bit 0 write protection, bit 1 until the
 *                  next power cycle, bit 2 permanent
 * @param acwu      Atomic Compare and Write Unit, in logical blocks, 0's based
 * @param ocfs      Optional Copy Formats Supported: bit n set for Copy format n
 * @param sgls      SGL Support: bits 1:0 whether and with which alignment SGLs are supported, bit 2
 *                  keyed SGL data blocks, bits 21:16 further descriptor types and options
 * @param mnan      Maximum Number of Allowed Namespaces (0: as many as {@code nn})
 * @param maxdna    Maximum Domain Namespace Attachments
 * @param maxcna    Maximum I/O Controller Namespace Attachments
 * @param oaqd      Optimal Aggregated Queue Depth (0: not reported)
 * @param rhiri     Recommended Host-Initiated Refresh Interval, in hours
 * @param hirt      Host-Initiated Refresh Time, in minutes
 * @param cmmrtd    Controller Maximum Memory Range Tracking Descriptors
 * @param nmmrtd    NVM Subsystem Maximum Memory Range Tracking Descriptors
 * @param minmrtg   Minimum Memory Range Tracking Granularity, as a power of two of bytes
 * @param maxmrtg   Maximum Memory Range Tracking Granularity, as a power of two of bytes
 * @param trattr    Tracking Attributes: bit 0 user data tracking, bit 1 memory range tracking
 * @param mcudmq    Maximum Controller User Data Migration Queues
 * @param mnsudmq   Maximum NVM Subsystem User Data Migration Queues
 * @param mcmr      Maximum CDQ Memory Ranges
 * @param nmcmr     NVM Subsystem Maximum CDQ Memory Ranges
 * @param mcdqpc    Maximum Controller Data Queue PRP Count
 * @param subnqn    NVM Subsystem NVMe Qualified Name
 * @param ioccsz    I/O Queue Command Capsule Supported Size, in 16-byte units (fabrics)
 * @param iorcsz    I/O Queue Response Capsule Supported Size, in 16-byte units (fabrics)
 * @param icdoff    In Capsule Data Offset, in 16-byte units (fabrics)
 * @param fcatt     Fabrics Controller Attributes: bit 0 static controller model
 * @param msdbd     Maximum SGL Data Block Descriptors in one capsule (0: no limit)
 * @param ofcs      Optional Fabric Commands Support: bit 0 Disconnect
 * @param dctype    Discovery Controller Type: 1 direct, 2 central (0: not reported)
 * @param psds      the Power State Descriptors 0 to {@code npss}
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
        int kpioc,
        int mptfawr,
        BigInteger megcap,
        int tmpthha,
        int cqt,
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
        long oaqd,
        int rhiri,
        int hirt,
        int cmmrtd,
        int nmmrtd,
        int minmrtg,
        int maxmrtg,
        int trattr,
        int mcudmq,
        int mnsudmq,
        int mcmr,
        int nmcmr,
        int mcdqpc,
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

    /**
     * Checks that the values are present and the power states match {@code npss}.
     *
     * @throws IllegalArgumentException {@code psds} does not have {@code npss + 1} entries
     */
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

    /**
     * Decodes a 4096-byte Identify Controller data structure.
     *
     * @param data the structure as the controller returned it
     * @return the structure
     * @throws IdentifyDecodeException not 4096 bytes, more than 32 power states, or a subsystem NQN
     *                                 that is not UTF-8
     */
    public static IdentifyController decode(MemorySegment data) {
        return decodeBytes(IdentifyFields.bytes(data, STRUCTURE));
    }

    /**
     * Decodes a 4096-byte Identify Controller data structure.
     *
     * @param data the structure as the controller returned it
     * @return the structure
     * @throws IdentifyDecodeException not 4096 bytes, more than 32 power states, or a subsystem NQN
     *                                 that is not UTF-8
     */
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
                u8(b, 358),
                u16(b, 360),
                u128(b, 368),
                u8(b, 384),
                u16(b, 386),
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
                u32(b, 564),
                u8(b, 568),
                u8(b, 569),
                u16(b, 570),
                u16(b, 572),
                u8(b, 574),
                u8(b, 575),
                u8(b, 576),
                u16(b, 578),
                u16(b, 580),
                u16(b, 582),
                u16(b, 584),
                u16(b, 586),
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

    /** {@return this structure encoded in a new 4096-byte array; reserved bytes are zero} */
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
        put(b, 358, 1, kpioc, "kpioc");
        put(b, 360, 2, mptfawr, "mptfawr");
        put128(b, 368, megcap, "megcap");
        put(b, 384, 1, tmpthha, "tmpthha");
        put(b, 386, 2, cqt, "cqt");
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
        put(b, 564, 4, oaqd, "oaqd");
        put(b, 568, 1, rhiri, "rhiri");
        put(b, 569, 1, hirt, "hirt");
        put(b, 570, 2, cmmrtd, "cmmrtd");
        put(b, 572, 2, nmmrtd, "nmmrtd");
        put(b, 574, 1, minmrtg, "minmrtg");
        put(b, 575, 1, maxmrtg, "maxmrtg");
        put(b, 576, 1, trattr, "trattr");
        put(b, 578, 2, mcudmq, "mcudmq");
        put(b, 580, 2, mnsudmq, "mnsudmq");
        put(b, 582, 2, mcmr, "mcmr");
        put(b, 584, 2, nmcmr, "nmcmr");
        put(b, 586, 2, mcdqpc, "mcdqpc");
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

    /**
     * Encodes this structure into {@code data}.
     *
     * @param data a 4096-byte buffer
     * @throws IllegalArgumentException {@code data} is not 4096 bytes
     */
    public void encodeTo(MemorySegment data) {
        IdentifyFields.copyTo(encode(), data);
    }

    /** {@return the NVMe version the controller reports, e.g. {@code 2.0.0}} */
    public String version() {
        return (ver >>> 16) + "." + ((ver >>> 8) & 0xff) + "." + (ver & 0xff);
    }

    /**
     * A power state descriptor, with the raw fields kept so it encodes back exactly.
     *
     * @param mp    Maximum Power ({@code max_power} in nvme-cli), in units of {@link #maxPowerScale()}
     *              (0: not reported)
     * @param flags bit 0 MXPS (max power scale), bit 1 NOPS (non-operational state)
     * @param enlat Entry Latency, in microseconds (0: not reported)
     * @param exlat Exit Latency, in microseconds (0: not reported)
     * @param rrt   Relative Read Throughput: this state's rank among the power states, lower is faster
     * @param rrl   Relative Read Latency, ranked as {@code rrt}
     * @param rwt   Relative Write Throughput, ranked as {@code rrt}
     * @param rwl   Relative Write Latency, ranked as {@code rrt}
     * @param idlp  Idle Power, in units of {@link #idleScale()}
     * @param ips   Idle Power Scale in bits 7:6, the other bits clear
     * @param actp  Active Power, in units of {@link #activeScale()}, under {@link #activeWorkload()}
     * @param apws  Active Power Workload in bits 2:0, Active Power Scale in bits 7:6, the other bits clear
     * @param epfrt Emergency Power Fail Recovery Time, in units of bits 3:0 of {@code epfrFqvTs}
     * @param fqvt  Forced Quiescence Vault Time, in units of bits 7:4 of {@code epfrFqvTs}
     * @param epfvt Emergency Power Fail Vault Time, in units of {@code epfvts}
     * @param epfrFqvTs the time scales of {@code epfrt} (bits 3:0) and {@code fqvt} (bits 7:4)
     * @param epfvts the time scale of {@code epfvt} in bits 3:0, the other bits clear
     */
    public record PowerState(int mp, int flags, long enlat, long exlat, int rrt, int rrl, int rwt,
                             int rwl, int idlp, int ips, int actp, int apws, int epfrt, int fqvt,
                             int epfvt, int epfrFqvTs, int epfvts) {

        static PowerState decode(byte[] b, int off) {
            return new PowerState(u16(b, off), u8(b, off + 3), u32(b, off + 4), u32(b, off + 8),
                    u8(b, off + 12) & 0x1f, u8(b, off + 13) & 0x1f, u8(b, off + 14) & 0x1f,
                    u8(b, off + 15) & 0x1f, u16(b, off + 16), u8(b, off + 18) & 0xc0,
                    u16(b, off + 20), u8(b, off + 22) & 0xc7, u8(b, off + 23), u8(b, off + 24),
                    u8(b, off + 25), u8(b, off + 26), u8(b, off + 27) & 0xf);
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
            put(b, off + 23, 1, epfrt, "epfrt");
            put(b, off + 24, 1, fqvt, "fqvt");
            put(b, off + 25, 1, epfvt, "epfvt");
            put(b, off + 26, 1, epfrFqvTs, "epfrFqvTs");
            put(b, off + 27, 1, epfvts, "epfvts");
        }

        /** {@return MXPS: 0 when {@link #mp} is in 0.01 W, 1 when in 0.0001 W} */
        public int maxPowerScale() {
            return flags & 1;
        }

        /** {@return NOPS: whether the controller processes no I/O commands in this state} */
        public boolean nonOperational() {
            return (flags & 2) != 0;
        }

        /** {@return the idle power scale: 0 not reported, 1 0.0001 W, 2 0.01 W} */
        public int idleScale() {
            return ips >>> 6;
        }

        /** {@return the time scale of {@link #epfrt}, bits 3:0 of {@link #epfrFqvTs}} */
        public int epfrScale() {
            return epfrFqvTs & 0xf;
        }

        /** {@return the time scale of {@link #fqvt}, bits 7:4 of {@link #epfrFqvTs}} */
        public int fqvScale() {
            return epfrFqvTs >>> 4;
        }

        /** {@return the Active Power Workload (APW) under which {@link #actp} was measured} */
        public int activeWorkload() {
            return apws & 7;
        }

        /** {@return the active power scale, as {@link #idleScale()}} */
        public int activeScale() {
            return apws >>> 6;
        }
    }
}

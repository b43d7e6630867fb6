package dev.nvmescan.scanner.output;

import java.math.BigInteger;

/**
 * The bit-field decodes nvme-cli 2.16 prints under a field with {@code -H} (nvme-print-stdout.c's
 * {@code stdout_id_ctrl_*} and {@code stdout_id_ns_*}): one {@code [hi:lo] : value\ttext} line per
 * field, reserved fields only when non-zero, a blank line after each block. The texts, their
 * spacing and nvme-cli's slips (bits shown under the wrong mask, inverted "Not"s) are kept as 2.16
 * prints them, so the output compares line for line.
 */
final class IdentifyBitFields {
    private IdentifyBitFields() {}

    /** C's {@code %#x}: {@code 0} for zero, else {@code 0x} and lower-case hex. */
    static String x(long v) {
        return v == 0 ? "0" : "0x" + Long.toHexString(v);
    }

    private static String not(long bit) {
        return bit != 0 ? "" : "Not ";
    }

    private static void f(StringBuilder o, String bits, long v, String text) {
        o.append(bits).append(x(v)).append('\t').append(text).append('\n');
    }

    private static long bit(long v, int n) {
        return v >>> n & 1;
    }

    static void cmic(StringBuilder o, int cmic) {
        int rsvd = cmic >>> 4 & 0xf, ana = cmic >>> 3 & 1, sriov = cmic >>> 2 & 1, mctl = cmic >>> 1 & 1,
                mp = cmic & 1;
        if (rsvd != 0)
            f(o, "  [7:4] : ", rsvd, "Reserved");
        f(o, "  [3:3] : ", ana, "ANA " + (ana != 0 ? "" : "not ") + "supported");
        f(o, "  [2:2] : ", sriov, sriov != 0 ? "SR-IOV" : "PCI");
        f(o, "  [1:1] : ", mctl, (mctl != 0 ? "Multi" : "Single") + " Controller");
        f(o, "  [0:0] : ", mp, (mp != 0 ? "Multi" : "Single") + " Port");
        o.append('\n');
    }

    static void oaes(StringBuilder o, long oaes) {
        long rsvd28 = (oaes & 0x70000000L) >>> 28, rsvd20 = (oaes & 0x7fe0000L) >>> 20, rsvd0 = oaes & 0xff;
        f(o, "  [31:31] : ", bit(oaes, 31), "Discovery Log Change Notice " + not(bit(oaes, 31)) + "Supported");
        if (rsvd28 != 0)
            f(o, "  [30:28] : ", rsvd28, "Reserved");
        f(o, "  [27:27] : ", bit(oaes, 27), "Zone Descriptor Changed Notices " + not(bit(oaes, 27)) + "Supported");
        if (rsvd20 != 0)
            f(o, "  [26:20] : ", rsvd20, "Reserved");
        f(o, "  [19:19] : ", bit(oaes, 19),
                "Allocated Namespace Attribute Notices " + not(bit(oaes, 19)) + "Supported");
        if (bit(oaes, 18) != 0)
            f(o, "  [18:18] : ", 1, "Reserved");
        f(o, "  [17:17] : ", bit(oaes, 17),
                "Reachability Groups Change Notices " + not(bit(oaes, 17)) + "Supported");
        f(o, "  [16:16] : ", bit(oaes, 16),
                "Temperature Threshold Hysteresis Recovery " + not(bit(oaes, 16)) + "Supported");
        f(o, "  [15:15] : ", bit(oaes, 15), "Normal NSS Shutdown Event " + not(bit(oaes, 15)) + "Supported");
        f(o, "  [14:14] : ", bit(oaes, 14),
                "Endurance Group Event Aggregate Log Page Change Notice " + not(bit(oaes, 14)) + "Supported");
        f(o, "  [13:13] : ", bit(oaes, 13), "LBA Status Information Notices " + not(bit(oaes, 13)) + "Supported");
        f(o, "  [12:12] : ", bit(oaes, 12),
                "Predictable Latency Event Aggregate Log Change Notices " + not(bit(oaes, 12)) + "Supported");
        f(o, "  [11:11] : ", bit(oaes, 11),
                "Asymmetric Namespace Access Change Notices " + not(bit(oaes, 11)) + "Supported");
        if (bit(oaes, 10) != 0)
            f(o, "  [10:10] : ", 1, "Reserved");
        f(o, "  [9:9] : ", bit(oaes, 9), "Firmware Activation Notices " + not(bit(oaes, 9)) + "Supported");
        f(o, "  [8:8] : ", bit(oaes, 8), "Namespace Attribute Changed Event " + not(bit(oaes, 8)) + "Supported");
        if (rsvd0 != 0)
            f(o, "  [7:0] : ", rsvd0, "Reserved");
        o.append('\n');
    }

    private static final String[] CTRATT = {"128-bit Host Identifier", "Non-Operational Power State Permissive",
            "NVM Sets", "Read Recovery Levels", "Endurance Groups", "Predictable Latency Mode",
            "Traffic Based Keep Alive", "Namespace Granularity", "SQ Associations", "UUID List",
            "Multi Domain Subsystem", "Fixed Capacity Management", "Variable Capacity Management",
            "Delete Endurance Group", "Delete NVM Set", "Extended LBA Formats",
            "MDTS and Size Limits Exclude Metadata", "HMB Restrict Non-Operational Power State Access",
            "Reservations and Host Identifier Interaction", "Flexible Data Placement"};

    static void ctratt(StringBuilder o, long ctratt) {
        if (ctratt >>> 20 != 0)
            f(o, " [31:20] : ", ctratt >>> 20, "Reserved");
        for (int n = 19; n >= 0; n--)
            f(o, "  [" + n + ":" + n + "] : ", bit(ctratt, n), CTRATT[n] + " " + not(bit(ctratt, n)) + "Supported");
        o.append('\n');
    }

    private static final String[] RPMBBPWPS = {"Support Not Specified", "Not Supported", "Supported"};

    static void bpcap(StringBuilder o, int bpcap) {
        int rpmbbpwps = bpcap & 3;
        if (bpcap >>> 3 != 0)
            f(o, " [7:3] : ", bpcap >>> 3, "Reserved");
        f(o, "  [2:2] : ", bit(bpcap, 2),
                "Set Features Boot Partition Write Protection " + not(bit(bpcap, 2)) + "Supported");
        // 2.16 indexes its three texts with the two-bit field; 3 (reserved) reads past them
        f(o, "  [1:0] : ", rpmbbpwps, "RPMB Boot Partition Write Protection "
                + (rpmbbpwps < RPMBBPWPS.length ? RPMBBPWPS[rpmbbpwps] : "Reserved"));
        o.append('\n');
    }

    static void plsi(StringBuilder o, int plsi) {
        if (plsi >>> 2 != 0)
            f(o, " [7:2] : ", plsi >>> 2, "Reserved");
        f(o, "  [1:1] : ", bit(plsi, 1),
                "Power Loss Signaling with Forced Quiescence " + not(bit(plsi, 1)) + "Supported");
        f(o, "  [0:0] : ", bit(plsi, 0),
                "Power Loss Signaling with Emergency Power Fail " + not(bit(plsi, 0)) + "Supported");
        o.append('\n');
    }

    private static final String[] CNTRLTYPE = {"Controller type not reported", "I/O Controller",
            "Discovery Controller", "Administrative Controller"};

    /** 2.16 always prints the reserved bits, shows the whole byte as bits 1:0, and adds no blank line. */
    static void cntrltype(StringBuilder o, int cntrltype) {
        f(o, "  [7:2] : ", (cntrltype & 0xfc) >>> 2, "Reserved");
        f(o, "  [1:0] : ", cntrltype, CNTRLTYPE[cntrltype & 3]);
    }

    static void crcap(StringBuilder o, int crcap) {
        if (crcap >>> 2 != 0)
            f(o, " [7:2] : ", crcap >>> 2, "Reserved");
        f(o, "  [1:1] : ", bit(crcap, 1), "RGRPID " + (bit(crcap, 1) != 0 ? "does not change" : "may change")
                + " while the namespace is attached to any controller.");
        f(o, "  [0:0] : ", bit(crcap, 0), "Reachability Reporting " + not(bit(crcap, 0)) + "Supported");
        o.append('\n');
    }

    /** 2.16 reads the reserved bits as {@code (nvmsr >> 2) & 0xfc}. */
    static void nvmsr(StringBuilder o, int nvmsr) {
        int rsvd = nvmsr >>> 2 & 0xfc;
        if (rsvd != 0)
            f(o, " [7:2] : ", rsvd, "Reserved");
        f(o, "  [1:1] : ", bit(nvmsr, 1), "NVM subsystem " + not(bit(nvmsr, 1)) + "part of an Enclosure");
        f(o, "  [0:0] : ", bit(nvmsr, 0), "NVM subsystem " + not(bit(nvmsr, 0)) + "part of a Storage Device");
        o.append('\n');
    }

    /** 2.16 shows bits 6:0 as {@code vwci & 0xfe}. */
    static void vwci(StringBuilder o, int vwci) {
        f(o, "  [7:7] : ", bit(vwci, 7), "VPD Write Cycles Remaining field is " + not(bit(vwci, 7)) + "valid.");
        f(o, "  [6:0] : ", vwci & 0xfe, "VPD Write Cycles Remaining");
        o.append('\n');
    }

    /** 2.16 reads the reserved bits as {@code (mec >> 2) & 0xfc}. */
    static void mec(StringBuilder o, int mec) {
        int rsvd = mec >>> 2 & 0xfc;
        if (rsvd != 0)
            f(o, " [7:2] : ", rsvd, "Reserved");
        f(o, "  [1:1] : ", bit(mec, 1),
                "NVM subsystem " + not(bit(mec, 1)) + "contains a Management Endpoint on a PCIe port");
        f(o, "  [0:0] : ", bit(mec, 0),
                "NVM subsystem " + not(bit(mec, 0)) + "contains a Management Endpoint on an SMBus/I2C port");
        o.append('\n');
    }

    private static final String[] OACS = {"Security Send and Receive", "Format NVM", "FW Commit and Download",
            "NS Management and Attachment", "Device Self-test", "Directives", "NVMe-MI Send and Receive",
            "Virtualization Management", "Doorbell Buffer Config", "Get LBA Status Capability",
            "Lockdown Command and Feature", "Host Managed Live Migration"};

    static void oacs(StringBuilder o, int oacs) {
        if ((oacs & 0xf000) != 0)
            f(o, " [15:12] : ", (oacs & 0xf000) >>> 12, "Reserved");
        for (int n = 11; n >= 0; n--)
            f(o, "  [" + n + ":" + n + "] : ", bit(oacs, n), OACS[n] + " " + not(bit(oacs, n)) + "Supported");
        o.append('\n');
    }

    static void frmw(StringBuilder o, int frmw) {
        if ((frmw & 0xc0) != 0)
            f(o, "  [7:6] : ", (frmw & 0xc0) >>> 6, "Reserved");
        f(o, "  [5:5] : ", bit(frmw, 5), "Multiple FW or Boot Update Detection " + not(bit(frmw, 5)) + "Supported");
        f(o, "  [4:4] : ", bit(frmw, 4), "Firmware Activate Without Reset " + not(bit(frmw, 4)) + "Supported");
        f(o, "  [3:1] : ", (frmw & 0xe) >>> 1, "Number of Firmware Slots");
        f(o, "  [0:0] : ", bit(frmw, 0), "Firmware Slot 1 Read" + (bit(frmw, 0) != 0 ? "-Only" : "/Write"));
        o.append('\n');
    }

    static void lpa(StringBuilder o, int lpa) {
        if (bit(lpa, 7) != 0)
            f(o, "  [7:7] : ", 1, "Reserved");
        f(o, "  [6:6] : ", bit(lpa, 6), "Telemetry Log Data Area 4 " + not(bit(lpa, 6)) + "Supported");
        f(o, "  [5:5] : ", bit(lpa, 5),
                "LID 0x0, Scope of each command in LID 0x5, 0x12, 0x13 " + not(bit(lpa, 5)) + "Supported");
        f(o, "  [4:4] : ", bit(lpa, 4), "Persistent Event log " + not(bit(lpa, 4)) + "Supported");
        f(o, "  [3:3] : ", bit(lpa, 3),
                "Telemetry host/controller initiated log page " + not(bit(lpa, 3)) + "Supported");
        f(o, "  [2:2] : ", bit(lpa, 2), "Extended data for Get Log Page " + not(bit(lpa, 2)) + "Supported");
        f(o, "  [1:1] : ", bit(lpa, 1), "Command Effects Log Page " + not(bit(lpa, 1)) + "Supported");
        f(o, "  [0:0] : ", bit(lpa, 0), "SMART/Health Log Page per NS " + not(bit(lpa, 0)) + "Supported");
        o.append('\n');
    }

    static void elpe(StringBuilder o, int elpe) {
        o.append("  [7:0] : ").append(elpe).append(" (0's based)\tError Log Page Entries (ELPE)\n\n");
    }

    static void npss(StringBuilder o, int npss) {
        o.append("  [7:0] : ").append(npss).append(" (0's based)\tNumber of Power States Support (NPSS)\n\n");
    }

    static void avscc(StringBuilder o, int avscc) {
        if (avscc >>> 1 != 0)
            f(o, "  [7:1] : ", avscc >>> 1, "Reserved");
        f(o, "  [0:0] : ", bit(avscc, 0), "Admin Vendor Specific Commands uses "
                + (bit(avscc, 0) != 0 ? "NVMe" : "Vendor Specific") + " Format");
        o.append('\n');
    }

    static void apsta(StringBuilder o, int apsta) {
        if (apsta >>> 1 != 0)
            f(o, "  [7:1] : ", apsta >>> 1, "Reserved");
        f(o, "  [0:0] : ", bit(apsta, 0),
                "Autonomous Power State Transitions " + not(bit(apsta, 0)) + "Supported");
        o.append('\n');
    }

    /**
     * A temperature in kelvins as 2.16's text output shows it: {@code °C}, the kelvins, {@code °F},
     * with C's truncating integer division.
     */
    static void temperature(StringBuilder o, int kelvins, String name) {
        long c = kelvins - 273L, fahrenheit = c * 9 / 5 + 32;
        o.append(" [15:0] : ").append(c).append(" °C (").append(kelvins).append(" K, ").append(fahrenheit)
                .append(" °F)\t").append(name).append("\n\n");
    }

    static void capacity(StringBuilder o, BigInteger bytes, String name) {
        o.append("[127:0] : ").append(bytes).append("\n\t").append(name).append("\n\n");
    }

    static void rpmbs(StringBuilder o, long rpmbs) {
        long rsvd = (rpmbs & 0xffc0) >>> 6;
        f(o, " [31:24]: ", (rpmbs & 0xff000000L) >>> 24, "Access Size");
        f(o, " [23:16]: ", (rpmbs & 0xff0000) >>> 16, "Total Size");
        if (rsvd != 0)
            f(o, " [15:6] : ", rsvd, "Reserved");
        f(o, "  [5:3] : ", (rpmbs & 0x38) >>> 3, "Authentication Method");
        f(o, "  [2:0] : ", rpmbs & 7, "Number of RPMB Units");
        o.append('\n');
    }

    static void dsto(StringBuilder o, int dsto) {
        if (dsto >>> 2 != 0)
            f(o, "  [7:2] : ", dsto >>> 2, "Reserved");
        f(o, "  [1:1] : ", bit(dsto, 1), "Host-Initiated Refresh capability " + not(bit(dsto, 1)) + "Supported");
        f(o, "  [0:0] : ", bit(dsto, 0), "NVM subsystem supports " + (bit(dsto, 0) != 0
                ? "only one device self-test operation in progress"
                : "one device self-test operation per controller") + " at a time");
        o.append('\n');
    }

    static void hctma(StringBuilder o, int hctma) {
        if (hctma >>> 1 != 0)
            f(o, " [15:1] : ", hctma >>> 1, "Reserved");
        f(o, "  [0:0] : ", bit(hctma, 0), "Host Controlled Thermal Management " + not(bit(hctma, 0)) + "Supported");
        o.append('\n');
    }

    private static final String[] NODMMAS = {
            "Additional media modification after sanitize operation completes successfully is not defined",
            "Media is not additionally modified after sanitize operation completes successfully",
            "Media is additionally modified after sanitize operation completes successfully", "Reserved"};

    /** 2.16 says "Not Supported" for bit 29 clear, i.e. for No-Deallocate being honoured. */
    static void sanicap(StringBuilder o, long sanicap) {
        long rsvd4 = (sanicap & 0x1ffffff0L) >>> 4, nodmmas = (sanicap & 0xc0000000L) >>> 30;
        f(o, "  [31:30] : ", nodmmas, NODMMAS[(int) nodmmas]);
        f(o, "  [29:29] : ", bit(sanicap, 29), "No-Deallocate After Sanitize bit in Sanitize command "
                + (bit(sanicap, 29) != 0 ? "Not " : "") + "Supported");
        if (rsvd4 != 0)
            f(o, "  [28:4] : ", rsvd4, "Reserved");
        f(o, "  [3:3] : ", bit(sanicap, 3),
                "Media Verification and Post-Verification Deallocation state " + not(bit(sanicap, 3)) + "Supported");
        f(o, "  [2:2] : ", bit(sanicap, 2), "Overwrite Sanitize Operation " + not(bit(sanicap, 2)) + "Supported");
        f(o, "  [1:1] : ", bit(sanicap, 1), "Block Erase Sanitize Operation " + not(bit(sanicap, 1)) + "Supported");
        f(o, "  [0:0] : ", bit(sanicap, 0), "Crypto Erase Sanitize Operation " + not(bit(sanicap, 0)) + "Supported");
        o.append('\n');
    }

    static void anacap(StringBuilder o, int anacap) {
        f(o, "  [7:7] : ", bit(anacap, 7), "Non-zero group ID " + not(bit(anacap, 7)) + "Supported");
        f(o, "  [6:6] : ", bit(anacap, 6), "Group ID does " + (bit(anacap, 6) != 0 ? "not " : "") + "change");
        if (bit(anacap, 5) != 0)
            f(o, " [5:5] : ", 1, "Reserved");
        f(o, "  [4:4] : ", bit(anacap, 4), "ANA Change state " + not(bit(anacap, 4)) + "Supported");
        f(o, "  [3:3] : ", bit(anacap, 3), "ANA Persistent Loss state " + not(bit(anacap, 3)) + "Supported");
        f(o, "  [2:2] : ", bit(anacap, 2), "ANA Inaccessible state " + not(bit(anacap, 2)) + "Supported");
        f(o, "  [1:1] : ", bit(anacap, 1), "ANA Non-optimized state " + not(bit(anacap, 1)) + "Supported");
        f(o, "  [0:0] : ", bit(anacap, 0), "ANA Optimized state " + not(bit(anacap, 0)) + "Supported");
        o.append('\n');
    }

    static void kpioc(StringBuilder o, int kpioc) {
        if (kpioc >>> 2 != 0)
            f(o, " [7:2] : ", kpioc >>> 2, "Reserved");
        f(o, "  [1:1] : ", bit(kpioc, 1), "Key Per I/O capability "
                + (bit(kpioc, 1) != 0 ? "applies" : "Not apply") + " to all namespaces");
        f(o, "  [0:0] : ", bit(kpioc, 0), "Key Per I/O capability " + not(bit(kpioc, 0)) + "Supported");
        o.append('\n');
    }

    static void tmpthha(StringBuilder o, int tmpthha) {
        if ((tmpthha & 0xf8) != 0)
            f(o, "  [7:3] : ", (tmpthha & 0xf8) >>> 3, "Reserved");
        f(o, "  [2:0] : ", tmpthha & 7, "Temperature Threshold Maximum Hysteresis");
        o.append('\n');
    }

    /** {@code sqes} or {@code cqes}: {@code kind} is {@code SQ} or {@code CQ}. */
    static void entrySizes(StringBuilder o, int es, String kind) {
        int max = (es & 0xf0) >>> 4, min = es & 0xf;
        f(o, "  [7:4] : ", max, "Max " + kind + " Entry Size (" + (1 << max) + ")");
        f(o, "  [3:0] : ", min, "Min " + kind + " Entry Size (" + (1 << min) + ")");
        o.append('\n');
    }

    private static final String[] ONCS = {"Compare", "Write Uncorrectable", "Data Set Management", "Write Zeroes",
            "Save and Select", "Reservations", "Timestamp", "Verify", "Copy", "Copy Single Atomicity",
            "All Fast Copy", "Maximum Write Zeroes with Deallocate", "Namespace Zeroes"};

    static void oncs(StringBuilder o, int oncs) {
        if (oncs >>> 13 != 0)
            f(o, "  [15:13] : ", oncs >>> 13, "Reserved");
        for (int n = 12; n >= 0; n--)
            f(o, "  [" + n + ":" + n + "] : ", bit(oncs, n), ONCS[n] + " " + not(bit(oncs, n)) + "Supported");
        o.append('\n');
    }

    /** 2.16 masks the reserved bits with {@code 0xfe}, so bits 15:8 never show. */
    static void fuses(StringBuilder o, int fuses) {
        if ((fuses & 0xfe) != 0)
            f(o, " [15:1] : ", (fuses & 0xfe) >>> 1, "Reserved");
        f(o, "  [0:0] : ", bit(fuses, 0), "Fused Compare and Write " + not(bit(fuses, 0)) + "Supported");
        o.append('\n');
    }

    /** 2.16 says "Not Supported" for bit 3 set. */
    static void fna(StringBuilder o, int fna) {
        if ((fna & 0xf0) != 0)
            f(o, "  [7:4] : ", (fna & 0xf0) >>> 4, "Reserved");
        f(o, "  [3:3] : ", bit(fna, 3), "Format NVM Broadcast NSID (FFFFFFFFh) "
                + (bit(fna, 3) != 0 ? "Not " : "") + "Supported");
        f(o, "  [2:2] : ", bit(fna, 2), "Crypto Erase " + not(bit(fna, 2)) + "Supported as part of Secure Erase");
        f(o, "  [1:1] : ", bit(fna, 1), "Crypto Erase Applies to " + (bit(fna, 1) != 0 ? "All" : "Single")
                + " Namespace(s)");
        f(o, "  [0:0] : ", bit(fna, 0), "Format Applies to " + (bit(fna, 0) != 0 ? "All" : "Single")
                + " Namespace(s)");
        o.append('\n');
    }

    private static final String[] FLUSH = {"Support for the NSID field set to FFFFFFFFh is not indicated",
            "Reserved", "The Flush command does not support NSID set to FFFFFFFFh",
            "The Flush command supports NSID set to FFFFFFFFh"};

    static void vwc(StringBuilder o, int vwc) {
        if ((vwc & 0xf8) != 0)
            f(o, "  [7:3] : ", (vwc & 0xf8) >>> 3, "Reserved");
        f(o, "  [2:1] : ", (vwc & 6) >>> 1, FLUSH[(vwc & 6) >>> 1]);
        f(o, "  [0:0] : ", bit(vwc, 0), "Volatile Write Cache " + not(bit(vwc, 0)) + "Present");
        o.append('\n');
    }

    static void icsvscc(StringBuilder o, int icsvscc) {
        if (icsvscc >>> 1 != 0)
            f(o, "  [7:1] : ", icsvscc >>> 1, "Reserved");
        f(o, "  [0:0] : ", bit(icsvscc, 0), "NVM Vendor Specific Commands uses "
                + (bit(icsvscc, 0) != 0 ? "NVMe" : "Vendor Specific") + " Format");
        o.append('\n');
    }

    static void nwpc(StringBuilder o, int nwpc) {
        if ((nwpc & 0xf8) != 0)
            f(o, "  [7:3] : ", (nwpc & 0xf8) >>> 3, "Reserved");
        f(o, "  [2:2] : ", bit(nwpc, 2), "Permanent Write Protect " + not(bit(nwpc, 2)) + "Supported");
        f(o, "  [1:1] : ", bit(nwpc, 1), "Write Protect Until Power Supply " + not(bit(nwpc, 1)) + "Supported");
        f(o, "  [0:0] : ", bit(nwpc, 0),
                "No Write Protect and Write Protect Namespace " + not(bit(nwpc, 0)) + "Supported");
        o.append('\n');
    }

    static void ocfs(StringBuilder o, int ocfs) {
        if (ocfs >>> 4 != 0)
            f(o, "  [15:4] : ", ocfs >>> 4, "Reserved");
        for (int n = 3; n >= 0; n--)
            f(o, "  [" + n + ":" + n + "] : ", bit(ocfs, n),
                    "Controller Copy Format " + n + "h " + not(bit(ocfs, n)) + "Supported");
        o.append('\n');
    }

    /** Bits 21:16 and 2 show only where SGLs are supported or the bit is set, as in 2.16. */
    static void sgls(StringBuilder o, long sgls) {
        long rsvd0 = (sgls & 0xffc00000L) >>> 22, rsvd1 = (sgls & 0xf8) >>> 3, sglsp = sgls & 3;
        if (rsvd0 != 0)
            f(o, " [31:22]: ", rsvd0, "Reserved");
        sglBit(o, sgls, 21, "Transport SGL Data Block Descriptor ");
        sglBit(o, sgls, 20, "Address Offsets ");
        sglBit(o, sgls, 19, "Metadata Pointer Containing SGL Descriptor is ");
        sglBit(o, sgls, 18, "SGL Length Larger than Buffer ");
        sglBit(o, sgls, 17, "Byte-Aligned Contig. MD Buffer ");
        sglBit(o, sgls, 16, "SGL Bit-Bucket ");
        f(o, " [15:8] : ", sgls >>> 8 & 0xff, "SGL Descriptor Threshold");
        if (rsvd1 != 0)
            f(o, " [7:3] : ", rsvd1, "Reserved");
        if (sglsp != 0 || bit(sgls, 2) != 0)
            f(o, "  [2:2] : ", bit(sgls, 2), "Keyed SGL Data Block descriptor " + not(bit(sgls, 2)) + "Supported");
        if (sglsp == 3)
            f(o, "  [1:0] : ", sglsp, "Reserved");
        else if (sglsp == 2)
            f(o, "  [1:0] : ", sglsp, "Scatter-Gather Lists Supported. Dword alignment required.");
        else if (sglsp == 1)
            f(o, "  [1:0] : ", sglsp, "Scatter-Gather Lists Supported. No Dword alignment required.");
        else
            f(o, " [1:0]  : ", sglsp, "Scatter-Gather Lists Not Supported");
        o.append('\n');
    }

    private static void sglBit(StringBuilder o, long sgls, int n, String text) {
        if ((sgls & 3) != 0 || bit(sgls, n) != 0)
            f(o, " [" + n + ":" + n + "]: ", bit(sgls, n), text + not(bit(sgls, n)) + "Supported");
    }

    static void trattr(StringBuilder o, int trattr) {
        if (trattr >>> 3 != 0)
            f(o, " [7:3] : ", trattr >>> 3, "Reserved");
        f(o, "  [2:2] : ", bit(trattr, 2), "Memory Range Tracking Length Limit");
        f(o, "  [1:1] : ", bit(trattr, 1), "Tracking User Data Changes " + not(bit(trattr, 1)) + "Supported");
        f(o, "  [0:0] : ", bit(trattr, 0), "Track Host Memory Changes " + not(bit(trattr, 0)) + "Supported");
        o.append('\n');
    }

    static void fcatt(StringBuilder o, int fcatt) {
        if (fcatt >>> 1 != 0)
            f(o, "  [7:1] : ", fcatt >>> 1, "Reserved");
        f(o, "  [0:0] : ", bit(fcatt, 0), (bit(fcatt, 0) != 0 ? "Static" : "Dynamic") + " Controller Model");
        o.append('\n');
    }

    /** 2.16 writes "Not" and a space around an empty string: "Disconnect command  Supported" when set. */
    static void ofcs(StringBuilder o, int ofcs) {
        if (ofcs >>> 1 != 0)
            f(o, "  [15:1] : ", ofcs >>> 1, "Reserved");
        f(o, "  [0:0] : ", bit(ofcs, 0), "Disconnect command " + (bit(ofcs, 0) != 0 ? "" : "Not") + " Supported");
        o.append('\n');
    }

    // Identify Namespace

    static void nsfeat(StringBuilder o, int nsfeat) {
        int optperf = (nsfeat & 0x30) >>> 4;
        f(o, "  [7:7] : ", bit(nsfeat, 7), "NPRG, NPRA and NORS are " + not(bit(nsfeat, 7)) + "Supported");
        f(o, "  [6:6] : ", bit(nsfeat, 6),
                (bit(nsfeat, 6) != 0 ? "Multiple" : "Single") + " Atomicity Mode applies to write operations");
        f(o, "  [5:4] : ", optperf, "NPWG, NPWA, " + ((optperf & 1) != 0 || optperf == 0 ? "NPDG, " : "")
                + ((optperf & 2) != 0 || optperf == 0 ? "NPDGL, " : "") + "NPDA, and NOWS are "
                + not(optperf) + "Supported");
        f(o, "  [3:3] : ", bit(nsfeat, 3), "NGUID and EUI64 fields if non-zero, "
                + (bit(nsfeat, 3) != 0 ? "Never " : "") + "Reused");
        f(o, "  [2:2] : ", bit(nsfeat, 2),
                "Deallocated or Unwritten Logical Block error " + not(bit(nsfeat, 2)) + "Supported");
        f(o, "  [1:1] : ", bit(nsfeat, 1), "Namespace uses "
                + (bit(nsfeat, 1) != 0 ? "NAWUN, NAWUPF, and NACWU" : "AWUN, AWUPF, and ACWU"));
        f(o, "  [0:0] : ", bit(nsfeat, 0), "Thin Provisioning " + not(bit(nsfeat, 0)) + "Supported");
        o.append('\n');
    }

    static void flbas(StringBuilder o, int flbas) {
        if (bit(flbas, 7) != 0)
            f(o, "  [7:7] : ", 1, "Reserved");
        f(o, "  [6:5] : ", (flbas & 0x60) >>> 5, "Most significant 2 bits of Current LBA Format Selected");
        f(o, "  [4:4] : ", bit(flbas, 4), "Metadata Transferred "
                + (bit(flbas, 4) != 0 ? "at End of Data LBA" : "in Separate Contiguous Buffer"));
        f(o, "  [3:0] : ", flbas & 0xf, "Least significant 4 bits of Current LBA Format Selected");
        o.append('\n');
    }

    static void mc(StringBuilder o, int mc) {
        if (mc >>> 2 != 0)
            f(o, "  [7:2] : ", mc >>> 2, "Reserved");
        f(o, "  [1:1] : ", bit(mc, 1), "Metadata Pointer " + not(bit(mc, 1)) + "Supported");
        f(o, "  [0:0] : ", bit(mc, 0), "Metadata as Part of Extended Data LBA " + not(bit(mc, 0)) + "Supported");
        o.append('\n');
    }

    static void dpc(StringBuilder o, int dpc) {
        if (dpc >>> 5 != 0)
            f(o, "  [7:5] : ", dpc >>> 5, "Reserved");
        f(o, "  [4:4] : ", bit(dpc, 4),
                "Protection Information Transferred as Last Bytes of Metadata " + not(bit(dpc, 4)) + "Supported");
        f(o, "  [3:3] : ", bit(dpc, 3),
                "Protection Information Transferred as First Bytes of Metadata " + not(bit(dpc, 3)) + "Supported");
        for (int n = 2; n >= 0; n--)
            f(o, "  [" + n + ":" + n + "] : ", bit(dpc, n),
                    "Protection Information Type " + (n + 1) + " " + not(bit(dpc, n)) + "Supported");
        o.append('\n');
    }

    static void dps(StringBuilder o, int dps) {
        int pit = dps & 7;
        if (dps >>> 4 != 0)
            f(o, "  [7:4] : ", dps >>> 4, "Reserved");
        f(o, "  [3:3] : ", bit(dps, 3), "Protection Information is Transferred as "
                + (bit(dps, 3) != 0 ? "First" : "Last") + " Bytes of Metadata");
        f(o, "  [2:0] : ", pit, "Protection Information " + switch (pit) {
            case 0 -> "Disabled";
            case 1, 2, 3 -> "Type " + pit + " Enabled";
            default -> "Reserved Enabled";
        });
        o.append('\n');
    }

    static void nmic(StringBuilder o, int nmic) {
        if (nmic >>> 2 != 0)
            f(o, "  [7:2] : ", nmic >>> 2, "Reserved");
        f(o, "  [1:1] : ", bit(nmic, 1), "Namespace is " + (bit(nmic, 1) != 0 ? "" : "Not ") + "a Dispersed Namespace");
        f(o, "  [0:0] : ", bit(nmic, 0), "Namespace Multipath " + not(bit(nmic, 0)) + "Capable");
        o.append('\n');
    }

    private static final String[] RESCAP = {"Persist Through Power Loss", "Write Exclusive", "Exclusive Access",
            "Write Exclusive - Registrants Only", "Exclusive Access - Registrants Only",
            "Write Exclusive - All Registrants", "Exclusive Access - All Registrants"};

    static void rescap(StringBuilder o, int rescap) {
        f(o, "  [7:7] : ", bit(rescap, 7), "Ignore Existing Key - Used as defined in revision "
                + (bit(rescap, 7) != 0 ? "1.3 or later" : "1.2.1 or earlier"));
        for (int n = 6; n >= 0; n--)
            f(o, "  [" + n + ":" + n + "] : ", bit(rescap, n), RESCAP[n] + " " + not(bit(rescap, n)) + "Supported");
        o.append('\n');
    }

    static void fpi(StringBuilder o, int fpi) {
        int remaining = fpi & 0x7f;
        f(o, "  [7:7] : ", bit(fpi, 7), "Format Progress Indicator " + not(bit(fpi, 7)) + "Supported");
        if (bit(fpi, 7) != 0 || remaining != 0)
            f(o, "  [6:0] : ", remaining, "Format Progress Indicator (Remaining " + remaining + "%)");
        o.append('\n');
    }

    static void dlfeat(StringBuilder o, int dlfeat) {
        int val = dlfeat & 7;
        if (dlfeat >>> 5 != 0)
            f(o, "  [7:5] : ", dlfeat >>> 5, "Reserved");
        f(o, "  [4:4] : ", bit(dlfeat, 4), "Guard Field of Deallocated Logical Blocks is set to "
                + (bit(dlfeat, 4) != 0 ? "CRC of The Value Read" : "0xFFFF"));
        f(o, "  [3:3] : ", bit(dlfeat, 3),
                "Deallocate Bit in the Write Zeroes Command is " + not(bit(dlfeat, 3)) + "Supported");
        f(o, "  [2:0] : ", val, "Bytes Read From a Deallocated Logical Block and its Metadata are " + switch (val) {
            case 0 -> "Not Reported";
            case 1 -> "0x00";
            case 2 -> "0xFF";
            default -> "Reserved Value";
        });
        o.append('\n');
    }

    static void kpios(StringBuilder o, int kpios) {
        if (kpios >>> 2 != 0)
            f(o, "  [7:2] : ", kpios >>> 2, "Reserved");
        f(o, "  [1:1] : ", bit(kpios, 1), "Key Per I/O Capability " + not(bit(kpios, 1)) + "Supported");
        f(o, "  [0:0] : ", bit(kpios, 0), "Key Per I/O Capability " + (bit(kpios, 0) != 0 ? "Enabled" : "Disabled"));
        o.append('\n');
    }

    static void nsattr(StringBuilder o, int nsattr) {
        if (nsattr >>> 1 != 0)
            f(o, "  [7:1] : ", nsattr >>> 1, "Reserved");
        f(o, "  [0:0] : ", bit(nsattr, 0), "Namespace " + not(bit(nsattr, 0)) + "Write Protected");
        o.append('\n');
    }

    /** "Best", "Better", "Good" or "Degraded" for a Relative Performance of 0 to 3. */
    static String relativePerformance(int rp) {
        return switch (rp) {
            case 3 -> "Degraded";
            case 2 -> "Good";
            case 1 -> "Better";
            default -> "Best";
        };
    }
}

package dev.nvmescan.scanner.output;

import static dev.nvmescan.scanner.output.IdentifyBitFields.x;

import dev.nvmescan.nativebindings.identify.IdentifyController;
import dev.nvmescan.nativebindings.identify.IdentifyNamespace;
import dev.nvmescan.nativebindings.identify.NamespaceIdDescriptors;

/**
 * Identify structures as nvme-cli 2.16 prints them without {@code -o} (nvme-print-stdout.c's
 * {@code stdout_id_ctrl}, {@code stdout_id_ns}, {@code stdout_id_ns_descs}): the title line, then
 * one {@code name : value} line per field in nvme-cli's order, with its decimal or {@code %#x}
 * choice; {@code human} ({@code -H}) adds {@link IdentifyBitFields}' decodes under the fields. The
 * 128-bit counters are plain digits (nvme-cli's C locale; with {@code -H} nvme-cli uses the user's
 * locale, whose thousands separator nvmescan does not add).
 */
public final class IdentifyText {
    private IdentifyText() {}

    /** {@code nvme id-ctrl [-H]}. */
    public static String controller(IdentifyController c, boolean human) {
        StringBuilder o = new StringBuilder("NVME Identify Controller:\n");
        ctrl(o, "vid", x(c.vid()));
        ctrl(o, "ssvid", x(c.ssvid()));
        ctrl(o, "sn", padded(c.sn(), 20));
        ctrl(o, "mn", padded(c.mn(), 40));
        ctrl(o, "fr", padded(c.fr(), 8));
        ctrl(o, "rab", c.rab());
        ctrl(o, "ieee", String.format("%06x", c.ieee()));
        ctrl(o, "cmic", x(c.cmic()));
        if (human)
            IdentifyBitFields.cmic(o, c.cmic());
        ctrl(o, "mdts", c.mdts());
        ctrl(o, "cntlid", x(c.cntlid()));
        ctrl(o, "ver", x(c.ver()));
        ctrl(o, "rtd3r", x(c.rtd3r()));
        ctrl(o, "rtd3e", x(c.rtd3e()));
        ctrl(o, "oaes", x(c.oaes()));
        if (human)
            IdentifyBitFields.oaes(o, c.oaes());
        ctrl(o, "ctratt", x(c.ctratt()));
        if (human)
            IdentifyBitFields.ctratt(o, c.ctratt());
        ctrl(o, "rrls", x(c.rrls()));
        ctrl(o, "bpcap", x(c.bpcap()));
        if (human)
            IdentifyBitFields.bpcap(o, c.bpcap());
        ctrl(o, "nssl", x(c.nssl()));
        ctrl(o, "plsi", c.plsi());
        if (human)
            IdentifyBitFields.plsi(o, c.plsi());
        ctrl(o, "cntrltype", c.cntrltype());
        if (human)
            IdentifyBitFields.cntrltype(o, c.cntrltype());
        ctrl(o, "fguid", c.fguid());
        ctrl(o, "crdt1", c.crdt1());
        ctrl(o, "crdt2", c.crdt2());
        ctrl(o, "crdt3", c.crdt3());
        ctrl(o, "crcap", c.crcap());
        if (human)
            IdentifyBitFields.crcap(o, c.crcap());
        ctrl(o, "nvmsr", c.nvmsr());
        if (human)
            IdentifyBitFields.nvmsr(o, c.nvmsr());
        ctrl(o, "vwci", c.vwci());
        if (human)
            IdentifyBitFields.vwci(o, c.vwci());
        ctrl(o, "mec", c.mec());
        if (human)
            IdentifyBitFields.mec(o, c.mec());
        ctrl(o, "oacs", x(c.oacs()));
        if (human)
            IdentifyBitFields.oacs(o, c.oacs());
        ctrl(o, "acl", c.acl());
        ctrl(o, "aerl", c.aerl());
        ctrl(o, "frmw", x(c.frmw()));
        if (human)
            IdentifyBitFields.frmw(o, c.frmw());
        ctrl(o, "lpa", x(c.lpa()));
        if (human)
            IdentifyBitFields.lpa(o, c.lpa());
        ctrl(o, "elpe", c.elpe());
        if (human)
            IdentifyBitFields.elpe(o, c.elpe());
        ctrl(o, "npss", c.npss());
        if (human)
            IdentifyBitFields.npss(o, c.npss());
        ctrl(o, "avscc", x(c.avscc()));
        if (human)
            IdentifyBitFields.avscc(o, c.avscc());
        ctrl(o, "apsta", x(c.apsta()));
        if (human)
            IdentifyBitFields.apsta(o, c.apsta());
        ctrl(o, "wctemp", c.wctemp());
        if (human)
            IdentifyBitFields.temperature(o, c.wctemp(), "Warning Composite Temperature Threshold (WCTEMP)");
        ctrl(o, "cctemp", c.cctemp());
        if (human)
            IdentifyBitFields.temperature(o, c.cctemp(), "Critical Composite Temperature Threshold (CCTEMP)");
        ctrl(o, "mtfa", c.mtfa());
        ctrl(o, "hmpre", c.hmpre());
        ctrl(o, "hmmin", c.hmmin());
        ctrl(o, "tnvmcap", c.tnvmcap());
        if (human)
            IdentifyBitFields.capacity(o, c.tnvmcap(), "Total NVM Capacity (TNVMCAP)");
        ctrl(o, "unvmcap", c.unvmcap());
        if (human)
            IdentifyBitFields.capacity(o, c.unvmcap(), "Unallocated NVM Capacity (UNVMCAP)");
        ctrl(o, "rpmbs", x(c.rpmbs()));
        if (human)
            IdentifyBitFields.rpmbs(o, c.rpmbs());
        ctrl(o, "edstt", c.edstt());
        ctrl(o, "dsto", c.dsto());
        if (human)
            IdentifyBitFields.dsto(o, c.dsto());
        ctrl(o, "fwug", c.fwug());
        ctrl(o, "kas", c.kas());
        ctrl(o, "hctma", x(c.hctma()));
        if (human)
            IdentifyBitFields.hctma(o, c.hctma());
        ctrl(o, "mntmt", c.mntmt());
        if (human)
            IdentifyBitFields.temperature(o, c.mntmt(), "Minimum Thermal Management Temperature (MNTMT)");
        ctrl(o, "mxtmt", c.mxtmt());
        if (human)
            IdentifyBitFields.temperature(o, c.mxtmt(), "Maximum Thermal Management Temperature (MXTMT)");
        ctrl(o, "sanicap", x(c.sanicap()));
        if (human)
            IdentifyBitFields.sanicap(o, c.sanicap());
        ctrl(o, "hmminds", c.hmminds());
        ctrl(o, "hmmaxd", c.hmmaxd());
        ctrl(o, "nsetidmax", c.nsetidmax());
        ctrl(o, "endgidmax", c.endgidmax());
        ctrl(o, "anatt", c.anatt());
        ctrl(o, "anacap", c.anacap());
        if (human)
            IdentifyBitFields.anacap(o, c.anacap());
        ctrl(o, "anagrpmax", c.anagrpmax());
        ctrl(o, "nanagrpid", c.nanagrpid());
        ctrl(o, "pels", c.pels());
        ctrl(o, "domainid", c.domainid());
        ctrl(o, "kpioc", c.kpioc());
        if (human)
            IdentifyBitFields.kpioc(o, c.kpioc());
        ctrl(o, "mptfawr", c.mptfawr());
        ctrl(o, "megcap", c.megcap());
        ctrl(o, "tmpthha", x(c.tmpthha()));
        if (human)
            IdentifyBitFields.tmpthha(o, c.tmpthha());
        ctrl(o, "cqt", c.cqt());
        ctrl(o, "sqes", x(c.sqes()));
        if (human)
            IdentifyBitFields.entrySizes(o, c.sqes(), "SQ");
        ctrl(o, "cqes", x(c.cqes()));
        if (human)
            IdentifyBitFields.entrySizes(o, c.cqes(), "CQ");
        ctrl(o, "maxcmd", c.maxcmd());
        ctrl(o, "nn", c.nn());
        ctrl(o, "oncs", x(c.oncs()));
        if (human)
            IdentifyBitFields.oncs(o, c.oncs());
        ctrl(o, "fuses", x(c.fuses()));
        if (human)
            IdentifyBitFields.fuses(o, c.fuses());
        ctrl(o, "fna", x(c.fna()));
        if (human)
            IdentifyBitFields.fna(o, c.fna());
        ctrl(o, "vwc", x(c.vwc()));
        if (human)
            IdentifyBitFields.vwc(o, c.vwc());
        ctrl(o, "awun", c.awun());
        ctrl(o, "awupf", c.awupf());
        ctrl(o, "icsvscc", c.icsvscc());
        if (human)
            IdentifyBitFields.icsvscc(o, c.icsvscc());
        ctrl(o, "nwpc", c.nwpc());
        if (human)
            IdentifyBitFields.nwpc(o, c.nwpc());
        ctrl(o, "acwu", c.acwu());
        ctrl(o, "ocfs", x(c.ocfs()));
        if (human)
            IdentifyBitFields.ocfs(o, c.ocfs());
        ctrl(o, "sgls", x(c.sgls()));
        if (human)
            IdentifyBitFields.sgls(o, c.sgls());
        ctrl(o, "mnan", c.mnan());
        ctrl(o, "maxdna", c.maxdna());
        ctrl(o, "maxcna", c.maxcna());
        ctrl(o, "oaqd", c.oaqd());
        ctrl(o, "rhiri", c.rhiri());
        ctrl(o, "hirt", c.hirt());
        ctrl(o, "cmmrtd", c.cmmrtd());
        ctrl(o, "nmmrtd", c.nmmrtd());
        ctrl(o, "minmrtg", c.minmrtg());
        ctrl(o, "maxmrtg", c.maxmrtg());
        ctrl(o, "trattr", c.trattr());
        if (human)
            IdentifyBitFields.trattr(o, c.trattr());
        ctrl(o, "mcudmq", c.mcudmq());
        ctrl(o, "mnsudmq", c.mnsudmq());
        ctrl(o, "mcmr", c.mcmr());
        ctrl(o, "nmcmr", c.nmcmr());
        ctrl(o, "mcdqpc", c.mcdqpc());
        ctrl(o, "subnqn", c.subnqn());
        ctrl(o, "ioccsz", c.ioccsz());
        ctrl(o, "iorcsz", c.iorcsz());
        ctrl(o, "icdoff", c.icdoff());
        ctrl(o, "fcatt", x(c.fcatt()));
        if (human)
            IdentifyBitFields.fcatt(o, c.fcatt());
        ctrl(o, "msdbd", c.msdbd());
        ctrl(o, "ofcs", c.ofcs());
        if (human)
            IdentifyBitFields.ofcs(o, c.ofcs());
        for (int i = 0; i < c.psds().size(); i++)
            powerState(o, i, c.psds().get(i));
        return o.toString();
    }

    /** {@code %-10s: } and the value, the layout of every id-ctrl field line. */
    private static void ctrl(StringBuilder o, String name, Object value) {
        o.append(String.format("%-10s: ", name)).append(value).append('\n');
    }

    /** sn, mn, fr as nvme-cli's {@code %-.*s} shows them: the field's full width, space padded. */
    private static String padded(String s, int width) {
        return String.format("%-" + width + "s", s);
    }

    /** stdout_id_ctrl_power: three lines of the descriptor, then the three vault and recovery times. */
    private static void powerState(StringBuilder o, int i, IdentifyController.PowerState p) {
        o.append(String.format("ps   %4d : mp:", i))
                .append(p.maxPowerScale() != 0 ? watts(p.mp(), 10000) : watts(p.mp(), 100)).append(' ')
                .append(p.nonOperational() ? "non-" : "")
                .append("operational enlat:").append((int) p.enlat()).append(" exlat:").append((int) p.exlat())
                .append(" rrt:").append(p.rrt()).append(" rrl:").append(p.rrl()).append('\n')
                .append("            rwt:").append(p.rwt()).append(" rwl:").append(p.rwl())
                .append(" idle_power:").append(scaledPower(p.idlp(), p.idleScale()))
                .append(" active_power:").append(scaledPower(p.actp(), p.activeScale())).append('\n')
                .append("            active_power_workload:").append(switch (p.activeWorkload()) {
                    case 0 -> "-";
                    case 1 -> "1MiB 32 RW, 30s idle";
                    case 2 -> "80K 128KiB SW";
                    default -> "reserved";
                }).append('\n');
        psdTime(o, "emergency power fail recovery time", p.epfrt(), p.epfrScale());
        psdTime(o, "forced quiescence vault time", p.fqvt(), p.fqvScale());
        psdTime(o, "emergency power fail vault time", p.epfvt(), p.epfvts());
    }

    /** {@code %01u.%04uW} (units of 0.0001 W) or {@code %01u.%02uW} (0.01 W). */
    private static String watts(int power, int perWatt) {
        return String.format(perWatt == 10000 ? "%d.%04dW" : "%d.%02dW", power / perWatt, power % perWatt);
    }

    /** print_ps_power_and_scale: {@code -} when not reported. */
    private static String scaledPower(int power, int scale) {
        return switch (scale & 3) {
            case 0 -> "-";
            case 1 -> watts(power, 10000);
            case 2 -> watts(power, 100);
            default -> "reserved";
        };
    }

    /** print_psd_time: right-aligned under the power state lines. */
    private static void psdTime(StringBuilder o, String desc, int time, int scale) {
        String value = time == 0 ? "-" : time <= 99 ? time + " (unit: " + timeScale(scale) + ")" : "reserved";
        o.append(" ".repeat(12)).append(desc).append(": ").append(value).append('\n');
    }

    private static final String[] TIME_SCALES = {"1 microsecond", "10 microseconds", "100 microseconds",
            "1 millisecond", "10 milliseconds", "100 milliseconds", "1 second", "10 seconds", "100 seconds",
            "1,000 seconds", "10,000 seconds", "100,000 seconds", "1,000,000 seconds"};

    /** nvme_time_scale_to_string. */
    private static String timeScale(int ts) {
        return ts < TIME_SCALES.length ? TIME_SCALES[ts] : "Reserved";
    }

    /** {@code nvme id-ns [-H]} of {@code nsid}. */
    public static String namespace(IdentifyNamespace n, long nsid, boolean human) {
        StringBuilder o = new StringBuilder("NVME Identify Namespace ").append(nsid).append(":\n");
        if (human) {
            ns(o, "nsze", x(n.nsze()) + "\tTotal size in logical blocks");
            ns(o, "ncap", x(n.ncap()) + "\tMaximum size in logical blocks");
            ns(o, "nuse", x(n.nuse()) + "\tCurrent size in logical blocks");
        } else {
            ns(o, "nsze", x(n.nsze()));
            ns(o, "ncap", x(n.ncap()));
            ns(o, "nuse", x(n.nuse()));
        }
        ns(o, "nsfeat", x(n.nsfeat()));
        if (human)
            IdentifyBitFields.nsfeat(o, n.nsfeat());
        ns(o, "nlbaf", n.nlbaf());
        ns(o, "flbas", x(n.flbas()));
        if (human)
            IdentifyBitFields.flbas(o, n.flbas());
        ns(o, "mc", x(n.mc()));
        if (human)
            IdentifyBitFields.mc(o, n.mc());
        ns(o, "dpc", x(n.dpc()));
        if (human)
            IdentifyBitFields.dpc(o, n.dpc());
        ns(o, "dps", x(n.dps()));
        if (human)
            IdentifyBitFields.dps(o, n.dps());
        ns(o, "nmic", x(n.nmic()));
        if (human)
            IdentifyBitFields.nmic(o, n.nmic());
        ns(o, "rescap", x(n.rescap()));
        if (human)
            IdentifyBitFields.rescap(o, n.rescap());
        ns(o, "fpi", x(n.fpi()));
        if (human)
            IdentifyBitFields.fpi(o, n.fpi());
        ns(o, "dlfeat", n.dlfeat());
        if (human)
            IdentifyBitFields.dlfeat(o, n.dlfeat());
        ns(o, "nawun", n.nawun());
        ns(o, "nawupf", n.nawupf());
        ns(o, "nacwu", n.nacwu());
        ns(o, "nabsn", n.nabsn());
        ns(o, "nabo", n.nabo());
        ns(o, "nabspf", n.nabspf());
        ns(o, "noiob", n.noiob());
        ns(o, "nvmcap", n.nvmcap());
        if ((n.nsfeat() & 0x30) != 0) {
            ns(o, "npwg", n.npwg());
            ns(o, "npwa", n.npwa());
            if ((n.nsfeat() & 0x10) != 0)
                ns(o, "npdg", n.npdg());
            ns(o, "npda", n.npda());
            ns(o, "nows", n.nows());
        }
        ns(o, "mssrl", n.mssrl());
        ns(o, "mcl", n.mcl());
        ns(o, "msrc", n.msrc());
        ns(o, "kpios", n.kpios());
        if (human)
            IdentifyBitFields.kpios(o, n.kpios());
        ns(o, "nulbaf", n.nulbaf());
        ns(o, "kpiodaag", n.kpiodaag());
        ns(o, "anagrpid", n.anagrpid());
        o.append("nsattr\t: ").append(n.nsattr()).append('\n');   // 2.16's format has a tab here
        if (human)
            IdentifyBitFields.nsattr(o, n.nsattr());
        ns(o, "nvmsetid", n.nvmsetid());
        ns(o, "endgid", n.endgid());
        ns(o, "nguid", n.nguid());
        ns(o, "eui64", n.eui64());
        int inUse = lbafInUse(n);
        for (int i = 0; i < n.lbafs().size(); i++) {
            IdentifyNamespace.LbaFormat f = n.lbafs().get(i);
            String mark = i == inUse ? "(in use)" : "";
            if (human)
                o.append(String.format("LBA Format %2d : Metadata Size: %-3d bytes - Data Size: %-2d bytes - "
                        + "Relative Performance: %s %s %s\n", i, f.ms(), 1 << f.ds(), x(f.rp()),
                        IdentifyBitFields.relativePerformance(f.rp()), mark));
            else
                o.append(String.format("lbaf %2d : ms:%-3d lbads:%-2d rp:%s %s\n", i, f.ms(), f.ds(), x(f.rp()), mark));
        }
        return o.toString();
    }

    /** {@code %-8s: } and the value, the layout of the id-ns field lines. */
    private static void ns(StringBuilder o, String name, Object value) {
        o.append(String.format("%-8s: ", name)).append(value).append('\n');
    }

    /**
     * lbafInUse - the LBA format nvme-cli marks "in use": 2.16's {@code nvme_id_ns_flbas_to_lbaf_inuse}
     * takes FLBAS bits 6:5 whatever NLBAF, where {@link IdentifyNamespace#lbaFormatIndex()} follows the
     * specification (bits 6:5 only above 16 formats); the text and JSON print nvme-cli's.
     */
    static int lbafInUse(IdentifyNamespace n) {
        return (n.flbas() & 0x60) >>> 1 | n.flbas() & 0xf;
    }

    /**
     * {@code nvme ns-descs} of {@code nsid}; {@code verbose} ({@code -v} in nvme-cli) adds each
     * descriptor's {@code loc} (its byte offset), {@code nidt}, {@code nidl} and {@code type}.
     * Descriptors of unknown types print nothing, as in nvme-cli.
     */
    public static String descriptors(NamespaceIdDescriptors d, long nsid, boolean verbose) {
        StringBuilder o = new StringBuilder("NVME Namespace Identification Descriptors NS ").append(nsid)
                .append(":\n");
        int loc = 0;
        for (NamespaceIdDescriptors.Descriptor x : d.descriptors()) {
            if (verbose) {
                ns(o, "loc", loc);
                ns(o, "nidt", x.nidt());
                ns(o, "nidl", x.nidl());
            }
            if (!(x instanceof NamespaceIdDescriptors.Unknown)) {
                if (verbose)
                    ns(o, "type", x.type());
                ns(o, x.type(), x instanceof NamespaceIdDescriptors.Csi c ? x(c.csi()) : x.value());
            }
            loc += 4 + x.nidl();
        }
        return o.toString();
    }
}

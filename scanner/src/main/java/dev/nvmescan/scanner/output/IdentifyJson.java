package dev.nvmescan.scanner.output;

import dev.nvmescan.nativebindings.identify.IdentifyController;
import dev.nvmescan.nativebindings.identify.IdentifyNamespace;
import dev.nvmescan.nativebindings.identify.IdentifyZonedNamespace;
import dev.nvmescan.nativebindings.identify.NamespaceIdDescriptors;

import java.util.ArrayList;
import java.util.List;

/**
 * Identify structures as nvme-cli 2.16 prints them with {@code -o json} (nvme-print-json.c): the
 * same keys in the same order, numbers as numbers, 128-bit counters as exact integer numbers,
 * strings trimmed, identifiers as lower-case hex. Identify Controller's vendor specific bytes are
 * left out, as nvme-cli's plain {@code id-ctrl} leaves them out; so is {@code dctype}, which 2.16
 * does not print.
 */
public final class IdentifyJson {
    private IdentifyJson() {}

    /** {@code nvme id-ctrl -o json}. */
    public static void controller(JsonWriter w, IdentifyController c) {
        w.beginObject();
        w.field("vid", c.vid()).field("ssvid", c.ssvid()).field("sn", c.sn()).field("mn", c.mn())
                .field("fr", c.fr()).field("rab", c.rab()).field("ieee", c.ieee()).field("cmic", c.cmic())
                .field("mdts", c.mdts()).field("cntlid", c.cntlid()).field("ver", c.ver())
                .field("rtd3r", c.rtd3r()).field("rtd3e", c.rtd3e()).field("oaes", c.oaes())
                .field("ctratt", c.ctratt()).field("rrls", c.rrls()).field("bpcap", c.bpcap())
                .field("nssl", c.nssl()).field("plsi", c.plsi()).field("cntrltype", c.cntrltype())
                .field("fguid", c.fguid().toString()).field("crdt1", c.crdt1()).field("crdt2", c.crdt2())
                .field("crdt3", c.crdt3()).field("crcap", c.crcap()).field("nvmsr", c.nvmsr())
                .field("vwci", c.vwci()).field("mec", c.mec()).field("oacs", c.oacs()).field("acl", c.acl())
                .field("aerl", c.aerl()).field("frmw", c.frmw()).field("lpa", c.lpa()).field("elpe", c.elpe())
                .field("npss", c.npss()).field("avscc", c.avscc()).field("apsta", c.apsta())
                .field("wctemp", c.wctemp()).field("cctemp", c.cctemp()).field("mtfa", c.mtfa())
                .field("hmpre", c.hmpre()).field("hmmin", c.hmmin()).field("tnvmcap", c.tnvmcap())
                .field("unvmcap", c.unvmcap()).field("rpmbs", c.rpmbs()).field("edstt", c.edstt())
                .field("dsto", c.dsto()).field("fwug", c.fwug()).field("kas", c.kas()).field("hctma", c.hctma())
                .field("mntmt", c.mntmt()).field("mxtmt", c.mxtmt()).field("sanicap", c.sanicap())
                .field("hmminds", c.hmminds()).field("hmmaxd", c.hmmaxd()).field("nsetidmax", c.nsetidmax())
                .field("endgidmax", c.endgidmax()).field("anatt", c.anatt()).field("anacap", c.anacap())
                .field("anagrpmax", c.anagrpmax()).field("nanagrpid", c.nanagrpid()).field("pels", c.pels())
                .field("domainid", c.domainid()).field("kpioc", c.kpioc()).field("mptfawr", c.mptfawr())
                .field("megcap", c.megcap()).field("tmpthha", c.tmpthha()).field("cqt", c.cqt()).field("sqes", c.sqes())
                .field("cqes", c.cqes()).field("maxcmd", c.maxcmd()).field("nn", c.nn()).field("oncs", c.oncs())
                .field("fuses", c.fuses()).field("fna", c.fna()).field("vwc", c.vwc()).field("awun", c.awun())
                .field("awupf", c.awupf()).field("icsvscc", c.icsvscc()).field("nwpc", c.nwpc())
                .field("acwu", c.acwu()).field("ocfs", c.ocfs()).field("sgls", c.sgls()).field("mnan", c.mnan())
                .field("maxdna", c.maxdna()).field("maxcna", c.maxcna()).field("oaqd", c.oaqd())
                .field("rhiri", c.rhiri()).field("hirt", c.hirt()).field("cmmrtd", c.cmmrtd())
                .field("nmmrtd", c.nmmrtd()).field("minmrtg", c.minmrtg()).field("maxmrtg", c.maxmrtg())
                .field("trattr", c.trattr()).field("mcudmq", c.mcudmq()).field("mnsudmq", c.mnsudmq())
                .field("mcmr", c.mcmr()).field("nmcmr", c.nmcmr()).field("mcdqpc", c.mcdqpc());
        if (!c.subnqn().isEmpty())
            w.field("subnqn", c.subnqn());
        w.field("ioccsz", c.ioccsz()).field("iorcsz", c.iorcsz()).field("icdoff", c.icdoff())
                .field("fcatt", c.fcatt()).field("msdbd", c.msdbd()).field("ofcs", c.ofcs());
        w.name("psds").beginArray();
        for (IdentifyController.PowerState p : c.psds()) {
            w.beginObject().field("max_power", p.mp()).field("max_power_scale", p.maxPowerScale())
                    .field("non-operational_state", p.nonOperational() ? 1 : 0)
                    .field("entry_lat", p.enlat()).field("exit_lat", p.exlat())
                    .field("read_tput", p.rrt()).field("read_lat", p.rrl())
                    .field("write_tput", p.rwt()).field("write_lat", p.rwl())
                    .field("idle_power", p.idlp()).field("idle_scale", p.idleScale())
                    .field("active_power", p.actp()).field("active_power_work", p.activeWorkload())
                    .field("active_scale", p.activeScale())
                    .field("emerg_power_fail_recover_time", p.epfrt())
                    .field("emerg_power_fail_recover_scale", p.epfrScale())
                    .field("force_quiesce_vault_time", p.fqvt())
                    .field("force_quiesce_vault_scale", p.fqvScale())
                    .field("emerg_power_fail_vault_time", p.epfvt())
                    .field("emerg_power_fail_vault_scale", p.epfvts()).endObject();
        }
        w.endArray().endObject();
    }

    /**
     * {@code nvme id-ns -o json}: the keys nvme-cli prints, npwg..nows only when NSFEAT announces them;
     * {@code in_use} marks the format FLBAS bits 6:5 and 3:0 select, as nvme-cli reads them whatever
     * {@code nlbaf}; {@code vs} is the vendor specific area up to its first NUL, in lines of 16 chars.
     */
    public static void namespace(JsonWriter w, IdentifyNamespace n) {
        namespace(w, n, false);
    }

    /**
     * {@code nvme id-ns -o json}, with {@code -H} when {@code human}: each {@code lbafs} entry is
     * then 2.16's verbose one, {@code LBA Format}, {@code Metadata Size}, {@code Data Size},
     * {@code Relative Performance} and {@code in use}; the other keys are the same.
     */
    public static void namespace(JsonWriter w, IdentifyNamespace n, boolean human) {
        w.beginObject();
        w.name("nsze").unsigned(n.nsze()).name("ncap").unsigned(n.ncap()).name("nuse").unsigned(n.nuse());
        w.field("nsfeat", n.nsfeat()).field("nlbaf", n.nlbaf()).field("flbas", n.flbas()).field("mc", n.mc())
                .field("dpc", n.dpc()).field("dps", n.dps()).field("nmic", n.nmic()).field("rescap", n.rescap())
                .field("fpi", n.fpi()).field("dlfeat", n.dlfeat()).field("nawun", n.nawun())
                .field("nawupf", n.nawupf()).field("nacwu", n.nacwu()).field("nabsn", n.nabsn())
                .field("nabo", n.nabo()).field("nabspf", n.nabspf()).field("noiob", n.noiob())
                .field("nvmcap", n.nvmcap());
        if ((n.nsfeat() & 0x30) != 0) {
            w.field("npwg", n.npwg()).field("npwa", n.npwa());
            if ((n.nsfeat() & 0x10) != 0)
                w.field("npdg", n.npdg());
            w.field("npda", n.npda()).field("nows", n.nows());
        }
        w.field("mssrl", n.mssrl()).field("mcl", n.mcl()).field("msrc", n.msrc()).field("kpios", n.kpios())
                .field("nulbaf", n.nulbaf()).field("kpiodaag", n.kpiodaag()).field("anagrpid", n.anagrpid())
                .field("nsattr", n.nsattr()).field("nvmsetid", n.nvmsetid()).field("endgid", n.endgid())
                .field("nguid", n.nguid()).field("eui64", n.eui64());
        w.name("lbafs").beginArray();
        int inUse = IdentifyText.lbafInUse(n);
        for (int i = 0; i <= n.nlbaf(); i++) {
            IdentifyNamespace.LbaFormat f = n.lbafs().get(i);
            if (human)
                w.beginObject().field("LBA Format", i).field("Metadata Size", f.ms() + " bytes")
                        .field("Data Size", (1 << f.ds()) + " bytes")
                        .field("Relative Performance", "0x" + Integer.toHexString(f.rp()) + " "
                                + IdentifyBitFields.relativePerformance(f.rp()))
                        .field("in use", i == inUse ? "yes" : "no").endObject();
            else
                w.beginObject().field("lbaf", i).field("ms", f.ms()).field("ds", f.ds()).field("rp", f.rp())
                        .field("in_use", i == inUse ? 1 : 0).endObject();
        }
        w.endArray();
        w.name("vs").beginArray();
        for (String line : vendorSpecificLines(n.vs()))
            w.value(line);
        w.endArray().endObject();
    }

    /**
     * nvme-cli's {@code d_json}: {@code vs} in lines of 16 chars, each byte outside {@code !..~}
     * shown as {@code .}.
     */
    static List<String> vendorSpecificLines(String vs) {
        StringBuilder b = new StringBuilder(vs.length());
        for (int i = 0; i < vs.length(); i++) {
            char c = vs.charAt(i);
            b.append(c >= '!' && c <= '~' ? c : '.');
        }
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < b.length(); i += 16)
            lines.add(b.substring(i, Math.min(b.length(), i + 16)));
        return lines;
    }

    /** {@code nvme list-ns -o json}, over every page of the list. */
    public static void namespaceList(JsonWriter w, List<Integer> nsids) {
        w.beginObject().name("nsid_list").beginArray();
        for (int nsid : nsids)
            w.beginObject().name("nsid").unsigned(Integer.toUnsignedLong(nsid)).endObject();
        w.endArray().endObject();
    }

    /** {@code nvme ns-descs -o json}: {@code {"ns-descs":[...]}}, or {@code {}} with no known descriptor. */
    public static void descriptors(JsonWriter w, NamespaceIdDescriptors d) {
        w.beginObject();
        if (d.descriptors().stream().anyMatch(x -> !(x instanceof NamespaceIdDescriptors.Unknown))) {
            w.name("ns-descs");
            descriptorArray(w, d);
        }
        w.endObject();
    }

    /** The descriptors as nvme-cli's array: {@code loc} is the byte offset; unknown types are skipped. */
    static void descriptorArray(JsonWriter w, NamespaceIdDescriptors d) {
        w.beginArray();
        int loc = 0;
        for (NamespaceIdDescriptors.Descriptor x : d.descriptors()) {
            if (!(x instanceof NamespaceIdDescriptors.Unknown)) {
                String value = x instanceof NamespaceIdDescriptors.Csi c
                        ? (c.csi() == 0 ? "0" : "0x" + Integer.toHexString(c.csi())) : x.value();
                w.beginObject().field("loc", loc).field("nidt", x.nidt()).field("nidl", x.nidl())
                        .field("Type", x.type()).field(x.type(), value).endObject();
            }
            loc += 4 + x.nidl();
        }
        w.endArray();
    }

    /** {@code nvme zns id-ns -o json}. */
    static void zoned(JsonWriter w, IdentifyZonedNamespace z) {
        w.beginObject().field("zoc", z.zoc()).field("ozcs", z.ozcs()).field("mar", z.mar()).field("mor", z.mor())
                .field("rrl", z.rrl()).field("frl", z.frl()).field("rrl1", z.rrl1()).field("rrl2", z.rrl2())
                .field("rrl3", z.rrl3()).field("frl1", z.frl1()).field("frl2", z.frl2()).field("frl3", z.frl3())
                .field("numzrwa", z.numzrwa()).field("zrwafg", z.zrwafg()).field("zrwasz", z.zrwasz())
                .field("zrwacap", z.zrwacap());
        w.name("lbafe").beginArray();
        for (IdentifyZonedNamespace.ZoneFormat f : z.lbafe())
            w.beginObject().name("zsze").unsigned(f.zsze()).field("zdes", f.zdes()).endObject();
        w.endArray().endObject();
    }
}

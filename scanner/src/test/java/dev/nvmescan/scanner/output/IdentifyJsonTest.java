package dev.nvmescan.scanner.output;

import static org.junit.jupiter.api.Assertions.*;

import dev.nvmescan.nativebindings.identify.IdentifyController;
import dev.nvmescan.nativebindings.identify.IdentifyNamespace;
import dev.nvmescan.nativebindings.identify.NamespaceIdDescriptors;
import dev.nvmescan.scanner.cli.MiniJson;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;

/**
 * The Identify documents against nvme-cli 2.16's nvme-print-json.c: every key, in its order, with
 * its JSON type.
 */
class IdentifyJsonTest {
    /** json_nvme_id_ctrl's keys in v2.16, in order ({@code subnqn} only when the controller has one). */
    static final List<String> ID_CTRL = List.of("vid", "ssvid", "sn", "mn", "fr", "rab", "ieee", "cmic", "mdts",
            "cntlid", "ver", "rtd3r", "rtd3e", "oaes", "ctratt", "rrls", "bpcap", "nssl", "plsi", "cntrltype",
            "fguid", "crdt1", "crdt2", "crdt3", "crcap", "nvmsr", "vwci", "mec", "oacs", "acl", "aerl", "frmw",
            "lpa", "elpe", "npss", "avscc", "apsta", "wctemp", "cctemp", "mtfa", "hmpre", "hmmin", "tnvmcap",
            "unvmcap", "rpmbs", "edstt", "dsto", "fwug", "kas", "hctma", "mntmt", "mxtmt", "sanicap", "hmminds",
            "hmmaxd", "nsetidmax", "endgidmax", "anatt", "anacap", "anagrpmax", "nanagrpid", "pels", "domainid",
            "kpioc", "mptfawr", "megcap", "tmpthha", "cqt", "sqes", "cqes", "maxcmd", "nn", "oncs", "fuses",
            "fna", "vwc", "awun", "awupf", "icsvscc", "nwpc", "acwu", "ocfs", "sgls", "mnan", "maxdna", "maxcna",
            "oaqd", "rhiri", "hirt", "cmmrtd", "nmmrtd", "minmrtg", "maxmrtg", "trattr", "mcudmq", "mnsudmq",
            "mcmr", "nmcmr", "mcdqpc", "subnqn", "ioccsz", "iorcsz", "icdoff", "fcatt", "msdbd", "ofcs", "psds");
    /** A power state's keys in v2.16's json_nvme_id_ctrl. */
    static final List<String> PSD = List.of("max_power", "max_power_scale", "non-operational_state", "entry_lat",
            "exit_lat", "read_tput", "read_lat", "write_tput", "write_lat", "idle_power", "idle_scale",
            "active_power", "active_power_work", "active_scale", "emerg_power_fail_recover_time",
            "emerg_power_fail_recover_scale", "force_quiesce_vault_time", "force_quiesce_vault_scale",
            "emerg_power_fail_vault_time", "emerg_power_fail_vault_scale");
    /** json_nvme_id_ns's keys in v2.16, with NSFEAT bit 4 set (npwg to nows printed). */
    static final List<String> ID_NS = List.of("nsze", "ncap", "nuse", "nsfeat", "nlbaf", "flbas", "mc", "dpc", "dps",
            "nmic", "rescap", "fpi", "dlfeat", "nawun", "nawupf", "nacwu", "nabsn", "nabo", "nabspf", "noiob",
            "nvmcap", "npwg", "npwa", "npdg", "npda", "nows", "mssrl", "mcl", "msrc", "kpios", "nulbaf",
            "kpiodaag", "anagrpid", "nsattr", "nvmsetid", "endgid", "nguid", "eui64", "lbafs", "vs");
    /** 2^65 + 12345: no 64-bit or double value holds it, so only an exact writer prints it. */
    private static final BigInteger ABOVE_64_BITS = BigInteger.ONE.shiftLeft(65).add(BigInteger.valueOf(12345));

    private static Map<String, Object> json(Consumer<JsonWriter> body) {
        StringBuilder out = new StringBuilder();
        body.accept(new JsonWriter(out, JsonWriter.Style.PRETTY));
        return MiniJson.object(out.toString());
    }

    private static void le(byte[] b, int off, long v, int bytes) {
        for (int i = 0; i < bytes; i++)
            b[off + i] = (byte) (v >>> (8 * i));
    }

    private static void le128(byte[] b, int off, BigInteger v) {
        byte[] be = v.toByteArray();
        for (int i = 0; i < be.length && i < 16; i++)
            b[off + i] = be[be.length - 1 - i];
    }

    private static IdentifyController controller() {
        byte[] b = new byte[4096];
        le(b, 0, 0x1b36, 2);
        b[263] = 1;                                             // npss: two power states
        le128(b, 280, ABOVE_64_BITS);                           // tnvmcap
        le128(b, 296, BigInteger.ONE.shiftLeft(64));            // unvmcap
        le128(b, 544, BigInteger.ONE.shiftLeft(127));           // maxdna
        le(b, 564, 0xfffffffeL, 4);                             // oaqd
        b[576] = 3;                                             // trattr
        le(b, 586, 0xbeef, 2);                                  // mcdqpc
        byte[] nqn = "nqn.2019-08.org.qemu:deadbeef".getBytes(StandardCharsets.UTF_8);
        System.arraycopy(nqn, 0, b, 768, nqn.length);
        b[1806] = 1;                                            // dctype: decoded, not printed by 2.16
        int ps1 = 2048 + 32;
        b[ps1 + 3] = 3;                                         // mxps, nops
        b[ps1 + 18] = (byte) 0x80;                              // ips: scale 2
        b[ps1 + 22] = (byte) 0x42;                              // apws: scale 1, workload 2
        b[ps1 + 23] = 7;                                        // epfrt
        b[ps1 + 24] = 8;                                        // fqvt
        b[ps1 + 25] = 9;                                        // epfvt
        b[ps1 + 26] = (byte) 0x52;                              // fqv scale 5, epfr scale 2
        b[ps1 + 27] = 3;                                        // epfv scale
        return IdentifyController.decode(b);
    }

    @Test
    void idCtrlHasNvmeCli216sKeysInOrderAndTypes() {
        Map<String, Object> c = json(w -> IdentifyJson.controller(w, controller()));
        assertEquals(ID_CTRL, List.copyOf(c.keySet()));
        for (String k : ID_CTRL) {
            Class<?> type = switch (k) {
                case "sn", "mn", "fr", "fguid", "subnqn" -> String.class;
                case "psds" -> List.class;
                default -> BigDecimal.class;
            };
            assertInstanceOf(type, c.get(k), k);
        }
        assertEquals(new BigDecimal(ABOVE_64_BITS), c.get("tnvmcap"), "every digit of a 128-bit number");
        assertEquals(new BigDecimal(BigInteger.ONE.shiftLeft(64)), c.get("unvmcap"));
        assertEquals(new BigDecimal(BigInteger.ONE.shiftLeft(127)), c.get("maxdna"));
        assertEquals(new BigDecimal(0xfffffffeL), c.get("oaqd"));
        assertEquals(new BigDecimal(3), c.get("trattr"));
        assertEquals(new BigDecimal(0xbeef), c.get("mcdqpc"));

        @SuppressWarnings("unchecked")
        List<Map<String, Object>> psds = (List<Map<String, Object>>) c.get("psds");
        assertEquals(2, psds.size());
        for (Map<String, Object> p : psds) {
            assertEquals(PSD, List.copyOf(p.keySet()));
            p.values().forEach(v -> assertInstanceOf(BigDecimal.class, v));
        }
        Map<String, Object> p = psds.get(1);
        assertEquals(List.of(1, 1, 2, 2, 1, 7, 2, 8, 5, 9, 3), List.of("max_power_scale", "non-operational_state",
                "idle_scale", "active_power_work", "active_scale", "emerg_power_fail_recover_time",
                "emerg_power_fail_recover_scale", "force_quiesce_vault_time", "force_quiesce_vault_scale",
                "emerg_power_fail_vault_time", "emerg_power_fail_vault_scale").stream()
                .map(k -> ((BigDecimal) p.get(k)).intValueExact()).toList());
    }

    @Test
    void idCtrlWithoutSubnqnLeavesItOut() {
        IdentifyController c = controller();
        byte[] b = c.encode();
        java.util.Arrays.fill(b, 768, 1024, (byte) 0);
        Map<String, Object> doc = json(w -> IdentifyJson.controller(w, IdentifyController.decode(b)));
        assertEquals(ID_CTRL.stream().filter(k -> !k.equals("subnqn")).toList(), List.copyOf(doc.keySet()));
    }

    private static IdentifyNamespace namespace(int nsfeat, int nlbaf, int flbas, String vs) {
        byte[] b = new byte[4096];
        b[24] = (byte) nsfeat;
        b[25] = (byte) nlbaf;
        b[26] = (byte) flbas;
        le128(b, 48, ABOVE_64_BITS);                            // nvmcap
        for (int i = 0; i <= nlbaf; i++)
            b[128 + 4 * i + 2] = (byte) (9 + i);                // ds
        byte[] v = vs.getBytes(StandardCharsets.ISO_8859_1);
        System.arraycopy(v, 0, b, 384, v.length);
        return IdentifyNamespace.decode(b);
    }

    @Test
    void idNsHasNvmeCli216sKeysInOrderAndTypes() {
        Map<String, Object> n = json(w -> IdentifyJson.namespace(w, namespace(0x10, 1, 1, "")));
        assertEquals(ID_NS, List.copyOf(n.keySet()));
        for (String k : ID_NS) {
            Class<?> type = switch (k) {
                case "nguid", "eui64" -> String.class;
                case "lbafs", "vs" -> List.class;
                default -> BigDecimal.class;
            };
            assertInstanceOf(type, n.get(k), k);
        }
        assertEquals(new BigDecimal(ABOVE_64_BITS), n.get("nvmcap"), "every digit of a 128-bit number");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> lbafs = (List<Map<String, Object>>) n.get("lbafs");
        assertEquals(List.of(Map.of("lbaf", BigDecimal.ZERO, "ms", BigDecimal.ZERO, "ds", new BigDecimal(9),
                                "rp", BigDecimal.ZERO, "in_use", BigDecimal.ZERO),
                        Map.of("lbaf", BigDecimal.ONE, "ms", BigDecimal.ZERO, "ds", new BigDecimal(10),
                                "rp", BigDecimal.ZERO, "in_use", BigDecimal.ONE)), lbafs);
        assertEquals(List.of("lbaf", "ms", "ds", "rp", "in_use"), List.copyOf(lbafs.getFirst().keySet()));
        assertEquals(List.of(), n.get("vs"), "nvme-cli prints an empty array for an all-zero area");
    }

    @Test
    void idNsWithoutPreferredGranularitiesLeavesThemOut() {
        Map<String, Object> n = json(w -> IdentifyJson.namespace(w, namespace(0, 0, 0, "")));
        assertEquals(ID_NS.stream().filter(k -> !List.of("npwg", "npwa", "npdg", "npda", "nows").contains(k)).toList(),
                List.copyOf(n.keySet()));
    }

    /** nvme-cli reads FLBAS bits 6:5 as the upper bits of the index whatever nlbaf. */
    @Test
    void inUseFollowsNvmeClisReadingOfFlbas() {
        assertEquals(List.of(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1), inUse(namespace(0, 17, 0x21, "")));
        // Below 17 formats the decoder ignores bits 6:5 (format 1 in use); nvme-cli marks none.
        assertEquals(1, namespace(0, 2, 0x21, "").lbaFormatIndex());
        assertEquals(List.of(0, 0, 0), inUse(namespace(0, 2, 0x21, "")));
    }

    @SuppressWarnings("unchecked")
    private static List<Integer> inUse(IdentifyNamespace ns) {
        Map<String, Object> n = json(w -> IdentifyJson.namespace(w, ns));
        return ((List<Map<String, Object>>) n.get("lbafs")).stream()
                .map(f -> ((BigDecimal) f.get("in_use")).intValueExact()).toList();
    }

    /** d_json: 16 chars a line, bytes outside '!'..'~' as '.', up to the first NUL. */
    @Test
    void vendorSpecificLinesAsNvmeCliDumpsThem() {
        Map<String, Object> n = json(w -> IdentifyJson.namespace(w, namespace(0, 0, 0, "QEMU vendor area\u00e9~tail")));
        assertEquals(List.of("QEMU.vendor.area", ".~tail"), n.get("vs"));
        assertEquals(List.of("0123456789abcdef"), IdentifyJson.vendorSpecificLines("0123456789abcdef"));
    }

    @Test
    void nsDescsAndListNsAsNvmeCli216() {
        Map<String, Object> d = json(w -> IdentifyJson.descriptors(w, new NamespaceIdDescriptors(List.of(
                new NamespaceIdDescriptors.Eui64("acde480000000001"), new NamespaceIdDescriptors.Csi(0)))));
        assertEquals(List.of(Map.of("loc", BigDecimal.ZERO, "nidt", BigDecimal.ONE, "nidl", new BigDecimal(8),
                        "Type", "eui64", "eui64", "acde480000000001"),
                Map.of("loc", new BigDecimal(12), "nidt", new BigDecimal(4), "nidl", BigDecimal.ONE,
                        "Type", "csi", "csi", "0")), d.get("ns-descs"));
        Map<String, Object> l = json(w -> IdentifyJson.namespaceList(w, List.of(1, -1)));
        assertEquals(Map.of("nsid_list", List.of(Map.of("nsid", BigDecimal.ONE),
                Map.of("nsid", new BigDecimal(4294967295L)))), l);
    }
}

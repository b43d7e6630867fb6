package dev.nvmescan.vmtests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The comparison the VM checks rely on; runs without a guest. */
class JsonDiffTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode tree(String json) throws Exception {
        return JSON.readTree(json);
    }

    private static List<String> diff(String reference, String ours) throws Exception {
        return JsonDiff.diff(tree(reference), tree(ours));
    }

    private static List<String> diff23(String oracle, String ours) throws Exception {
        return JsonDiff.diff(tree(oracle), tree(ours), NvmeCliQuirks.V2_3);
    }

    @Test
    void equalDocumentsAndTrimmedStringsHaveNoDifference() throws Exception {
        assertEquals(List.of(), diff("{\"sn\":\"ABC   \",\"nn\":256,\"lbafs\":[{\"ds\":9}]}",
                "{\"sn\":\"ABC\",\"nn\":256,\"lbafs\":[{\"ds\":9}]}"));
    }

    @Test
    void everyKindOfDifferenceIsReported() throws Exception {
        assertEquals(List.of(".nn: nvme-cli 256, nvmescan 255",
                        ".lbafs: nvme-cli has 2 elements, nvmescan 1",
                        ".lbafs[0].ds: nvme-cli 9, nvmescan 12",
                        ".ver: missing in nvmescan (nvme-cli 66048)",
                        ".mn: nvme-cli 7 (NUMBER), nvmescan \"7\" (STRING)",
                        ".extra: not printed by nvme-cli (nvmescan 1)"),
                diff("{\"nn\":256,\"lbafs\":[{\"ds\":9},{\"ds\":12}],\"ver\":66048,\"mn\":7}",
                        "{\"nn\":255,\"lbafs\":[{\"ds\":12}],\"mn\":\"7\",\"extra\":1}"));
    }

    /** nvme-cli 2.16 prints 128-bit counters as numbers: compared exactly, and a string is a difference. */
    @Test
    void theReferencesBigNumbersCompareExactlyAndByType() throws Exception {
        String big = "{\"psds\":[],\"tnvmcap\":36893488147419115545}";
        assertEquals(List.of(), diff(big, "{\"psds\":[],\"tnvmcap\":36893488147419115545}"));
        assertEquals(List.of(".tnvmcap: nvme-cli 36893488147419115545, nvmescan 36893488147419115544"),
                diff(big, "{\"psds\":[],\"tnvmcap\":36893488147419115544}"));
        assertEquals(List.of(".tnvmcap: nvme-cli 36893488147419115545 (NUMBER), nvmescan \"36893488147419115545\" (STRING)"),
                diff(big, "{\"psds\":[],\"tnvmcap\":\"36893488147419115545\"}"));
    }

    @Test
    void theReferenceHasNoQuirks() throws Exception {
        assertEquals(List.of(".kpioc: not printed by nvme-cli (nvmescan 0)"), diff("{\"psds\":[]}", "{\"psds\":[],\"kpioc\":0}"));
        assertEquals(List.of(".psds[0].max_power_scale: not printed by nvme-cli (nvmescan 0)"),
                diff("{\"psds\":[{\"flags\":0}]}", "{\"psds\":[{\"flags\":0,\"max_power_scale\":0}]}"));
    }

    @Test
    void keyOrderIsComparedWhereAsked() throws Exception {
        String ref = "{\"a\":1,\"b\":2,\"l\":[{\"x\":1,\"y\":2}]}";
        assertEquals(List.of(), JsonDiff.diffInOrder(tree(ref), tree(ref)));
        assertEquals(List.of(), diff(ref, "{\"b\":2,\"a\":1,\"l\":[{\"y\":2,\"x\":1}]}"));
        assertEquals(List.of(".l[0]: key order: nvme-cli [x, y], nvmescan [y, x]", ".: key order: nvme-cli [a, b, l], nvmescan [b, a, l]"),
                JsonDiff.diffInOrder(tree(ref), tree("{\"b\":2,\"a\":1,\"l\":[{\"y\":2,\"x\":1}]}")));
        // A missing key is reported once, not again as an order difference.
        assertEquals(List.of(".a: missing in nvmescan (nvme-cli 1)"), JsonDiff.diffInOrder(tree(ref), tree("{\"b\":2,\"l\":[{\"x\":1,\"y\":2}]}")));
    }

    @Test
    void nvmeCli23sRenamedKeysAndStringsAreMappedNotIgnored() throws Exception {
        String old = "{\"ns-descs\":[{\"loc\":4,\"type\":\"eui64\",\"eui64\":\"5254000000000001\"}]}";
        assertEquals(List.of(), diff23(old, "{\"ns-descs\":[{\"loc\":4,\"Type\":\"eui64\",\"eui64\":\"5254000000000001\"}]}"));
        assertEquals(List.of(".ns-descs[0].Type: nvme-cli \"eui64\", nvmescan \"uuid\""),
                diff23(old, "{\"ns-descs\":[{\"loc\":4,\"Type\":\"uuid\",\"eui64\":\"5254000000000001\"}]}"));

        String psd = "{\"psds\":[{\"max_power\":25,\"flags\":3}]}";
        assertEquals(List.of(), diff23(psd, "{\"psds\":[{\"max_power\":25,\"max_power_scale\":1,\"non-operational_state\":1}]}"));
        assertEquals(List.of(".psds[0].non-operational_state: nvme-cli 1, nvmescan 0"),
                diff23(psd, "{\"psds\":[{\"max_power\":25,\"max_power_scale\":1,\"non-operational_state\":0}]}"));

        String caps = "{\"psds\":[],\"tnvmcap\":\"36893488147419115545\",\"unvmcap\":\"0\"}";
        assertEquals(List.of(), diff23(caps, "{\"psds\":[],\"tnvmcap\":36893488147419115545,\"unvmcap\":0}"));
        assertEquals(List.of(".tnvmcap: nvme-cli 36893488147419115545, nvmescan 36893488147419115544"),
                diff23(caps, "{\"psds\":[],\"tnvmcap\":36893488147419115544,\"unvmcap\":0}"));
        assertEquals(List.of(), diff23("{\"lbafs\":[],\"nvmcap\":\"512\"}", "{\"lbafs\":[],\"nvmcap\":512}"));
    }

    @Test
    void onlyTheKeysNvmeCli23LacksAreLeftOut() throws Exception {
        assertEquals(List.of(), diff23("{\"psds\":[{\"flags\":0}],\"nn\":1}",
                "{\"psds\":[{\"max_power_scale\":0,\"non-operational_state\":0,\"force_quiesce_vault_time\":0}],"
                        + "\"nn\":1,\"crcap\":0,\"kpioc\":0,\"mcdqpc\":0}"));
        assertEquals(List.of(), diff23("{\"lbafs\":[{\"ms\":0}],\"nsze\":1}",
                "{\"lbafs\":[{\"lbaf\":0,\"ms\":0,\"in_use\":1}],\"nsze\":1,\"kpios\":0,\"vs\":[]}"));
        // Where the old release prints a key it has its say; keys outside the lists are always compared,
        // and each list holds only for its kind of document.
        assertEquals(List.of(".crcap: nvme-cli 1, nvmescan 0"), diff23("{\"psds\":[],\"crcap\":1}", "{\"psds\":[],\"crcap\":0}"));
        assertEquals(List.of(".kpios: not printed by nvme-cli (nvmescan 0)"), diff23("{\"psds\":[]}", "{\"psds\":[],\"kpios\":0}"));
        assertEquals(List.of(".lbafs[0].cqt: not printed by nvme-cli (nvmescan 0)"),
                diff23("{\"lbafs\":[{}]}", "{\"lbafs\":[{\"cqt\":0}]}"));
        assertEquals(List.of(".dctype: not printed by nvme-cli (nvmescan 0)"), diff23("{\"psds\":[]}", "{\"psds\":[],\"dctype\":0}"));
    }

    @Test
    void quirksAreChosenByTheReleaseNvmeVersionNames() {
        assertEquals("2.3", NvmeCliQuirks.of("nvme version 2.3 (git 2.3)\nlibnvme version 1.3 (git 1.3)\n").release());
        assertThrows(AssertionError.class, () -> NvmeCliQuirks.of("nvme version 2.13 (git 2.13)"));
    }
}

package dev.nvmescan.vmtests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The comparison the VM checks rely on; runs without a guest. */
class JsonDiffTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static List<String> diff(String oracle, String ours) throws Exception {
        JsonNode a = JSON.readTree(oracle), b = JSON.readTree(ours);
        return JsonDiff.diff(a, b);
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

    @Test
    void anOlderOraclesRenamedKeysAreMappedNotIgnored() throws Exception {
        String old = "{\"ns-descs\":[{\"loc\":4,\"type\":\"eui64\",\"eui64\":\"5254000000000001\"}]}";
        assertEquals(List.of(), diff(old, "{\"ns-descs\":[{\"loc\":4,\"Type\":\"eui64\",\"eui64\":\"5254000000000001\"}]}"));
        assertEquals(List.of(".ns-descs[0].Type: nvme-cli \"eui64\", nvmescan \"uuid\""),
                diff(old, "{\"ns-descs\":[{\"loc\":4,\"Type\":\"uuid\",\"eui64\":\"5254000000000001\"}]}"));

        String psd = "{\"psds\":[{\"max_power\":25,\"flags\":3}]}";
        assertEquals(List.of(), diff(psd, "{\"psds\":[{\"max_power\":25,\"max_power_scale\":1,\"non-operational_state\":1}]}"));
        assertEquals(List.of(".psds[0].non-operational_state: nvme-cli 1, nvmescan 0"),
                diff(psd, "{\"psds\":[{\"max_power\":25,\"max_power_scale\":1,\"non-operational_state\":0}]}"));
    }

    @Test
    void onlyTheListedNewerFieldsAreLeftToNewerOracles() throws Exception {
        assertEquals(List.of(), diff("{\"psds\":[],\"nn\":1}", "{\"psds\":[],\"nn\":1,\"crcap\":0,\"dctype\":0}"));
        assertEquals(List.of(), diff("{\"lbafs\":[],\"nsze\":1}", "{\"lbafs\":[],\"nsze\":1,\"kpios\":0}"));
        // A newer oracle that prints them has its say; fields outside the list are always compared.
        assertEquals(List.of(".crcap: nvme-cli 1, nvmescan 0"), diff("{\"psds\":[],\"crcap\":1}", "{\"psds\":[],\"crcap\":0}"));
        assertEquals(List.of(".kpios: not printed by nvme-cli (nvmescan 0)"), diff("{\"psds\":[]}", "{\"psds\":[],\"kpios\":0}"));
    }
}

package dev.nvmescan.vmtests;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** QEMU's emulated PCIe controller: sparse NSIDs 1..256, 512/4096-byte blocks, metadata, a zoned namespace. */
class PcieControllerTest extends NvmeStackChecks {
    private static Guest guest;

    @BeforeAll
    static void boot() throws Exception {
        guest = Guest.boot("pcie", "checks.sh", List.of("--timeout", "900"));
    }

    @Override
    Guest guest() {
        return guest;
    }

    @Test
    void theConfiguredNamespacesAreThere() throws Exception {
        assertEquals(List.of(1L, 2L, 7L, 100L, 200L, 256L), guest.nsids());
    }

    @Test
    void scanReportsFormatsMetadataAndTheZonedNamespace() throws Exception {
        JsonNode ns = guest.json("scan-uring.out").get("namespaces");
        assertEquals(512, ns.get(0).get("lba_data_size").asInt());
        assertEquals(4096, ns.get(1).get("lba_data_size").asInt());
        assertEquals(8, ns.get(2).get("metadata_size").asInt());
        assertEquals(2, ns.get(3).get("csi").asInt(), "NSID 100 is zoned");
        assertEquals("5254000000000064", ns.get(3).get("eui64").asText());
    }
}

package dev.nvmescan.vmtests;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The older kernels get the short round (the newest gets every check, in {@link NvmeStackChecks}):
 * the PCIe controller boots, an ordered io_uring scan publishes every namespace in NSID-list order
 * with the kernel's block device names, and Identify Controller equals sid's nvme-cli's (2.16) key
 * for key, and the guest tree's through its quirks.
 */
class KernelSmokeTest {

    @ParameterizedTest(name = "kernel {0}")
    @ValueSource(strings = {"6.1", "6.12"})
    void bootsScansInListOrderAndAnswersIdCtrlAsNvmeCli(String kernel) throws Exception {
        Guest g = Guest.boot("smoke-" + kernel, "pcie", "smoke.sh", List.of("--kernel", kernel, "--timeout", "600"));
        assertTrue(g.kernel().startsWith(kernel + "."), () -> "asked for " + kernel + ", booted " + NvmeStackChecks.text(g, "kernel"));

        assertEquals(0, g.exitCode("scan-uring"), () -> NvmeStackChecks.text(g, "scan-uring.err"));
        JsonNode scan = g.json("scan-uring.out");
        assertEquals("io_uring", scan.get("backend").asText());
        Map<Long, String> kernelNames = new HashMap<>();
        for (String line : g.text("kernel-names").lines().toList())
            kernelNames.put(Long.parseLong(line.split(" ")[0]), line.split(" ")[1]);
        List<Long> published = new ArrayList<>();
        for (JsonNode ns : scan.get("namespaces")) {
            long nsid = ns.get("nsid").asLong();
            published.add(nsid);
            assertEquals("ok", ns.get("status").asText(), ns::toString);
            assertEquals(kernelNames.get(nsid), ns.path("block_device").asText(null), "NSID " + nsid);
        }
        assertEquals(g.nsids(), published);

        assertEquals(0, g.exitCode("id-ctrl"), () -> NvmeStackChecks.text(g, "id-ctrl.err"));
        NvmeStackChecks.assertSameAsNvmeCli(g, "id-ctrl.json", "id-ctrl");
    }
}

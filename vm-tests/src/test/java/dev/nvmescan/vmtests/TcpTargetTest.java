package dev.nvmescan.vmtests;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The kernel's nvmet NVMe/TCP target on loopback, sparse NSIDs, 10 ms of round trip on every command. */
class TcpTargetTest extends NvmeStackChecks {
    private static final String NSIDS = "1-10,20,30,40-47,1000";
    private static Guest guest;

    @BeforeAll
    static void boot() throws Exception {
        guest = Guest.boot("tcp", "checks.sh", List.of("--nsids", NSIDS, "--rtt", "10ms", "--timeout", "900"));
    }

    @Override
    Guest guest() {
        return guest;
    }

    @Test
    void theTargetsSparseNamespacesAreThere() throws Exception {
        List<Long> expected = new ArrayList<>();
        for (long n = 1; n <= 10; n++) expected.add(n);
        expected.addAll(List.of(20L, 30L));
        for (long n = 40; n <= 47; n++) expected.add(n);
        expected.add(1000L);
        assertEquals(expected, guest.nsids());
    }

    @Test
    void theRoundTripIsInFrontOfEveryCommand() throws Exception {
        // An ordered scan needs at least 3 dependent round trips (Identify Controller, the NSID list,
        // then each namespace's Identify): a lower bound that holds only if netem is in effect.
        long elapsed = guest.json("scan-uring.out").get("summary").get("elapsed_ms").asLong();
        assertTrue(elapsed >= 30, "scan took " + elapsed + " ms, less than 3 round trips of 10 ms");
    }
}

package dev.nvmescan.nativebindings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nvmescan.nativebindings.sim.SimulatedController;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The factory on the host, which has no NVMe device: simulated controllers and files that are not NVMe. */
class AdminChannelsTest {

    @Test
    void aSimSpecOpensTheSimulatorInTheBackendsWay() throws Exception {
        AdminChannels.Options o = AdminChannels.Options.defaults();
        try (AdminChannel ch = AdminChannels.open("sim:?namespaces=3", o.withBackend(AdminChannels.Backend.IOCTL))) {
            assertEquals("sim", ch.backend());
            assertTrue(ch.pinsCarrier());
            assertEquals(SimulatedController.Mode.IOCTL, ((SimulatedController) ch).mode());
        }
        try (AdminChannel ch = AdminChannels.open("sim:?namespaces=3&backend=ioctl")) {
            assertTrue(ch.pinsCarrier(), "AUTO keeps the spec's own choice");
        }
        try (AdminChannel ch = AdminChannels.open("sim:?namespaces=3", o.withBackend(AdminChannels.Backend.URING))) {
            assertFalse(ch.pinsCarrier());
        }
        assertTrue(AdminChannels.isSimulated("sim:?namespaces=3"));
        assertFalse(AdminChannels.isSimulated("/dev/nvme0"));
    }

    @Test
    void aMalformedSimSpecIsAUsageError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AdminChannels.open("sim:?namespaces=lots"));
        assertTrue(e.getMessage().contains("namespaces"), e.getMessage());
    }

    @Test
    void aMissingPathFailsWithEnoentWhateverTheBackend() {
        for (AdminChannels.Backend b : AdminChannels.Backend.values()) {
            NativeCallException e = assertThrows(NativeCallException.class, () -> AdminChannels.open(
                    "/dev/nvme-does-not-exist", AdminChannels.Options.defaults().withBackend(b)));
            assertEquals(Errno.ENOENT, e.errno(), b.name());
            assertEquals("open", e.call(), b.name());
        }
    }

    @Test
    void aFileThatIsNotNvmeFailsWithEnottyBeforeAnyBackendTriesIt() {
        for (AdminChannels.Backend b : AdminChannels.Backend.values()) {
            List<String> notices = new ArrayList<>();
            NativeCallException e = assertThrows(NativeCallException.class, () -> AdminChannels.open("/dev/null",
                    AdminChannels.Options.defaults().withBackend(b).withNotice(notices::add)));
            assertEquals(Errno.ENOTTY, e.errno(), b.name());
            assertEquals("probe", e.call(), "refused from its inode and sysfs, not by a system call on it");
            assertEquals(List.of(), notices, "no fallback notice for a file that no backend takes");
        }
    }

    @Test
    void optionsRejectImpossibleValues() {
        AdminChannels.Options o = AdminChannels.Options.defaults();
        assertThrows(IllegalArgumentException.class, () -> o.withQueueDepth(0));
        assertThrows(IllegalArgumentException.class, () -> o.withQueueDepth(4097));
        assertThrows(IllegalArgumentException.class, () -> o.withProbeTimeout(Duration.ofMillis(-1)));
        assertEquals(AdminChannels.DEFAULT_QUEUE_DEPTH, o.queueDepth());
    }
}

package dev.nvmescan.scanner.sysfs;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NvmeTreeTest {
    @TempDir Path tmp;

    static final String PCIE = "nqn.2019-08.org.qemu:pcie", TCP = "nqn.2024-01.io.nvmescan:tcp",
            MP = "nqn.2024-01.io.nvmescan:multipath", DISC = Subsystem.DISCOVERY_NQN;

    /**
     * nvme-subsys0: PCIe nvme0 with NSIDs 1 and 7 (7 named nvme0n1: the kernel's order);
     * nvme-subsys1: nvme1 and nvme3 reach one subsystem over TCP, NSIDs 1 and 2 as heads nvme1n1, nvme1n2
     * (NSID 2 reached only through nvme3); nvme-subsys2: a discovery controller nvme2.
     */
    private FakeSysfs tree() {
        return new FakeSysfs(tmp)
                .subsystem(0, PCIE).controller(0, 0, "pcie", "0000:00:04.0").namespace(0, 1, 7).namespace(0, 2, 1)
                .subsystem(1, MP).controller(1, 1, "tcp", "traddr=127.0.0.1,trsvcid=4420")
                .controller(3, 1, "tcp", "traddr=127.0.0.1,trsvcid=4421").head(1, 1, 1, 1, 3).head(1, 2, 2, 3)
                .subsystem(2, DISC).controller(2, 2, "tcp", "traddr=127.0.0.1,trsvcid=8009")
                .byId("nvme-uuid.x", "nvme0n2");
    }

    @Test
    void subsystemsAreSortedByNqnAndControllersByInstance() {
        FakeSysfs f = tree();
        NvmeTree t = NvmeTree.read(f.sys(), f.dev());
        assertEquals(List.of(DISC, PCIE, MP), t.subsystems().stream().map(Subsystem::nqn).toList());
        assertEquals(List.of("nvme2", "nvme0", "nvme1", "nvme3"), t.controllers().stream().map(Controller::name).toList());
        Subsystem mp = t.subsystems().get(2);
        assertTrue(mp.multipath());
        assertFalse(t.subsystems().get(1).multipath());
        assertTrue(t.subsystems().getFirst().discovery(), "a discovery NQN without subsystype is a discovery subsystem");
        assertEquals(List.of("nvme1n1", "nvme1n2"), mp.heads().stream().map(NamespaceDevice::name).toList());
        assertEquals(List.of("nvme1c1n1", "nvme1c3n1"), mp.heads().getFirst().paths().stream().map(PathDevice::name).toList());
        assertEquals(List.of("nvme3"), mp.heads().get(1).paths().stream().map(PathDevice::controller).toList());
    }

    @Test
    void controllerAttributesAreReadAsLibnvmeReadsThem() {
        FakeSysfs f = tree();
        Controller c = NvmeTree.read(f.sys(), f.dev()).controller("nvme3").orElseThrow();
        assertEquals("SERIAL3", c.serial(), "trailing spaces and newline removed");
        assertEquals("tcp", c.transport());
        assertEquals(Optional.of("traddr=127.0.0.1,trsvcid=4421"), c.address());
        assertEquals("4", c.cntlid());
        assertEquals("nvme-subsys1", c.subsystem());
        assertEquals(3, c.instance());
        assertTrue(c.hostnqn().isPresent());
        assertEquals(List.of("nvme1c3n1", "nvme1c3n2"), c.paths().stream().map(PathDevice::name).toList());
        assertEquals("non-optimized", c.paths().getFirst().anaState());
        assertEquals(List.of(), c.namespaces());
        Controller pcie = NvmeTree.read(f.sys(), f.dev()).controller("nvme0").orElseThrow();
        assertEquals(Optional.empty(), pcie.hostnqn(), "PCIe controllers show no host NQN");
        assertEquals(List.of("nvme0n1", "nvme0n2"), pcie.namespaces().stream().map(NamespaceDevice::name).toList());
    }

    @Test
    void kernelNamesMapNsidsToBlockDevicesAndHeads() {
        FakeSysfs f = tree();
        NvmeTree t = NvmeTree.read(f.sys(), f.dev());
        KernelDevices seven = t.names("nvme0").lookup(7);
        assertEquals(Optional.of(f.dev().resolve("nvme0n1").toString()), seven.block());
        assertEquals(Optional.of(f.dev().resolve("ng0n1").toString()), seven.generic());
        assertEquals(List.of(), seven.paths());
        assertEquals(List.of(f.dev().resolve("disk/by-id/nvme-uuid.x").toString()), t.names("nvme0").lookup(1).byId());
        KernelDevices head = t.names("nvme3").lookup(1);
        assertEquals(Optional.of(f.dev().resolve("nvme1n1").toString()), head.block());
        assertEquals(Optional.of(f.dev().resolve("ng1n1").toString()), head.generic());
        assertEquals(List.of("nvme1c1n1", "nvme1c3n1"), head.paths());
        assertEquals(KernelDevices.NONE, t.names("nvme1").lookup(2), "nvme1 has no path to NSID 2");
        assertEquals(KernelDevices.NONE, t.names("nvme9").lookup(1));
    }

    @Test
    void aDeviceNodeLeadsToItsController() {
        FakeSysfs f = tree();
        NvmeTree t = NvmeTree.read(f.sys(), f.dev());
        assertEquals("nvme0", t.controllerOf("nvme0n2").orElseThrow().name());
        assertEquals("nvme0", t.controllerOf("ng0n1").orElseThrow().name());
        assertEquals("nvme3", t.controllerOf("nvme3").orElseThrow().name());
        assertEquals("nvme3", t.controllerOf("nvme1n2").orElseThrow().name(),
                "head nvme1n2 (subsystem 1) is reached through nvme3, not controller nvme1");
        assertEquals("nvme1", t.controllerOf("ng1n1").orElseThrow().name(), "a head's first path");
        assertEquals(Optional.empty(), t.controllerOf("sda"));
    }

    @Test
    void namespaceAttributesAreReadOnDemand() throws Exception {
        FakeSysfs f = tree();
        NamespaceDevice d = NvmeTree.read(f.sys(), f.dev()).blockDevice("nvme1n1").orElseThrow();
        assertTrue(d.head());
        assertEquals(Optional.of(FakeSysfs.wwid(MP, 1)), d.wwid());
        assertEquals(2097152, d.sizeSectors());
        assertEquals(512, d.logicalBlockSize());
        assertTrue(d.exportsGeometry());
        FakeSysfs.write(d.sysfsDir(), "size", "0");
        assertEquals(0, d.sizeSectors(), "read when asked, not at construction");
    }

    @Test
    void aMissingTreeIsEmpty() {
        NvmeTree t = NvmeTree.read(tmp.resolve("nothing"), tmp.resolve("dev"));
        assertEquals(List.of(), t.controllers());
        assertEquals(KernelDevices.NONE, t.names("nvme0").lookup(1));
    }

    @Test
    void theLocalHostComesFromEtcThenDmi() throws Exception {
        Path etc = tmp.resolve("etc"), sys = tmp.resolve("sys");
        assertEquals(Optional.empty(), Host.local(etc, sys));
        FakeSysfs.write(sys.resolve("class/dmi/id"), "product_uuid", "11111111-2222-3333-4444-555555555555");
        assertEquals(Optional.of(new Host("nqn.2014-08.org.nvmexpress:uuid:11111111-2222-3333-4444-555555555555",
                Optional.of("11111111-2222-3333-4444-555555555555"))), Host.local(etc, sys));
        FakeSysfs.write(etc.resolve("nvme"), "hostnqn", "nqn.2014-08.org.nvmexpress:uuid:aaaa");
        assertEquals(Optional.of(new Host("nqn.2014-08.org.nvmexpress:uuid:aaaa", Optional.of("aaaa"))),
                Host.local(etc, sys), "the host ID is the host NQN's UUID when there is no hostid file");
        FakeSysfs.write(etc.resolve("nvme"), "hostid", "bbbb");
        assertEquals(Optional.of("bbbb"), Host.local(etc, sys).orElseThrow().id());
    }
}

package dev.nvmescan.scanner.naming;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DriftTest {
    @TempDir Path tmp;

    private static Snapshot.Namespace ns(int nsid, long position, long nsze, String nguid, String uuid, String block) {
        return new Snapshot.Namespace("nqn.a", nsid, position, true, nsze, 512, nguid, "0000000000000000", uuid, block);
    }

    @Test
    void everyKindOfChangeIsReportedOnce() {
        Snapshot before = new Snapshot(Set.of("nqn.a"), List.of(ns(1, 1, 100, "aa", null, "/dev/nvme0n1"),
                ns(2, 2, 100, "bb", "u2", "/dev/nvme0n2"), ns(3, 3, 100, "cc", null, "/dev/nvme0n3"),
                ns(5, 4, 100, "ee", null, "/dev/nvme0n4")));
        Snapshot now = new Snapshot(Set.of("nqn.a"), List.of(ns(1, 1, 200, "aa", null, "/dev/nvme0n1"),
                ns(2, 2, 100, "b2", "u3", "/dev/nvme0n2"), ns(5, 3, 100, "ee", null, "/dev/nvme0n3"),
                ns(6, 4, 100, "ff", null, "/dev/nvme0n4"),
                new Snapshot.Namespace("nqn.a", 6, 5, true, 1, 512, "ff", "", null, "/dev/nvme1n4")));
        Drift d = Drift.between(before, now, Set.of("nqn.a"));
        assertEquals(List.of(6), d.added().stream().map(Snapshot.Namespace::nsid).toList(), "once, though seen twice");
        assertEquals(List.of(3), d.removed().stream().map(Snapshot.Namespace::nsid).toList());
        assertEquals(List.of(new Drift.Change("nqn.a", 1, "resized", null, 51200L, 102400L),
                new Drift.Change("nqn.a", 2, "unique_id", "nguid", "bb", "b2"),
                new Drift.Change("nqn.a", 2, "unique_id", "uuid", "u2", "u3"),
                new Drift.Change("nqn.a", 5, "position", null, 4L, 3L)), d.changed());
        assertEquals(List.of(new Drift.Move("nqn.a", 5, "/dev/nvme0n4", "/dev/nvme0n3")), d.moved());
        assertFalse(d.none());
        assertTrue(Drift.between(before, before, Set.of("nqn.a")).none());
        assertTrue(Drift.between(before, now, Set.of("nqn.other")).none(), "only the subsystems compared");
    }

    @Test
    void aNamespaceThatNoLongerIdentifiesIsAStatusChange() {
        Snapshot before = new Snapshot(Set.of("nqn.a"), List.of(ns(1, 1, 100, "aa", null, "/dev/nvme0n1")));
        Snapshot now = new Snapshot(Set.of("nqn.a"), List.of(
                new Snapshot.Namespace("nqn.a", 1, 1, false, 0, 0, null, null, null, "/dev/nvme0n1")));
        assertEquals(List.of(new Drift.Change("nqn.a", 1, "status", null, "ok", "error")),
                Drift.between(before, now, Set.of("nqn.a")).changed());
    }

    @Test
    void aSnapshotIsReadFromEitherScanDocument() {
        String one = """
                {"device": "/dev/nvme0", "kernel": {"controller": "nvme0", "subsysnqn": "nqn.k"},
                 "controller": {"subnqn": "nqn.id"}, "namespaces": [
                  {"position": 1, "nsid": 4, "status": "ok", "nsze": 8, "lba_data_size": 4096, "nguid": "00", "eui64": "01",
                   "uuid": "u", "block_device": "/dev/nvme0n1"},
                  {"position": 2, "nsid": 5, "status": "error", "error": {"kind": "timeout"}}]}""";
        Snapshot s = Snapshot.parse(one);
        assertEquals(Set.of("nqn.k"), s.subsystems(), "sysfs's NQN where the scan had it");
        assertEquals(new Snapshot.Namespace("nqn.k", 4, 1, true, 8, 4096, "00", "01", "u", "/dev/nvme0n1"),
                s.namespaces().getFirst());
        assertEquals(new Snapshot.Namespace("nqn.k", 5, 2, false, 0, 0, null, null, null, null), s.namespaces().get(1));
        Snapshot many = Snapshot.parse("{\"controllers\": [{\"device\": \"x\", \"error\": \"gone\"}, "
                + one.replace("\"kernel\": {\"controller\": \"nvme0\", \"subsysnqn\": \"nqn.k\"},", "") + "]}");
        assertEquals(Set.of("nqn.id"), many.subsystems(), "Identify's NQN without sysfs; a failed controller skipped");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Snapshot.parse("[1]"));
        assertEquals("not a scan -o json document", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Snapshot.parse("{\"controller\": {\"subnqn\": \"q\"}, \"namespaces\": [{\"nsid\": 1}]}"));
        assertTrue(e.getMessage().contains("\"status\""), e.getMessage());
    }

    @Test
    void aliasesAreReadStrictly() throws Exception {
        Path f = tmp.resolve("aliases");
        assertEquals(Optional.empty(), SubsystemAliases.read(f).alias("nqn.a"), "no file, no aliases");
        Files.writeString(f, "# comment\n\nprod   nqn.a  # array 1\nlab nqn.b\n");
        SubsystemAliases a = SubsystemAliases.read(f);
        assertEquals(Optional.of("prod"), a.alias("nqn.a"));
        assertEquals("lab", new StableLinks(tmp, a).key("nqn.b"));
        assertEquals("nqn.c_x_y", new StableLinks(tmp, a).key("nqn.c/x y"), "what udev would not take becomes _");
        Files.writeString(f, "prod nqn.a\nprod nqn.b\n");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SubsystemAliases.read(f)).getMessage()
                .endsWith(":2: given twice: prod nqn.b"));
        Files.writeString(f, "a/b nqn.a\n");
        assertThrows(IllegalArgumentException.class, () -> SubsystemAliases.read(f));
    }
}

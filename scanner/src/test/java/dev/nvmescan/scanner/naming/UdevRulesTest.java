package dev.nvmescan.scanner.naming;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class UdevRulesTest {
    private static ScannedNamespace ns(String nqn, String controller, long position, int nsid, String id) {
        return new ScannedNamespace(nqn, controller, position, nsid, Optional.ofNullable(id), Optional.empty(), null);
    }

    @Test
    void positionsCountInTheFirstControllersListAndEachNamespaceHasOneRule() {
        List<ScannedNamespace> scanned = List.of(ns("nqn.a", "/dev/nvme2", 1, 1, "uuid.1"), ns("nqn.a", "/dev/nvme2", 2, 3, "uuid.3"),
                ns("nqn.a", "/dev/nvme5", 2, 2, "uuid.2"),            // only through the second controller
                ns("nqn.b", "/dev/nvme0", 1, 1, "eui.b1"), ns("nqn.b", "/dev/nvme0", 2, 1, "eui.b1"));
        assertEquals(4, StableLinks.positional(scanned).size());
        List<String> skipped = new ArrayList<>();
        String rules = UdevRules.of(new StableLinks(Path.of("/dev"), SubsystemAliases.none()), scanned, skipped);
        assertEquals(List.of(), skipped);
        assertTrue(rules.contains("ATTR{wwid}==\"uuid.3\", SYMLINK+=\"nvmescan/nqn.a/position/2\"\n"), rules);
        assertFalse(rules.contains("uuid.2"), "no position link from another controller's list");
        assertEquals(1, rules.lines().filter(l -> l.contains("eui.b1")).count(), "one rule per namespace");
        assertTrue(rules.endsWith("LABEL=\"nvmescan_2\"\n\nLABEL=\"nvmescan_end\"\n"), rules);
    }

    @Test
    void whatUdevWouldReadAsAPatternIsLeftOutAndSaid() {
        List<String> skipped = new ArrayList<>();
        String rules = UdevRules.of(new StableLinks(Path.of("/dev"), SubsystemAliases.none()),
                List.of(ns("nqn.a*", "c", 1, 1, "uuid.1"), ns("nqn.b", "c2", 1, 1, null)), skipped);
        assertEquals(List.of("subsystem nqn.a*: its NQN has characters udev reads as a pattern",
                "subsystem nqn.b NSID 1: no unique ID to find it by, no position link"), skipped);
        assertFalse(rules.contains("nqn.a*"), rules);
        assertTrue(rules.contains("ATTR{nsid}==\"?*\", SYMLINK+=\"nvmescan/nqn.b/nsid/$attr{nsid}\""), rules);
    }
}

package dev.nvmescan.scanner.naming;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Static udev rules that create the {@link StableLinks}: keyed on sysfs attributes alone (the
 * subsystem's {@code subsysnqn}, the namespace's {@code nsid} and {@code wwid}), so udev runs no
 * program per event, however many namespaces a boot brings. Only whole-disk block devices users
 * open get links: a controller's {@code nvmeXnY}, or a multipath head {@code nvmeSnZ}, never the
 * hidden path devices {@code nvmeScXnZ}.
 *
 * <p>Per subsystem one rule makes the NSID links of every namespace, present and future, and one
 * rule per namespace its position link, matched by its unique ID. Rules of other subsystems are
 * skipped with one comparison, so an event costs a few comparisons more than its subsystem's
 * namespaces.
 */
public final class UdevRules {
    /** The rules file's name: after systemd's 60-persistent-storage.rules. */
    public static final String FILE = "61-nvmescan.rules";
    /** Characters udev would take as a pattern, or that end a value. */
    private static final Pattern UNSAFE = Pattern.compile("[*?\\[\\]|\"\\\\\\p{Cntrl}]");

    private UdevRules() {}

    /**
     * The rules for {@code scanned}, in subsystem order of first appearance.
     *
     * @param links   the link scheme
     * @param scanned what a host scan found, in controller order
     * @param skipped receives one line for every subsystem or namespace left out (an NQN or unique
     *                ID udev would read as a pattern, a namespace without unique ID)
     * @return the rules file's text
     */
    public static String of(StableLinks links, List<ScannedNamespace> scanned, List<String> skipped) {
        Map<String, List<ScannedNamespace>> bySubsystem = new LinkedHashMap<>();
        for (ScannedNamespace n : StableLinks.positional(scanned))
            bySubsystem.computeIfAbsent(n.subsystem(), k -> new ArrayList<>()).add(n);
        StringBuilder b = new StringBuilder();
        b.append("# Stable links for NVMe namespaces, made by nvmescan udev-rules (do not edit: make them again).\n")
                .append("#   /dev/nvmescan/SUBSYSTEM/nsid/NSID      the namespace with that NSID, also one added later\n")
                .append("#   /dev/nvmescan/SUBSYSTEM/position/P     the namespace at position P of the NSID list when\n")
                .append("#                                          these rules were made, found by its unique ID (wwid)\n")
                .append("# SUBSYSTEM is the subsystem's alias (/etc/nvmescan/aliases) or its NQN. With multipath the\n")
                .append("# links point at the head. After namespaces are added or removed, make the rules again\n")
                .append("# (nvmescan udev-rules --install); nvmescan diff tells.\n\n")
                .append("ACTION==\"remove\", GOTO=\"nvmescan_end\"\n")
                .append("SUBSYSTEM!=\"block\", GOTO=\"nvmescan_end\"\n")
                .append("ENV{DEVTYPE}!=\"disk\", GOTO=\"nvmescan_end\"\n")
                .append("KERNEL!=\"nvme*n*\", GOTO=\"nvmescan_end\"\n")
                .append("# the hidden path devices of a multipath head\n")
                .append("KERNEL==\"nvme*c*n*\", GOTO=\"nvmescan_end\"\n")
                .append("ATTRS{subsysnqn}==\"?*\", ENV{NVMESCAN_SUBSYSNQN}=\"$attr{subsysnqn}\"\n");
        int label = 0;
        for (Map.Entry<String, List<ScannedNamespace>> s : bySubsystem.entrySet()) {
            String nqn = s.getKey();
            if (UNSAFE.matcher(nqn).find()) {
                skipped.add("subsystem " + nqn + ": its NQN has characters udev reads as a pattern");
                continue;
            }
            String end = "nvmescan_" + ++label;
            b.append("\n# subsystem ").append(nqn).append('\n')
                    .append("ENV{NVMESCAN_SUBSYSNQN}!=\"").append(nqn).append("\", GOTO=\"").append(end).append("\"\n")
                    .append("ATTR{nsid}==\"?*\", SYMLINK+=\"").append(links.relative(nqn, "nsid", "$attr{nsid}"))
                    .append("\"\n");
            Set<String> seen = new HashSet<>();
            for (ScannedNamespace n : s.getValue()) {
                String id = n.uniqueId().orElse(null);
                if (id == null || UNSAFE.matcher(id).find()) {
                    skipped.add("subsystem " + nqn + " NSID " + Integer.toUnsignedString(n.nsid())
                            + ": no unique ID to find it by, no position link");
                    continue;
                }
                if (!seen.add(id))
                    continue;                           // the same namespace through another controller
                b.append("ATTR{wwid}==\"").append(id).append("\", SYMLINK+=\"")
                        .append(links.relative(nqn, "position", Long.toString(n.position()))).append("\"\n");
            }
            b.append("LABEL=\"").append(end).append("\"\n");
        }
        b.append("\nLABEL=\"nvmescan_end\"\n");
        return b.toString();
    }
}

package dev.nvmescan.scanner.naming;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The stable links of namespaces, in two schemes, keyed on what survives reboots and
 * re-enumeration, never on the kernel's controller or namespace instance numbers:
 * <ul>
 * <li>{@code /dev/nvmescan/SUBSYSTEM/nsid/NSID}: the namespace with that NSID, for any namespace,
 * also one added later;
 * <li>{@code /dev/nvmescan/SUBSYSTEM/position/P}: the namespace at position P of the Active
 * Namespace ID list when the rules were made (contiguous, 1 based), found by its unique ID.
 * </ul>
 * SUBSYSTEM is the subsystem's alias ({@link SubsystemAliases}) or else its NQN, with every
 * character udev does not allow in a link name replaced by {@code _}. With multipath the links
 * point at the head device.
 */
public final class StableLinks {
    /** The directory under /dev. */
    public static final String DIR = "nvmescan";

    private final Path devRoot;
    private final SubsystemAliases aliases;

    /**
     * The scheme under a /dev root.
     *
     * @param devRoot where the device nodes are, {@code /dev} on a host
     * @param aliases the subsystems' aliases
     */
    public StableLinks(Path devRoot, SubsystemAliases aliases) {
        this.devRoot = Objects.requireNonNull(devRoot, "devRoot");
        this.aliases = Objects.requireNonNull(aliases, "aliases");
    }

    /**
     * The directory of a subsystem's links.
     *
     * @param nqn the subsystem NQN
     * @return its alias, or its NQN made safe for udev
     */
    public String key(String nqn) {
        return aliases.alias(nqn).orElseGet(() -> safe(nqn));
    }

    /**
     * A link relative to /dev, as a udev {@code SYMLINK} names it.
     *
     * @param nqn    the subsystem NQN
     * @param scheme {@code nsid} or {@code position}
     * @param value  the NSID or position (or a udev substitution such as {@code $attr{nsid}})
     * @return {@code nvmescan/KEY/SCHEME/VALUE}
     */
    public String relative(String nqn, String scheme, String value) {
        return DIR + "/" + key(nqn) + "/" + scheme + "/" + value;
    }

    /**
     * A namespace's link by NSID.
     *
     * @param nqn  the subsystem NQN
     * @param nsid the NSID
     * @return {@code /dev/nvmescan/KEY/nsid/NSID}
     */
    public Path byNsid(String nqn, int nsid) {
        return devRoot.resolve(relative(nqn, "nsid", Integer.toUnsignedString(nsid)));
    }

    /**
     * A namespace's link by position.
     *
     * @param nqn      the subsystem NQN
     * @param position its place in the NSID list, 1 based
     * @return {@code /dev/nvmescan/KEY/position/P}
     */
    public Path byPosition(String nqn, long position) {
        return devRoot.resolve(relative(nqn, "position", Long.toString(position)));
    }

    /**
     * The namespaces of {@code scanned} that get a position link: those found through their
     * subsystem's first controller (the first one scanned), since positions count in one NSID
     * list; with multipath that is every namespace but the ones no path of that controller reaches.
     *
     * @param scanned what a host scan found, in controller order
     * @return the ones with a position link, in order
     */
    public static List<ScannedNamespace> positional(List<ScannedNamespace> scanned) {
        Map<String, String> first = new HashMap<>();
        for (ScannedNamespace n : scanned)
            first.putIfAbsent(n.subsystem(), n.controller());
        return scanned.stream().filter(n -> n.controller().equals(first.get(n.subsystem()))).toList();
    }

    /**
     * A namespace's links.
     *
     * @param n          the namespace
     * @param positional whether it gets a position link ({@link #positional})
     * @return its link by NSID, then by position when it gets one
     */
    public List<Path> of(ScannedNamespace n, boolean positional) {
        return positional ? List.of(byNsid(n.subsystem(), n.nsid()), byPosition(n.subsystem(), n.position()))
                : List.of(byNsid(n.subsystem(), n.nsid()));
    }

    /**
     * {@code s} with every character outside udev's set for device names ({@code 0-9 A-Z a-z
     * # + - . : = @ _}) replaced by {@code _}; {@code /} too, since the key is one directory.
     */
    static String safe(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || "#+-.:=@_".indexOf(c) >= 0;
            b.append(ok ? c : '_');
        }
        return b.toString();
    }
}

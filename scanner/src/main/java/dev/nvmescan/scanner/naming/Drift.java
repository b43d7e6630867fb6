package dev.nvmescan.scanner.naming;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What changed between a snapshot and now, namespace by namespace (matched by subsystem NQN and
 * NSID), within the subsystems compared.
 *
 * @param added   namespaces there now and not in the snapshot
 * @param removed namespaces in the snapshot and not there now
 * @param changed what changed about a namespace in both: its size, block size, unique IDs,
 *                position in the NSID list, or whether it could be identified
 * @param moved   namespaces whose kernel block device is another one now
 */
public record Drift(List<Snapshot.Namespace> added, List<Snapshot.Namespace> removed, List<Change> changed,
                    List<Move> moved) {

    /**
     * One change to a namespace.
     *
     * @param subsystem its subsystem NQN
     * @param nsid   its NSID
     * @param kind   {@code resized} (bytes), {@code format} (bytes per block), {@code unique_id}
     *               ({@link #id} says which), {@code position}, {@code status} ({@code ok} or {@code error})
     * @param id     for {@code unique_id}: {@code nguid}, {@code eui64} or {@code uuid}; else null
     * @param before the value before, a {@link Long} or a {@link String}; null for a unique ID not reported
     * @param after  the value now, likewise
     */
    public record Change(String subsystem, int nsid, String kind, String id, Object before, Object after) {}

    /**
     * A namespace whose kernel block device is another one now.
     *
     * @param subsystem its subsystem NQN
     * @param nsid      its NSID
     * @param before    its block device in the snapshot, null where there was none
     * @param after     its block device now, null where there is none
     */
    public record Move(String subsystem, int nsid, String before, String after) {}

    /** Copies the lists. */
    public Drift {
        added = List.copyOf(added);
        removed = List.copyOf(removed);
        changed = List.copyOf(changed);
        moved = List.copyOf(moved);
    }

    /** {@return whether nothing drifted} */
    public boolean none() {
        return added.isEmpty() && removed.isEmpty() && changed.isEmpty() && moved.isEmpty();
    }

    /**
     * Compares {@code before} with {@code now} over the namespaces of {@code subsystems}; a
     * namespace seen twice on one side (through two controllers, without multipath) counts once.
     *
     * @param before     the snapshot
     * @param now        a scan now
     * @param subsystems the NQNs of the subsystems to compare
     * @return what drifted
     */
    public static Drift between(Snapshot before, Snapshot now, Set<String> subsystems) {
        List<Snapshot.Namespace> added = new ArrayList<>(), removed = new ArrayList<>();
        List<Change> changed = new ArrayList<>();
        List<Move> moved = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Snapshot.Namespace b : before.namespaces()) {
            if (!subsystems.contains(b.subsystem()) || !seen.add(b.subsystem() + "\0" + b.nsid()))
                continue;
            Snapshot.Namespace n = now.find(b.subsystem(), b.nsid()).orElse(null);
            if (n == null) {
                removed.add(b);
                continue;
            }
            compare(b, n, changed);
            if (!Objects.equals(b.blockDevice(), n.blockDevice()))
                moved.add(new Move(b.subsystem(), b.nsid(), b.blockDevice(), n.blockDevice()));
        }
        for (Snapshot.Namespace n : now.namespaces())
            if (subsystems.contains(n.subsystem()) && before.find(n.subsystem(), n.nsid()).isEmpty()
                    && seen.add(n.subsystem() + "\0" + n.nsid()))
                added.add(n);
        return new Drift(added, removed, changed, moved);
    }

    private static void compare(Snapshot.Namespace b, Snapshot.Namespace n, List<Change> out) {
        if (b.ok() != n.ok()) {
            out.add(change(b, "status", null, b.ok() ? "ok" : "error", n.ok() ? "ok" : "error"));
            return;
        }
        if (b.position() != n.position())
            out.add(change(b, "position", null, b.position(), n.position()));
        if (!b.ok())
            return;
        if (b.bytes() != n.bytes())
            out.add(change(b, "resized", null, b.bytes(), n.bytes()));
        if (b.lbaDataSize() != n.lbaDataSize())
            out.add(change(b, "format", null, b.lbaDataSize(), n.lbaDataSize()));
        if (!Objects.equals(b.nguid(), n.nguid()))
            out.add(change(b, "unique_id", "nguid", b.nguid(), n.nguid()));
        if (!Objects.equals(b.eui64(), n.eui64()))
            out.add(change(b, "unique_id", "eui64", b.eui64(), n.eui64()));
        if (!Objects.equals(b.uuid(), n.uuid()))
            out.add(change(b, "unique_id", "uuid", b.uuid(), n.uuid()));
    }

    private static Change change(Snapshot.Namespace b, String kind, String id, Object before, Object after) {
        return new Change(b.subsystem(), b.nsid(), kind, id, before, after);
    }
}

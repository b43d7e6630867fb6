package dev.nvmescan.scanner.cli;

import dev.nvmescan.scanner.naming.Drift;
import dev.nvmescan.scanner.naming.Snapshot;
import dev.nvmescan.scanner.output.DiffOutput;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

@Command(name = "diff", mixinStandardHelpOptions = true, sortOptions = false,
        header = "What changed since a saved scan: namespaces added, removed, resized, re-identified, renamed.",
        description = {"Scans the controllers (DEVICEs, or every controller) and compares with SNAPSHOT, a saved nvmescan scan -o json, namespace by namespace: matched by subsystem NQN and NSID, never by kernel names. Reports namespaces added and removed, changed (resized, another block size, unique IDs NGUID/EUI-64/UUID, another position in the NSID list, identified or not) and moved (another kernel block device, such as /dev/nvme0n3 becoming /dev/nvme0n5 after a reboot).",
            "", "Without DEVICEs it compares the subsystems SNAPSHOT has (one gone entirely is all removed); with DEVICEs, the subsystems of those controllers."},
        footerHeading = "%nExamples:%n",
        footer = {"  nvmescan scan --all -o json > /var/lib/nvmescan/snapshot.json",
            "  nvmescan diff /var/lib/nvmescan/snapshot.json && echo unchanged",
            "  nvmescan diff -o json /var/lib/nvmescan/snapshot.json /dev/nvme1",
            "", "JSON: {\"added\": [...], \"removed\": [...], \"changed\": [...], \"moved\": [{\"nsid\", \"before\", \"after\", ...}]}",
            "", "Exit status: 0 nothing drifted, 1 something drifted, 2 usage or SNAPSHOT unreadable,",
            "3 a controller not usable (the comparison is printed, its namespaces as removed), 130 interrupted."})
final class DiffCommand implements java.util.concurrent.Callable<Integer> {
    @CommandLine.ParentCommand Nvmescan root;
    @Spec CommandSpec spec;
    @Mixin DeviceOptions device;

    @Parameters(index = "0", paramLabel = "SNAPSHOT", description = "a saved nvmescan scan -o json")
    Path snapshot;

    @Parameters(index = "1..*", paramLabel = "DEVICE", description = "controllers such as /dev/nvme0 (default: every controller)")
    List<String> paths = new ArrayList<>();

    @Override
    public Integer call() {
        Snapshot before;
        try {
            before = Snapshot.parse(Files.readString(snapshot));
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(snapshot + ": no such file");
        } catch (IOException e) {
            throw new IllegalArgumentException(snapshot + ": " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(snapshot + ": " + e.getMessage());
        }
        NamingScan.Result r = NamingScan.scan(root.env, device, paths, spec.commandLine().getErr());
        if (r.code() == Nvmescan.INTERRUPTED)
            return r.code();
        Set<String> scope = paths.isEmpty() ? before.subsystems() : r.found().subsystems();
        Snapshot now = Snapshot.of(r.found());
        Drift d = Drift.between(before, now, scope);
        long compared = now.namespaces().stream().filter(n -> scope.contains(n.subsystem())).count();
        DiffOutput.write(spec.commandLine().getOut(), device.format, d, snapshot.toString(), compared);
        if (r.code() == Nvmescan.DEVICE)
            return r.code();
        return d.none() ? Nvmescan.OK : Nvmescan.FAILED;
    }
}

package dev.nvmescan.scanner.cli;

import dev.nvmescan.scanner.NamespaceScanner;
import dev.nvmescan.scanner.ScanMode;
import dev.nvmescan.scanner.host.HostScan;
import dev.nvmescan.scanner.naming.ScannedNamespace;
import dev.nvmescan.scanner.naming.StableLinks;
import dev.nvmescan.scanner.naming.SubsystemAliases;
import dev.nvmescan.scanner.sysfs.Controller;
import dev.nvmescan.scanner.sysfs.NvmeTree;

import java.nio.file.Path;
import java.util.List;

import picocli.CommandLine.Option;

/**
 * What the naming commands ({@code names}, {@code udev-rules}, {@code diff}) share: the aliases
 * option and their scan of the DEVICEs given, or of every controller.
 */
final class NamingScan {
    @Option(names = "--aliases", paramLabel = "FILE",
            description = "subsystem names for the links, lines NAME NQN (default: /etc/nvmescan/aliases, if it exists)")
    Path aliasesFile;

    /**
     * What the scan found.
     *
     * @param tree  the host's tree the scan was named with
     * @param found the namespaces and subsystems found, in controller order
     * @param code  the exit status of the scan ({@link ExitStatus})
     */
    record Result(NvmeTree tree, ScannedNamespace.Collection found, int code) {}

    /** The link scheme with this command's aliases. */
    StableLinks links(CliEnvironment env) {
        Path file = aliasesFile != null ? aliasesFile : env.etcRoot.resolve("nvmescan/aliases");
        return new StableLinks(env.devRoot, SubsystemAliases.read(file));
    }

    /** Scans {@code devices}, or every controller when there are none, all at once. */
    static Result scan(CliEnvironment env, DeviceOptions device, List<String> devices, java.io.PrintWriter err) {
        NvmeTree tree = NvmeTree.read(env.sysRoot, env.devRoot);
        List<String> chosen = devices.isEmpty() ? ControllerTargets.all(env, tree) : devices;
        List<ControllerTargets.Selected> selected = ControllerTargets.of(env, tree, device, chosen);
        ScannedNamespace.Collection found = new ScannedNamespace.Collection(tree);
        ExitStatus status = new ExitStatus(err);
        HostScan scan = new HostScan(selected.stream().map(ControllerTargets.Selected::target).toList(),
                new NamespaceScanner.Options(ScanMode.ORDERED, device.queueDepth, device.timeout, 0));
        env.onCancel(scan::cancel);
        try {
            scan.run(k -> status.around(selected.get(k).device(), found.collector(selected.get(k).device(),
                    selected.get(k).sysfs().map(Controller::subsysnqn))));
        } finally {
            env.onCancel(null);
        }
        return new Result(tree, found, status.code());
    }
}

package dev.nvmescan.scanner.cli;

import dev.nvmescan.scanner.NamespaceScanner;
import dev.nvmescan.scanner.ScanMode;
import dev.nvmescan.scanner.host.HostScan;
import dev.nvmescan.scanner.output.DetailedListOutput;
import dev.nvmescan.scanner.output.ListOutput;
import dev.nvmescan.scanner.output.OutputFormat;
import dev.nvmescan.scanner.sysfs.Controller;
import dev.nvmescan.scanner.sysfs.Host;
import dev.nvmescan.scanner.sysfs.NvmeTree;

import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import java.util.function.IntFunction;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

@Command(name = "list", mixinStandardHelpOptions = true, header = "Every NVMe controller and namespace on this host, like nvme list.",
        description = {"Every namespace of every controller sysfs shows (/sys/class/nvme), scanned all at once with Identify, each controller within its own queue depth, and printed in controller order (subsystem NQN, then controller) and NSID-list order within each. A namespace reached through several controllers (multipath) is listed once, as its head device.",
            "", "The JSON has nvme-cli 2.16's keys and types: -o json is nvme list -o json, -v -o json is nvme list -v -o json (hosts, subsystems, controllers with their paths, namespaces). Sizes are the kernel's view of each block device, as libnvme reads it. Needs root to send Identify."},
        footerHeading = "%nExamples:%n",
        footer = {"  nvmescan list", "  nvmescan list -o json", "  nvmescan list -v -o json",
            "", "Exit status: 0 all good, 1 some namespaces failed, 3 a controller not usable, 130 interrupted."})
final class ListCommand implements java.util.concurrent.Callable<Integer> {
    @CommandLine.ParentCommand Nvmescan root;
    @Spec CommandSpec spec;
    @Mixin DeviceOptions device;

    @Override
    public Integer call() {
        boolean verbose = device.verbose;
        PrintWriter out = spec.commandLine().getOut();
        if (verbose && device.format == OutputFormat.ndjson)
            throw new IllegalArgumentException("list -v prints -o normal or json");
        NvmeTree tree = NvmeTree.read(root.env.sysRoot, root.env.devRoot);
        List<Controller> controllers = tree.controllers().stream().filter(c -> !tree.subsystemOf(c).discovery()).toList();
        if (controllers.isEmpty() && device.format == OutputFormat.normal) {
            out.println("No NVMe controllers found (" + root.env.sysRoot.resolve("class/nvme") + " is empty).");
            out.flush();
            return Nvmescan.OK;
        }
        Optional<Host> local = Host.local(root.env.etcRoot, root.env.sysRoot);
        List<Controller> order = verbose ? DetailedListOutput.grouped(controllers, local) : controllers;
        List<ControllerTargets.Selected> selected = ControllerTargets.of(root.env, tree, device,
                order.stream().map(c -> root.env.devRoot.resolve(c.name()).toString()).toList());
        IntFunction<HostScan.ControllerListener> parts;
        Runnable end;
        if (verbose) {
            DetailedListOutput o = new DetailedListOutput(out, device.format, tree, local, order);
            o.begin();
            parts = o::controller;
            end = o::end;
        } else {
            ListOutput o = new ListOutput(out, device.format, tree);
            o.begin();
            parts = k -> o.controller(order.get(k));
            end = o::end;
        }
        ExitStatus status = new ExitStatus(spec.commandLine().getErr());
        HostScan scan = new HostScan(selected.stream().map(ControllerTargets.Selected::target).toList(),
                new NamespaceScanner.Options(ScanMode.ORDERED, device.queueDepth, device.timeout, 0));
        root.env.onCancel(scan::cancel);
        try {
            scan.run(k -> status.around(selected.get(k).device(), parts.apply(k)));
        } finally {
            root.env.onCancel(null);
        }
        end.run();
        return status.code();
    }
}

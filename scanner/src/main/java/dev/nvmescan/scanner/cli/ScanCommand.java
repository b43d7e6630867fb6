package dev.nvmescan.scanner.cli;

import dev.nvmescan.nativebindings.AdminChannel;
import dev.nvmescan.nativebindings.NvmeException;
import dev.nvmescan.nativebindings.identify.IdentifyDecodeException;
import dev.nvmescan.scanner.CommandObserver;
import dev.nvmescan.scanner.NamespaceScanner;
import dev.nvmescan.scanner.ScanListener;
import dev.nvmescan.scanner.ScanMode;
import dev.nvmescan.scanner.ScanSummary;
import dev.nvmescan.scanner.host.HostScan;
import dev.nvmescan.scanner.output.HostScanOutput;
import dev.nvmescan.scanner.output.ScanOutput;
import dev.nvmescan.scanner.output.TraceWriter;
import dev.nvmescan.scanner.sysfs.Controller;
import dev.nvmescan.scanner.sysfs.KernelNames;
import dev.nvmescan.scanner.sysfs.NvmeTree;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

@Command(name = "scan", mixinStandardHelpOptions = true, header = "Ordered concurrent scan of every namespace, with kernel device names.", sortOptions = false,
        description = {"Identify every namespace of each DEVICE concurrently (Identify Namespace, descriptor list, ZNS Identify) and print each in NSID-list order as soon as its turn comes, with its kernel devices (/dev/nvmeXnY, /dev/ngXnY, /dev/disk/by-id links; with multipath the head /dev/nvmeSnZ and its path devices nvmeScXnZ). The NSID list is read past 1024 entries. A namespace that fails is printed in its place as an error entry; the scan goes on.",
            "", "Several DEVICEs, or --all, are scanned all at once, each controller within its own queue depth, and printed in controller order: the order given, or for --all by subsystem NQN, then controller. A namespace reached through several controllers (multipath) is printed once, under the first, with all its paths. The JSON is then {\"controllers\": [one scan document per controller], \"summary\": {...}}."},
        footerHeading = "%nExamples:%n",
        footer = {"  nvmescan scan /dev/nvme0",
            "  nvmescan scan --all -o json > snapshot.json     every controller (nvmescan diff takes it)",
            "  nvmescan scan /dev/nvme0 /dev/nvme2             both at once, nvme0's first",
            "  nvmescan scan --check-naming /dev/nvme0     flag drifted /dev/nvmeXnY names",
            "  nvmescan scan -o ndjson --trace t.json /dev/nvme0   (t.json: ui.perfetto.dev)",
            "  nvmescan scan 'sim:?namespaces=2000&latency=1ms..20ms&fail=7:0x400b&vanish=9'",
            "  nvmescan scan --mode sequential 'sim:?namespaces=20&latency=50ms'",
            "", "Exit status: 0 all good, 1 some namespaces failed, 2 usage, 3 a device not usable,",
            "4 output not written (closed pipe, full disk, --trace), 130 Ctrl-C, 143 SIGTERM."})
final class ScanCommand implements java.util.concurrent.Callable<Integer> {
    @CommandLine.ParentCommand Nvmescan root;
    @Spec CommandSpec spec;
    @Mixin DeviceOptions device;

    @Parameters(paramLabel = "DEVICE", arity = "0..*",
            description = "controllers such as /dev/nvme0, or sim:?... (several: scanned at once)")
    List<String> paths = new ArrayList<>();

    @Option(names = "--all", description = "every controller sysfs shows (but discovery controllers)")
    boolean all;

    @Option(names = "--mode", paramLabel = "MODE", defaultValue = "ordered",
            description = "ordered (publish in NSID-list order), unordered (as each completes) or"
                    + " sequential (one command at a time) (default: ${DEFAULT-VALUE})")
    String mode;

    @Option(names = "--trace", paramLabel = "FILE",
            description = "write a Chrome trace-event JSON of every command and publication (Perfetto); one DEVICE")
    Path trace;

    @Option(names = "--check-naming",
            description = "report namespaces whose /dev/nvmeXnY index differs from their NSID-list position")
    boolean checkNaming;

    @Override
    public Integer call() throws Exception {
        if (all == !paths.isEmpty())
            throw new IllegalArgumentException(all ? "give DEVICEs or --all, not both" : "scan needs a DEVICE or --all");
        NamespaceScanner.Options o = new NamespaceScanner.Options(parseMode(mode), device.queueDepth, device.timeout, 0);
        NvmeTree tree = all || ControllerTargets.anyReal(paths)
                ? NvmeTree.read(root.env.sysRoot, root.env.devRoot) : NvmeTree.empty();
        List<String> devices = all ? ControllerTargets.all(root.env, tree) : paths;
        if (!all && devices.size() == 1)
            return scanOne(devices.getFirst(), tree, o);
        if (trace != null)
            throw new IllegalArgumentException("--trace takes one DEVICE");
        return scanMany(devices, tree, o);
    }

    /** One controller: the standalone document, with progress on a terminal and an optional trace. */
    private int scanOne(String path, NvmeTree tree, NamespaceScanner.Options o) throws Exception {
        PrintWriter out = spec.commandLine().getOut(), err = spec.commandLine().getErr();
        TraceWriter tw = trace != null ? openTrace() : null;
        try (AdminChannel ch = device.open(root.env.channel(path))) {
            Optional<Controller> kernel = ControllerTargets.sysfs(tree, path);
            ScanOutput output = new ScanOutput(out, ScanOutput.json(out, device.format), device.format, path, kernel,
                    o, checkNaming, false, root.env::cancel);
            output.opened(ch);
            NamespaceScanner scanner = new NamespaceScanner(ch, o,
                    kernel.map(c -> tree.names(c.name())).orElseGet(KernelNames::none),
                    tw != null ? tw : CommandObserver.NONE);
            Progress progress = root.env.stderrIsTerminal ? new Progress(spec.commandLine().getErr()) : null;
            ScanListener l = progress != null ? progress.around(output) : output;
            root.env.onCancel(scanner::cancel);
            ScanSummary s = null;
            DeviceException failure = null;
            try {
                s = scanner.scan(tw != null ? tw.around(l) : l);
            } catch (NvmeException e) {
                failure = DeviceErrors.explain(ch.device(), e);
            } catch (IdentifyDecodeException e) {
                failure = new DeviceException(ch.device() + ": " + e.getMessage(), e);
            } finally {
                root.env.onCancel(null);
                if (progress != null)
                    progress.stop();
                if (s != null)
                    output.finished(s);
                else if (failure != null)
                    output.failed(failure);
                if (tw != null)
                    tw.close();
            }
            if (failure != null)
                throw failure;
            if (tw != null && tw.failure() != null) {
                err.println("nvmescan: --trace " + trace + ": " + tw.failure().getMessage() + "; the trace is incomplete");
                return Nvmescan.OUTPUT;
            }
            if (s.cancelled())
                return Nvmescan.INTERRUPTED;
            return s.failed() > 0 ? Nvmescan.FAILED : Nvmescan.OK;
        } finally {
            if (tw != null)
                tw.close();
        }
    }

    /** The trace file, or a usage error in one line. */
    private TraceWriter openTrace() {
        try {
            return TraceWriter.open(trace);
        } catch (IOException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--trace " + trace + ": cannot write it ("
                    + TraceWriter.reason(e) + ")");
        }
    }

    /** Several controllers at once, reported in order through the host scan. */
    private int scanMany(List<String> devices, NvmeTree tree, NamespaceScanner.Options o) {
        PrintWriter out = spec.commandLine().getOut();
        List<ControllerTargets.Selected> selected = ControllerTargets.of(root.env, tree, device, devices);
        HostScanOutput output = new HostScanOutput(out, device.format, o, checkNaming, root.env::cancel);
        ExitStatus status = new ExitStatus(spec.commandLine().getErr());
        HostScan scan = new HostScan(selected.stream().map(ControllerTargets.Selected::target).toList(), o);
        long start = System.nanoTime();
        output.begin();
        root.env.onCancel(scan::cancel);
        try {
            scan.run(k -> status.around(selected.get(k).device(),
                    output.part(selected.get(k).device(), selected.get(k).sysfs())));
        } finally {
            root.env.onCancel(null);
        }
        output.end(Duration.ofNanos(System.nanoTime() - start));
        return status.code();
    }

    static ScanMode parseMode(String mode) {
        try {
            return ScanMode.valueOf(mode.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--mode must be ordered, unordered or sequential: " + mode);
        }
    }
}

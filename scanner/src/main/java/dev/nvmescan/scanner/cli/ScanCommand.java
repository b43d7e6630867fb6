package dev.nvmescan.scanner.cli;

import dev.nvmescan.nativebindings.AdminChannel;
import dev.nvmescan.nativebindings.NvmeException;
import dev.nvmescan.nativebindings.sim.SimulatedController;
import dev.nvmescan.scanner.CommandObserver;
import dev.nvmescan.scanner.NamespaceScanner;
import dev.nvmescan.scanner.ScanListener;
import dev.nvmescan.scanner.ScanMode;
import dev.nvmescan.scanner.ScanSummary;
import dev.nvmescan.scanner.output.ScanOutput;
import dev.nvmescan.scanner.output.TraceWriter;
import dev.nvmescan.scanner.sysfs.KernelNames;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

@Command(name = "scan", mixinStandardHelpOptions = true, header = "Ordered concurrent scan of every namespace, with kernel device names.", sortOptions = false,
        description = "Identify every namespace of DEVICE concurrently (Identify Namespace, descriptor list, ZNS Identify) and print each in NSID-list order as soon as its turn comes, with its kernel devices (/dev/nvmeXnY, /dev/ngXnY, /dev/disk/by-id links). The NSID list is read past 1024 entries. A namespace that fails is printed in its place as an error entry; the scan goes on.",
        footerHeading = "%nExamples:%n",
        footer = {"  nvmescan scan /dev/nvme0",
            "  nvmescan scan --check-naming /dev/nvme0     flag drifted /dev/nvmeXnY names",
            "  nvmescan scan -o ndjson --trace t.json /dev/nvme0   (t.json: ui.perfetto.dev)",
            "  nvmescan scan 'sim:?namespaces=2000&latency=1ms..20ms&fail=7:0x400b&vanish=9'",
            "  nvmescan scan --mode sequential 'sim:?namespaces=20&latency=50ms'",
            "", "Exit status: 0 all good, 1 some namespaces failed, 2 usage, 3 device not usable,",
            "4 output not written (closed pipe, full disk, --trace), 130 Ctrl-C, 143 SIGTERM."})
final class ScanCommand implements java.util.concurrent.Callable<Integer> {
    @CommandLine.ParentCommand Nvmescan root;
    @Spec CommandSpec spec;
    @Mixin DeviceOptions device;

    @Parameters(paramLabel = "DEVICE", description = "a controller such as /dev/nvme0, or sim:?...")
    String path;

    @Option(names = "--mode", paramLabel = "MODE", defaultValue = "ordered",
            description = "ordered (publish in NSID-list order), unordered (as each completes) or"
                    + " sequential (one command at a time) (default: ${DEFAULT-VALUE})")
    String mode;

    @Option(names = "--trace", paramLabel = "FILE",
            description = "write a Chrome trace-event JSON of every command and publication (Perfetto)")
    Path trace;

    @Option(names = "--check-naming",
            description = "report namespaces whose /dev/nvmeXnY index differs from their NSID-list position")
    boolean checkNaming;

    @Option(names = "--sysfs-controller", hidden = true, description = "controller name in sysfs (tests)")
    String sysfsController;

    @Override
    public Integer call() throws Exception {
        ScanMode m = parseMode(mode);
        NamespaceScanner.Options o = new NamespaceScanner.Options(m, device.queueDepth, device.timeout, 0);
        PrintWriter out = spec.commandLine().getOut(), err = spec.commandLine().getErr();
        TraceWriter tw = trace != null ? openTrace() : null;
        try (AdminChannel ch = device.open(path)) {
            KernelNames names = names(root.env, path, sysfsController);
            ScanOutput output = new ScanOutput(out, device.format, ch.device(), ch.backend(), o, checkNaming,
                    root.env::cancel);
            NamespaceScanner scanner = new NamespaceScanner(ch, o, names, tw != null ? tw : CommandObserver.NONE);
            Progress progress = root.env.stderrIsTerminal ? new Progress(spec.commandLine().getErr()) : null;
            ScanListener l = progress != null ? progress.around(output) : output;
            root.env.onCancel(scanner::cancel);
            ScanSummary s = null;
            try {
                s = scanner.scan(tw != null ? tw.around(l) : l);
            } catch (NvmeException e) {
                throw DeviceErrors.explain(ch.device(), e);
            } finally {
                root.env.onCancel(null);
                if (progress != null)
                    progress.stop();
                output.finish(s);
                if (tw != null)
                    tw.close();
            }
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

    /** The controller name in sysfs for a device path, for device naming; none for the simulator. */
    static KernelNames names(CliEnvironment env, String device, String sysfsController) {
        String ctrl = sysfsController != null ? sysfsController
                : SimulatedController.isSpec(device) ? null : KernelNames.controllerOf(device).orElse(null);
        return ctrl == null ? KernelNames.none() : KernelNames.read(env.sysRoot, env.devRoot, ctrl);
    }

    static ScanMode parseMode(String mode) {
        try {
            return ScanMode.valueOf(mode.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--mode must be ordered, unordered or sequential: " + mode);
        }
    }
}

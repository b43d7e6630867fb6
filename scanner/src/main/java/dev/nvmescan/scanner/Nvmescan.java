package dev.nvmescan.scanner;

import dev.nvmescan.nativebindings.AdminChannel;
import dev.nvmescan.nativebindings.AdminCommand;
import dev.nvmescan.nativebindings.DataBuffers;
import dev.nvmescan.nativebindings.IdentifyController;
import dev.nvmescan.nativebindings.IdentifyNamespace;
import dev.nvmescan.nativebindings.NamespaceIdDescriptors;
import dev.nvmescan.nativebindings.NamespaceList;
import dev.nvmescan.nativebindings.NvmeException;
import dev.nvmescan.nativebindings.NvmeStatusException;
import dev.nvmescan.nativebindings.SimulatedController;

import java.io.PrintWriter;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** The {@code nvmescan} command line. */
@Command(name = "nvmescan", mixinStandardHelpOptions = true, version = "nvmescan 0.1.0",
        description = "Identifies the namespaces of NVMe controllers concurrently and reports them in NSID-list order, with the kernel's device names. DEVICE is a controller (/dev/nvme0) or a simulated one: sim:?namespaces=100&latency=150ms&queue-depth=30 (also nsids=1,10,200-300, fail=NSID:STATUS, vanish=NSID, hang=NSID, zoned=NSID, lba=4096, seed=N, timeout=5s, backend=ioctl|uring), which needs neither hardware nor root.",
        subcommands = {Nvmescan.Scan.class, Nvmescan.ListAll.class, Nvmescan.IdCtrl.class, Nvmescan.IdNs.class,
            Nvmescan.ListNs.class, Nvmescan.NsDescs.class, Nvmescan.Bench.class},
        footerHeading = "%nExamples:%n",
        footer = {
            "  nvmescan scan /dev/nvme0                    ordered scan (root)",
            "  nvmescan scan -o json /dev/nvme0 > ns.json  one JSON document",
            "  nvmescan scan 'sim:?namespaces=100&latency=150ms'",
            "  nvmescan bench 'sim:?namespaces=100&latency=150ms'",
            "  nvmescan id-ctrl -o json /dev/nvme0         nvme-cli's JSON keys",
            "  nvmescan list",
            "",
            "On Ctrl-C a scan stops cleanly: JSON output is still a complete document."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:all good", "1:some namespaces failed", "2:usage error",
            "3:device could not be opened or is not NVMe", "130:interrupted (Ctrl-C)"})
public final class Nvmescan {
    static final int OK = 0, FAILED = 1, USAGE = 2, DEVICE = 3, INTERRUPTED = 130;

    final CliEnvironment env;

    Nvmescan(CliEnvironment env) {
        this.env = env;
    }

    /** Runs the command line; Ctrl-C cancels a running scan, which still closes its output. */
    public static void main(String[] args) {
        CliEnvironment env = CliEnvironment.system();
        CountDownLatch finished = new CountDownLatch(1);
        AtomicBoolean shuttingDown = new AtomicBoolean();
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(() -> {
            shuttingDown.set(true);
            env.cancel();
            try {
                finished.await(10, TimeUnit.SECONDS);   // let the output close its JSON
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        int code = commandLine(env).execute(args);
        finished.countDown();
        if (!shuttingDown.get())
            System.exit(code);
    }

    /**
     * Runs one command line as {@code main} does, on the host's sysfs and /dev, but writing to
     * {@code out} and {@code err} and returning the exit code instead of exiting. For running many
     * commands in one JVM (the QEMU tests batch their checks this way) and for embedding.
     */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = commandLine(CliEnvironment.system());
        cl.setOut(out);
        cl.setErr(err);
        int code = cl.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    /** The command line over {@code env}, for main and for tests. */
    static CommandLine commandLine(CliEnvironment env) {
        CommandLine cl = new CommandLine(new Nvmescan(env));
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setExecutionExceptionHandler((e, line, parse) -> {
            PrintWriter err = line.getErr();
            if (e instanceof DeviceException) {
                err.println("nvmescan: " + e.getMessage());
                return DEVICE;
            }
            if (e instanceof IllegalArgumentException) {
                err.println("nvmescan: " + e.getMessage());
                return USAGE;
            }
            throw e;
        });
        return cl;
    }

    /** Options every device command takes. */
    static final class DeviceOptions {
        @Spec(Spec.Target.MIXEE) CommandSpec command;

        @Option(names = {"-o", "--output-format"}, paramLabel = "FORMAT", defaultValue = "normal",
                description = "normal, json or ndjson (default: ${DEFAULT-VALUE})")
        OutputFormat format;

        @Option(names = "--backend", paramLabel = "auto|ioctl|uring", defaultValue = "auto",
                description = "how commands reach the controller: io_uring passthrough where the kernel"
                        + " takes it (auto), or the blocking ioctl (default: ${DEFAULT-VALUE})")
        Devices.Backend backend;

        @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "0s", converter = DurationConverter.class,
                description = "per-command timeout, e.g. 500ms or 5s; 0s keeps the kernel's (default: ${DEFAULT-VALUE})")
        Duration timeout;

        @Option(names = "--queue-depth", paramLabel = "N", defaultValue = "28",
                description = "admin commands in flight at most (default: ${DEFAULT-VALUE}, the most io_uring"
                        + " takes safely: Linux admin queues hold 29 to 30, and on 6.1 io_uring commands"
                        + " beyond them failed with EFAULT; the ioctl backend just waits)")
        int queueDepth;

        AdminChannel open(String device) throws DeviceException {
            if (queueDepth < 1 || queueDepth > 4096)
                throw new IllegalArgumentException("--queue-depth must be 1 to 4096: " + queueDepth);
            PrintWriter err = command.commandLine().getErr();
            return Devices.open(device, backend, queueDepth, timeout, note -> {
                err.println("nvmescan: " + note);
                err.flush();
            });
        }

        AdminCommand command(AdminCommand c) {
            return timeout.isZero() ? c : c.withTimeout(timeout);
        }

        JsonWriter writer(PrintWriter out) {
            return new JsonWriter(out, switch (format) {
                case normal -> JsonWriter.Style.TEXT;
                case json -> JsonWriter.Style.PRETTY;
                case ndjson -> JsonWriter.Style.COMPACT;
            });
        }
    }

    /** {@code 500ms}, {@code 5s}, {@code 2m}. */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        private static final Pattern P = Pattern.compile("(\\d{1,9})(ms|s|m)");

        @Override
        public Duration convert(String value) {
            Matcher m = P.matcher(value.trim());
            if (!m.matches())
                throw new CommandLine.TypeConversionException("'" + value + "' is not a duration such as 500ms, 5s or 2m");
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                default -> Duration.ofMinutes(n);
            };
        }
    }

    /** The controller name in sysfs for a device path, for device naming; none for the simulator. */
    static KernelNames names(CliEnvironment env, String device, String sysfsController) {
        String ctrl = sysfsController != null ? sysfsController
                : SimulatedController.isSpec(device) ? null : KernelNames.controllerOf(device).orElse(null);
        return ctrl == null ? KernelNames.none() : KernelNames.read(env.sysRoot, env.devRoot, ctrl);
    }

    @Command(name = "scan", mixinStandardHelpOptions = true, header = "Ordered concurrent scan of every namespace, with kernel device names.", sortOptions = false,
            description = "Identify every namespace of DEVICE concurrently (Identify Namespace, descriptor list, ZNS Identify) and print each in NSID-list order as soon as its turn comes, with its kernel devices (/dev/nvmeXnY, /dev/ngXnY, /dev/disk/by-id links). The NSID list is read past 1024 entries. A namespace that fails is printed in its place as an error entry; the scan goes on.",
            footerHeading = "%nExamples:%n",
            footer = {"  nvmescan scan /dev/nvme0",
                "  nvmescan scan --check-naming /dev/nvme0     flag drifted /dev/nvmeXnY names",
                "  nvmescan scan -o ndjson --trace t.json /dev/nvme0   (t.json: ui.perfetto.dev)",
                "  nvmescan scan 'sim:?namespaces=2000&latency=1ms..20ms&fail=7:0x400b&vanish=9'",
                "  nvmescan scan --mode sequential 'sim:?namespaces=20&latency=50ms'",
                "", "Exit status: 0 all good, 1 some namespaces failed, 2 usage, 3 device not usable,",
                "130 interrupted (Ctrl-C)."})
    static final class Scan implements java.util.concurrent.Callable<Integer> {
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
            PrintWriter out = spec.commandLine().getOut();
            try (AdminChannel ch = device.open(path)) {
                KernelNames names = names(root.env, path, sysfsController);
                ScanOutput output = new ScanOutput(out, device.format, ch.device(), ch.backend(), o, checkNaming);
                TraceWriter tw = trace != null ? new TraceWriter(Files.newBufferedWriter(trace)) : null;
                NamespaceScanner scanner = new NamespaceScanner(ch, o, names, tw != null ? tw : CommandObserver.NONE);
                Progress progress = root.env.stderrIsTerminal ? new Progress(spec.commandLine().getErr()) : null;
                ScanListener l = progress != null ? progress.around(output) : output;
                root.env.onCancel(scanner::cancel);
                ScanSummary s = null;
                try {
                    s = scanner.scan(tw != null ? tw.around(l) : l);
                } catch (NvmeException e) {
                    throw Devices.explain(ch.device(), e);
                } finally {
                    root.env.onCancel(null);
                    if (progress != null)
                        progress.stop();
                    output.finish(s);
                    if (tw != null)
                        tw.close();
                }
                if (s.cancelled())
                    return INTERRUPTED;
                return s.failed() > 0 ? FAILED : OK;
            }
        }
    }

    static ScanMode parseMode(String mode) {
        try {
            return ScanMode.valueOf(mode.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--mode must be ordered, unordered or sequential: " + mode);
        }
    }

    /** A count on stderr, redrawn at most ten times a second; only when stderr is a terminal. */
    static final class Progress {
        private final PrintWriter err;
        private final AtomicLong count = new AtomicLong();
        private final Thread ticker;

        Progress(PrintWriter err) {
            this.err = err;
            this.ticker = Thread.ofVirtual().start(() -> {
                try {
                    for (;;) {
                        Thread.sleep(100);
                        err.print("\r" + count.get() + " namespaces");
                        err.flush();
                    }
                } catch (InterruptedException e) {
                    // stopped
                }
            });
        }

        ScanListener around(ScanListener next) {
            return new ScanListener() {
                @Override
                public void controller(IdentifyController c) {
                    next.controller(c);
                }

                @Override
                public void published(NamespaceEntry e) {
                    next.published(e);
                    count.incrementAndGet();
                }
            };
        }

        void stop() {
            ticker.interrupt();
            try {
                ticker.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            err.print("\r\033[K");
            err.flush();
        }
    }

    @Command(name = "id-ctrl", mixinStandardHelpOptions = true, header = "Identify Controller, as nvme-cli prints it.", description = "Identify Controller (CNS 01h), printed like nvme-cli's id-ctrl.",
            footerHeading = "%nExamples:%n",
            footer = {"  nvmescan id-ctrl /dev/nvme0", "  nvmescan id-ctrl -o json 'sim:?namespaces=4'"})
    static final class IdCtrl implements java.util.concurrent.Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin DeviceOptions device;
        @Parameters(paramLabel = "DEVICE") String path;

        @Override
        public Integer call() throws Exception {
            try (AdminChannel ch = device.open(path); Arena arena = Arena.ofConfined()) {
                MemorySegment buf = DataBuffers.allocate(arena, DataBuffers.IDENTIFY_SIZE);
                try {
                    ch.execute(device.command(AdminCommand.identify(AdminCommand.CNS_CONTROLLER, 0, AdminCommand.CSI_NVM)), buf);
                } catch (NvmeException e) {
                    throw Devices.explain(ch.device(), e);
                }
                PrintWriter out = spec.commandLine().getOut();
                if (device.format == OutputFormat.normal)
                    out.print("NVME Identify Controller:");
                JsonWriter w = device.writer(out);
                IdentifyJson.controller(w, IdentifyController.decode(buf));
                if (device.format != OutputFormat.normal)
                    w.newline();
                out.flush();
                return OK;
            }
        }
    }

    /** Runs one namespace-scoped Identify; a status is exit 1 with one line, as nvme-cli does. */
    static abstract class NamespaceCommand implements java.util.concurrent.Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin DeviceOptions device;
        @Parameters(paramLabel = "DEVICE") String path;
        @Option(names = {"-n", "--namespace-id"}, paramLabel = "NSID", required = true, description = "namespace ID")
        long nsid;

        abstract int cns();

        abstract void print(JsonWriter w, MemorySegment data);

        abstract String title();

        @Override
        public Integer call() throws Exception {
            if (nsid < 1 || nsid > 0xfffffffeL)
                throw new IllegalArgumentException("-n must be an NSID from 1 to 4294967294: " + nsid);
            try (AdminChannel ch = device.open(path); Arena arena = Arena.ofConfined()) {
                MemorySegment buf = DataBuffers.allocate(arena, DataBuffers.IDENTIFY_SIZE);
                try {
                    ch.execute(device.command(AdminCommand.identify(cns(), (int) nsid, AdminCommand.CSI_NVM)), buf);
                } catch (NvmeStatusException e) {
                    spec.commandLine().getErr().println("nvmescan: " + e.getMessage());
                    return FAILED;
                } catch (NvmeException e) {
                    throw Devices.explain(ch.device(), e);
                }
                PrintWriter out = spec.commandLine().getOut();
                if (device.format == OutputFormat.normal)
                    out.print(title() + nsid);
                JsonWriter w = device.writer(out);
                print(w, buf);
                if (device.format != OutputFormat.normal)
                    w.newline();
                out.flush();
                return OK;
            }
        }
    }

    @Command(name = "id-ns", mixinStandardHelpOptions = true, header = "Identify Namespace of one NSID, as nvme-cli prints it.", description = "Identify Namespace (CNS 00h) of NSID, printed like nvme-cli's id-ns.",
            footerHeading = "%nExamples:%n",
            footer = {"  nvmescan id-ns -n 1 /dev/nvme0", "  nvmescan id-ns -n 3 -o json 'sim:?namespaces=4&lba=4096'"})
    static final class IdNs extends NamespaceCommand {
        int cns() { return AdminCommand.CNS_NAMESPACE; }

        String title() { return "NVME Identify Namespace "; }

        void print(JsonWriter w, MemorySegment data) {
            IdentifyJson.namespace(w, IdentifyNamespace.decode(data));
        }
    }

    @Command(name = "ns-descs", mixinStandardHelpOptions = true, header = "Namespace Identification Descriptors of one NSID, as nvme-cli prints them.", description = "Namespace Identification Descriptor list (CNS 03h) of NSID, like nvme-cli's ns-descs.",
            footerHeading = "%nExamples:%n",
            footer = {"  nvmescan ns-descs -n 1 -o json /dev/nvme0", "  nvmescan ns-descs -n 2 'sim:?namespaces=4&zoned=2'"})
    static final class NsDescs extends NamespaceCommand {
        int cns() { return AdminCommand.CNS_NS_DESCRIPTORS; }

        String title() { return "NVME Namespace Identification Descriptors NS "; }

        void print(JsonWriter w, MemorySegment data) {
            IdentifyJson.descriptors(w, NamespaceIdDescriptors.decode(data));
        }
    }

    @Command(name = "list-ns", mixinStandardHelpOptions = true, header = "Active Namespace ID list, every page.", description = "Active Namespace ID list (CNS 02h). Unlike nvme-cli, which stops at the first 1024 entries, every page is read until the list ends.",
            footerHeading = "%nExamples:%n",
            footer = {"  nvmescan list-ns /dev/nvme0", "  nvmescan list-ns -o json 'sim:?nsids=1,10,200-300'"})
    static final class ListNs implements java.util.concurrent.Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin DeviceOptions device;
        @Parameters(paramLabel = "DEVICE") String path;

        @Override
        public Integer call() throws Exception {
            List<Integer> all = new ArrayList<>();
            try (AdminChannel ch = device.open(path); Arena arena = Arena.ofConfined()) {
                MemorySegment buf = DataBuffers.allocate(arena, DataBuffers.IDENTIFY_SIZE);
                int after = 0;
                for (;;) {
                    try {
                        ch.execute(device.command(AdminCommand.activeNamespaceList(after)), buf);
                    } catch (NvmeException e) {
                        throw Devices.explain(ch.device(), e);
                    }
                    NamespaceList page = NamespaceList.decode(buf);
                    all.addAll(page.nsids());
                    if (!page.full() || page.last() == 0xfffffffe)
                        break;
                    after = page.last();
                }
            }
            PrintWriter out = spec.commandLine().getOut();
            if (device.format == OutputFormat.normal) {
                for (int i = 0; i < all.size(); i++)
                    out.printf("[%4d]:%#x%n", i, Integer.toUnsignedLong(all.get(i)));
            } else {
                JsonWriter w = device.writer(out);
                IdentifyJson.namespaceList(w, all);
                w.newline();
            }
            out.flush();
            return OK;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, header = "Every NVMe controller and namespace on this host.", description = "Every NVMe controller and namespace on this host, from sysfs (/sys/class/nvme) and Identify, sorted by controller and NSID, like nvme list. Needs root to send Identify.",
            footerHeading = "%nExamples:%n", footer = {"  nvmescan list", "  nvmescan list -o json"})
    static final class ListAll implements java.util.concurrent.Callable<Integer> {
        @CommandLine.ParentCommand Nvmescan root;
        @Spec CommandSpec spec;
        @Mixin DeviceOptions device;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut(), err = spec.commandLine().getErr();
            List<String> ctrls = KernelNames.controllers(root.env.sysRoot);
            if (ctrls.isEmpty()) {
                if (device.format == OutputFormat.normal)
                    out.println("No NVMe controllers found (" + root.env.sysRoot.resolve("class/nvme") + " is empty).");
                else
                    device.writer(out).beginObject().name("Devices").beginArray().endArray().endObject().newline();
                out.flush();
                return OK;
            }
            int code = OK;
            JsonWriter w = device.format == OutputFormat.normal ? null : device.writer(out);
            if (w != null && device.format == OutputFormat.json)
                w.beginObject().name("Devices").beginArray();
            else if (w == null)
                out.printf("%-16s %-16s %-20s %-40s %-10s %-12s %-10s %s%n", "Node", "Generic", "SN", "Model",
                        "NSID", "Usage", "Format", "FW Rev");
            for (String ctrl : ctrls) {
                String path = root.env.devRoot.resolve(ctrl).toString();
                NamespaceScanner.Options o = new NamespaceScanner.Options(ScanMode.ORDERED, device.queueDepth, device.timeout, 0);
                try (AdminChannel ch = device.open(path)) {
                    IdentifyController[] id = new IdentifyController[1];
                    ScanListener row = new ScanListener() {
                        @Override
                        public void controller(IdentifyController c) {
                            id[0] = c;
                        }

                        @Override
                        public void published(NamespaceEntry e) {
                            listRow(out, w, device.format, id[0], e);
                        }
                    };
                    ScanSummary s = new NamespaceScanner(ch, o, KernelNames.read(root.env.sysRoot, root.env.devRoot, ctrl),
                            CommandObserver.NONE).scan(row);
                    if (s.failed() > 0 && code == OK)
                        code = FAILED;
                } catch (DeviceException e) {
                    err.println("nvmescan: " + e.getMessage());
                    code = DEVICE;
                } catch (NvmeException e) {
                    err.println("nvmescan: " + Devices.explain(path, e).getMessage());
                    code = DEVICE;
                }
            }
            if (w != null && device.format == OutputFormat.json)
                w.endArray().endObject().newline();
            out.flush();
            return code;
        }

        private static void listRow(PrintWriter out, JsonWriter w, OutputFormat f, IdentifyController c, NamespaceEntry e) {
            String node = e.devices().block().orElse("-"), generic = e.devices().generic().orElse("-");
            if (f == OutputFormat.normal) {
                if (!e.ok()) {
                    out.printf("%-16s %-16s %-20s %-40s %-10s error (%s)%n", node, generic, c.sn(), c.mn(),
                            Integer.toUnsignedString(e.nsid()), e.failure().kind());
                    return;
                }
                IdentifyNamespace.LbaFormat lf = e.namespace().lbaFormat();
                out.printf("%-16s %-16s %-20s %-40s %-10s %-12s %-10s %s%n", node, generic, c.sn(), c.mn(),
                        Integer.toUnsignedString(e.nsid()), ScanOutput.bytes(e.namespace().nuse(), lf.dataSize()),
                        lf.dataSize() + " B + " + lf.ms(), c.fr());
                return;
            }
            w.beginObject().field("DevicePath", node).field("GenericPath", generic).field("SerialNumber", c.sn())
                    .field("ModelNumber", c.mn()).field("Firmware", c.fr())
                    .name("NameSpace").unsigned(Integer.toUnsignedLong(e.nsid()));
            if (e.ok()) {
                IdentifyNamespace.LbaFormat lf = e.namespace().lbaFormat();
                w.name("UsedBytes").unsigned(e.namespace().nuse() * lf.dataSize())
                        .name("PhysicalSize").unsigned(e.namespace().nsze() * lf.dataSize())
                        .field("SectorSize", lf.dataSize());
            } else {
                w.field("Error", e.failure().message());
            }
            w.endObject();
            if (f == OutputFormat.ndjson)
                w.newline();
        }
    }

    @Command(name = "bench", mixinStandardHelpOptions = true, header = "Sequential vs unordered vs ordered scan wall times, with the floor.", description = {"Scans DEVICE sequentially once, then unordered and ordered --repeat times each, alternating, and prints the wall time of each mode (the median of its runs) with ratios, next to the floor RTT x (2 + ceil(namespace commands / queue depth)), RTT being the median of 5 single Identify Controller commands.",
            "Repeating the concurrent modes tells a real difference between them from the noise of a busy machine; every run's time is in the JSON (runs[].samples_ms)."},
            footerHeading = "%nExamples:%n",
            footer = {"  nvmescan bench 'sim:?namespaces=100&latency=150ms'",
                "  nvmescan bench --backend ioctl 'sim:?namespaces=100&latency=2ms'",
                "  nvmescan bench -o json --repeat 5 /dev/nvme0"})
    static final class Bench implements java.util.concurrent.Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin DeviceOptions device;
        @Option(names = "--repeat", paramLabel = "N", defaultValue = "1",
                description = "runs of each concurrent mode, alternating; the median is reported (default: ${DEFAULT-VALUE})")
        int repeat;
        @Parameters(paramLabel = "DEVICE") String path;

        /** The runs of one mode; its wall time is their median. */
        record ModeRuns(ScanMode mode, List<ScanSummary> runs) {
            double medianMs() {
                double[] ms = runs.stream().mapToDouble(Bench::ms).sorted().toArray();
                int h = ms.length / 2;
                return ms.length % 2 == 1 ? ms[h] : (ms[h - 1] + ms[h]) / 2;
            }

            int peakInFlight() {
                return runs.stream().mapToInt(ScanSummary::peakInFlight).max().orElse(0);
            }

            long failed() {
                return runs.stream().mapToLong(ScanSummary::failed).sum();
            }
        }

        @Override
        public Integer call() throws Exception {
            if (repeat < 1)
                throw new CommandLine.ParameterException(spec.commandLine(), "--repeat must be at least 1: " + repeat);
            double rttMs;
            String backend;
            try (AdminChannel ch = device.open(path); Arena arena = Arena.ofConfined()) {
                backend = ch.backend();
                MemorySegment buf = DataBuffers.allocate(arena, DataBuffers.IDENTIFY_SIZE);
                long[] samples = new long[5];
                for (int i = 0; i < samples.length; i++) {
                    long t = System.nanoTime();
                    try {
                        ch.execute(device.command(AdminCommand.identify(AdminCommand.CNS_CONTROLLER, 0, AdminCommand.CSI_NVM)), buf);
                    } catch (NvmeException e) {
                        throw Devices.explain(ch.device(), e);
                    }
                    samples[i] = System.nanoTime() - t;
                }
                java.util.Arrays.sort(samples);
                rttMs = samples[2] / 1e6;
            }
            ModeRuns seq = new ModeRuns(ScanMode.SEQUENTIAL, List.of(scan(ScanMode.SEQUENTIAL)));
            ModeRuns unordered = new ModeRuns(ScanMode.UNORDERED, new ArrayList<>());
            ModeRuns ordered = new ModeRuns(ScanMode.ORDERED, new ArrayList<>());
            for (int i = 0; i < repeat; i++) {
                unordered.runs().add(scan(ScanMode.UNORDERED));
                ordered.runs().add(scan(ScanMode.ORDERED));
            }
            List<ModeRuns> modes = List.of(seq, unordered, ordered);
            ScanSummary last = ordered.runs().getLast();
            long n = last.namespaces();
            long pages = n / NamespaceList.CAPACITY + 1;
            long nsCommands = last.commands() - 1 - pages;
            long floorRounds = 2 + (nsCommands + device.queueDepth - 1) / device.queueDepth;
            double floorMs = rttMs * floorRounds;
            double seqMs = seq.medianMs();
            PrintWriter out = spec.commandLine().getOut();
            if (device.format == OutputFormat.normal) {
                out.printf("%s (%s): %d namespaces, %d commands per scan, queue depth %d%s%n", path, backend, n,
                        last.commands(), device.queueDepth, repeat > 1 ? ", median of " + repeat + " concurrent runs" : "");
                out.printf("%-12s %12s %14s %10s %15s%n", "mode", "wall ms", "vs sequential", "vs floor", "peak in flight");
                for (ModeRuns m : modes)
                    out.printf(Locale.ROOT, "%-12s %12.1f %13.2fx %9.2fx %15d%n", m.mode().name().toLowerCase(Locale.ROOT),
                            m.medianMs(), seqMs / m.medianMs(), m.medianMs() / floorMs, m.peakInFlight());
                out.printf(Locale.ROOT, "floor: RTT %.2f ms x (2 + ceil(%d / %d)) = %.1f ms%n", rttMs, nsCommands,
                        device.queueDepth, floorMs);
            } else {
                JsonWriter w = device.writer(out);
                w.beginObject().field("device", path).field("backend", backend).field("queue_depth", device.queueDepth)
                        .field("namespaces", n).field("commands", last.commands())
                        .name("rtt_ms").value(rttMs);
                w.name("floor_ms").value(floorMs).name("runs").beginArray();
                for (ModeRuns m : modes) {
                    w.beginObject().field("mode", m.mode().name().toLowerCase(Locale.ROOT))
                            .name("wall_ms").value(m.medianMs()).name("vs_sequential").value(seqMs / m.medianMs())
                            .name("vs_floor").value(m.medianMs() / floorMs)
                            .field("peak_in_flight", m.peakInFlight()).field("failed", m.failed())
                            .name("samples_ms").beginArray();
                    for (ScanSummary s : m.runs())
                        w.value(ms(s));
                    w.endArray().endObject();
                }
                w.endArray().endObject().newline();
            }
            out.flush();
            return OK;
        }

        /** One scan of DEVICE in {@code mode}, on its own channel. */
        private ScanSummary scan(ScanMode mode) throws Exception {
            try (AdminChannel ch = device.open(path)) {
                NamespaceScanner.Options o = new NamespaceScanner.Options(mode, device.queueDepth, device.timeout, 0);
                return new NamespaceScanner(ch, o, KernelNames.none(), CommandObserver.NONE).scan(e -> {});
            } catch (NvmeException e) {
                throw Devices.explain(path, e);
            }
        }

        private static double ms(ScanSummary s) {
            return Math.max(1, s.elapsed().toNanos()) / 1e6;
        }
    }
}

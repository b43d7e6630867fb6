package dev.nvmescan.scanner.cli;

import java.io.PrintWriter;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import picocli.CommandLine.Command;
import picocli.CommandLine;

/** The {@code nvmescan} command line. */
@Command(name = "nvmescan", mixinStandardHelpOptions = true, version = "nvmescan 0.1.0",
        description = "Identifies the namespaces of NVMe controllers concurrently and reports them in NSID-list order, with the kernel's device names. DEVICE is a controller (/dev/nvme0) or a simulated one: sim:?namespaces=100&latency=150ms&queue-depth=30 (also nsids=1,10,200-300, fail=NSID:STATUS, vanish=NSID, hang=NSID, zoned=NSID, lba=4096, seed=N, timeout=5s, backend=ioctl|uring), which needs neither hardware nor root.",
        subcommands = {ScanCommand.class, ListCommand.class, IdCtrlCommand.class, IdNsCommand.class,
            ListNsCommand.class, NsDescsCommand.class, BenchCommand.class, NamesCommand.class,
            UdevRulesCommand.class, DiffCommand.class},
        footerHeading = "%nExamples:%n",
        footer = {
            "  nvmescan scan /dev/nvme0                    ordered scan (root)",
            "  nvmescan scan -o json /dev/nvme0 > ns.json  one JSON document",
            "  nvmescan scan 'sim:?namespaces=100&latency=150ms'",
            "  nvmescan bench 'sim:?namespaces=100&latency=150ms'",
            "  nvmescan id-ctrl -o json /dev/nvme0         nvme-cli's JSON keys",
            "  nvmescan list",
            "  nvmescan names                              stable links beside the kernel's names",
            "  nvmescan udev-rules --install               make those links (udev)",
            "  nvmescan diff snapshot.json                 what changed since a scan --all -o json",
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

}

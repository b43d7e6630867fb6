package dev.nvmescan.scanner.cli;

import dev.nvmescan.nativebindings.identify.IdentifyDecodeException;
import dev.nvmescan.scanner.output.OutputFormat;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine;

/** The {@code nvmescan} command line. */
@Command(name = "nvmescan", mixinStandardHelpOptions = true, version = "nvmescan 0.1.0",
        description = {"Identifies the namespaces of NVMe controllers concurrently and reports them in NSID-list order, with the kernel's device names.",
            "",
            "DEVICE is a controller (/dev/nvme0; also /dev/nvme0n1, /dev/ng0n1) or a",
            "simulated controller, which needs neither hardware nor root, such as",
            "  sim:?namespaces=100&latency=150ms",
            "  sim:?nsids=1,10,200-300&latency=10ms..200ms&fail=10:INVALID_NS",
            "with the parameters namespaces=N or nsids=LIST, latency=T or T..T,",
            "queue-depth=N, fail=NSID:STATUS, vanish=NSID, hang=NSID, zoned=NSID,",
            "lba=512|4096, seed=N, timeout=T and backend=ioctl|uring."},
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
        exitCodeList = {"0:all good", "1:some namespaces failed (diff: something drifted)", "2:usage error",
            "3:device could not be opened, is not NVMe, or answered malformed data",
            "4:output could not be written (standard output or --trace: closed pipe, full disk)",
            "130:interrupted (Ctrl-C)", "143:terminated (SIGTERM)"})
public final class Nvmescan {
    static final int OK = 0, FAILED = 1, USAGE = 2, DEVICE = 3, OUTPUT = 4, INTERRUPTED = 130;

    /**
     * The subcommands, in the order the root help lists them. picocli builds a command's model by
     * reflection over its class, mixins and fields, which is most of a one-off run's start-up: a
     * command line that names one of them builds that one alone ({@link #commandLine(CliEnvironment,
     * String...)}).
     */
    private static final List<Class<?>> COMMANDS = List.of(ScanCommand.class, ListCommand.class,
            IdCtrlCommand.class, IdNsCommand.class, ListNsCommand.class, NsDescsCommand.class, BenchCommand.class,
            NamesCommand.class, UdevRulesCommand.class, DiffCommand.class);

    final CliEnvironment env;

    Nvmescan(CliEnvironment env) {
        this.env = env;
    }

    /**
     * Runs the command line. Ctrl-C or SIGTERM cancels a running scan, which still closes its
     * output (up to 10 s); any other command ends at once.
     *
     * <p>It ends with {@link Runtime#halt}, once the output is flushed: the one shutdown hook,
     * {@link #start}'s, has nothing to do after a command has returned, and {@link System#exit}
     * would first look up a {@link System.Logger} for its debug line on Runtime.exit, which makes the
     * JDK look through every module for a logging backend, opening each jar again.
     */
    public static void main(String[] args) {
        int code = start(args);
        if (code >= 0)
            Runtime.getRuntime().halt(code);
    }

    /**
     * start - what {@link #main} does before it exits: the command line on the process's standard
     * output and error, with the shutdown hook that lets a scan close its output on Ctrl-C
     * @return the exit code, or -1 when the JVM is already shutting down (the hook then waits for
     *         the output, and the JVM's exit code is the signal's)
     */
    static int start(String[] args) {
        CliEnvironment env = CliEnvironment.system();
        StandardOutput stdout = new StandardOutput();
        PrintWriter out = StandardOutput.writer(stdout), err = new PrintWriter(System.err, true);
        CountDownLatch finished = new CountDownLatch(1);
        AtomicBoolean shuttingDown = new AtomicBoolean();
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(() -> {
            shuttingDown.set(true);
            if (!env.cancel())
                return;
            try {
                finished.await(10, TimeUnit.SECONDS);   // let the output close its JSON
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        CommandLine cl = commandLine(env, args);
        cl.setOut(out);
        cl.setErr(err);
        int code = written(cl.execute(args), out, err, stdout.failure());
        err.flush();
        finished.countDown();
        return shuttingDown.get() ? -1 : code;
    }

    /**
     * Runs one command line as {@code main} does, on the host's sysfs and /dev, but writing to
     * {@code out} and {@code err} and returning the exit code instead of exiting. For running many
     * commands in one JVM (the QEMU tests batch their checks this way) and for embedding.
     */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = commandLine(CliEnvironment.system(), args);
        cl.setOut(out);
        cl.setErr(err);
        int code = written(cl.execute(args), out, err, null);
        err.flush();
        return code;
    }

    /** A usage error: one line, and where to read more, as nvme-cli and coreutils do. */
    static int usage(CommandLine line, String message) {
        PrintWriter err = line.getErr();
        err.println("nvmescan: " + message);
        err.println("Try '" + line.getCommandSpec().qualifiedName() + " --help' for more information.");
        err.flush();
        return USAGE;
    }

    /**
     * written - the exit code once the output is flushed: {@link #OUTPUT}, with one line, when it
     * could not be written
     * @param why the write error, where known
     */
    static int written(int code, PrintWriter out, PrintWriter err, IOException why) {
        out.flush();
        if (!out.checkError())
            return code;
        err.println("nvmescan: cannot write the output: " + (why != null ? why.getMessage() : "write error"));
        return OUTPUT;
    }

    /** {@return the name of subcommand class {@code c}} */
    private static String name(Class<?> c) {
        String name = CommandModels.name(c);
        return name != null ? name : c.getAnnotation(Command.class).name();
    }

    /** Whether {@code command} was given {@code -o binary} and has no raw structure to write ({@link RawBinary}). */
    private static boolean refusesBinary(CommandSpec command) {
        CommandSpec device = command.mixins().get("device");
        return device != null && device.userObject() instanceof DeviceOptions o && o.format == OutputFormat.binary
                && command.mixins().values().stream().noneMatch(m -> m.userObject() instanceof RawBinary);
    }

    /** The command line over {@code env} with every subcommand, for tests. */
    static CommandLine commandLine(CliEnvironment env) {
        return commandLine(env, COMMANDS);
    }

    /**
     * commandLine - the command line over {@code env} with the subcommands {@code args} need
     *
     * <p>Arguments that start with a subcommand's name get that subcommand alone, a bare
     * {@code --version} none; anything else (the root help, a typo picocli suggests a name for)
     * gets all. Each parses and prints exactly as with all of them.
     */
    static CommandLine commandLine(CliEnvironment env, String... args) {
        if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V")))
            return commandLine(env, List.of());
        if (args.length > 0)
            for (Class<?> c : COMMANDS)
                if (args[0].equals(name(c)))
                    return commandLine(env, List.of(c));
        return commandLine(env, COMMANDS);
    }

    /**
     * The models come from {@link CommandModels}, which the build writes from the annotations
     * (picocli-models): picocli's own reflection over them, annotation proxies and reflective field
     * access, was most of a one-off command's start. A class it has no model for is reflected on.
     */
    private static CommandLine commandLine(CliEnvironment env, List<Class<?>> commands) {
        Nvmescan root = new Nvmescan(env);
        CommandSpec model = CommandModels.model(root);
        CommandLine cl = new CommandLine(model != null ? model : root);
        for (Class<?> c : commands) {
            CommandSpec sub = CommandModels.create(c, root);
            if (sub != null)
                cl.addSubcommand(new CommandLine(sub));
            else
                cl.addSubcommand(c);
        }
        for (CommandLine sub : cl.getSubcommands().values())
            sub.getCommandSpec().version(cl.getCommandSpec().version());   // -V on any of them
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setExecutionStrategy(parse -> {
            Integer help = CommandLine.executeHelpRequest(parse);
            if (help != null)
                return help;
            CommandLine last = parse.asCommandLineList().getLast();
            if (refusesBinary(last.getCommandSpec()))
                return usage(last, "-o binary is for id-ctrl, id-ns and ns-descs (the raw Identify data)");
            return new CommandLine.RunLast().execute(parse);
        });
        cl.setParameterExceptionHandler((e, args) -> usage(e.getCommandLine(), e.getMessage()));
        cl.setExecutionExceptionHandler((e, line, parse) -> {
            PrintWriter err = line.getErr();
            if (e instanceof DeviceException || e instanceof IdentifyDecodeException) {
                err.println("nvmescan: " + e.getMessage());
                return DEVICE;
            }
            if (e instanceof IllegalArgumentException)
                return usage(line, e.getMessage());
            throw e;
        });
        return cl;
    }

}

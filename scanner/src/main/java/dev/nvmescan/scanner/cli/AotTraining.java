package dev.nvmescan.scanner.cli;

/**
 * The run the JDK's AOT cache is trained on, not a user-facing command: {@code libexec/aot-train}
 * starts it under {@code -XX:AOTCacheOutput} at build and install time. One JVM runs the command
 * lines a user's one-off runs are made of, each as {@link Nvmescan#main} runs it but for the exit
 * (their output goes to aot-train's log), so that the cache holds the classes they load and link
 * and the method profiles they gather: picocli's parsing and help, a {@code sim:} scan in each
 * backend's way, the Identify commands, usage errors and failing opens (a file that is not NVMe, a
 * missing one). No real device is touched, whatever the machine has.
 */
public final class AotTraining {
    private static final String SIM = "sim:?namespaces=100&latency=1ms..4ms", SMALL = "sim:?namespaces=4";
    private static final String[][] RUNS = {
        {"--version"},
        {"--help"},
        {"scan", "--help"},
        {"id-ctrl", "--help"},
        {"scan", SIM},
        {"scan", "-o", "json", SIM + "&backend=ioctl"},
        {"scan", "-o", "ndjson", "--mode", "unordered", SIM + "&fail=7:INVALID_NS"},
        {"id-ctrl", SMALL},
        {"id-ctrl", "-o", "json", SMALL},
        {"id-ns", "-n", "1", SMALL},
        {"id-ns", "-o", "json", "-n", "2", SMALL},
        {"list-ns", SMALL},
        {"list-ns", "-o", "json", SMALL},
        {"ns-descs", "-n", "1", SMALL},
        {"id-ctrl", "/dev/null"},
        {"scan", "/dev/null"},
        {"id-ctrl", "/dev/nvme-aot-training-missing"},
        {"id-ctrl"},
        {"frobnicate"},
    };

    private AotTraining() {}

    /** Runs every command line once and exits as {@code nvmescan} does, through System.exit. */
    public static void main(String[] args) {
        for (String[] run : RUNS)
            Nvmescan.start(run);
        System.exit(Nvmescan.OK);
    }
}

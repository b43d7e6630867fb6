package dev.nvmescan.scanner.cli;

import dev.nvmescan.nativebindings.AdminChannel;
import dev.nvmescan.nativebindings.AdminChannels;
import dev.nvmescan.nativebindings.AdminCommand;
import dev.nvmescan.nativebindings.NvmeException;
import dev.nvmescan.scanner.output.JsonWriter;
import dev.nvmescan.scanner.output.OutputFormat;

import java.io.PrintWriter;
import java.time.Duration;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Options every device command takes. */
final class DeviceOptions {
    @Spec(Spec.Target.MIXEE) CommandSpec command;

    @Option(names = {"-o", "--output-format"}, paramLabel = "FORMAT", defaultValue = "normal",
            description = "normal, json, ndjson, or binary: the raw structure (id-ctrl, id-ns,"
                    + " ns-descs) (default: ${DEFAULT-VALUE})")
    OutputFormat format;

    @Option(names = {"-v", "--verbose"}, description = "as nvme-cli's -v: list prints the tree, list-ns"
            + " 'Identifier N: NSID X' lines, id-ctrl and id-ns decode as -H, ns-descs shows each"
            + " descriptor's loc, nidt, nidl; the other commands take it and print nothing more")
    boolean verbose;

    @Option(names = "--backend", paramLabel = "auto|ioctl|uring", defaultValue = "auto",
            description = "how commands reach the controller: io_uring passthrough where the kernel"
                    + " takes it (auto), or the blocking ioctl (default: ${DEFAULT-VALUE})")
    AdminChannels.Backend backend;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "0s", converter = DurationConverter.class,
            description = "per-command timeout: 500ms, 5s, 2m, or milliseconds as nvme-cli takes them (5000);"
                    + " 0 keeps the kernel's (default: ${DEFAULT-VALUE})")
    Duration timeout;

    @Option(names = "--queue-depth", paramLabel = "N", defaultValue = "28",
            description = "admin commands in flight at most (default: ${DEFAULT-VALUE}). io_uring keeps"
                    + " within the controller's admin queue whatever N (28 on fabrics, 30 on PCIe: beyond"
                    + " them Linux fails io_uring commands with EFAULT); the ioctl backend blocks a thread"
                    + " per command, so its scans keep at most 30 in flight")
    int queueDepth;

    /** Opens {@code device} for up to {@code --queue-depth} commands in flight. */
    AdminChannel open(String device) throws DeviceException {
        return open(device, queueDepth);
    }

    /**
     * Opens {@code device} for a command that sends one command at a time (id-ctrl, list-ns, ...):
     * at a queue depth of 1, where {@code --backend auto} takes the ioctl and sets up no ring.
     */
    AdminChannel openForOneAtATime(String device) throws DeviceException {
        return open(device, 1);
    }

    private AdminChannel open(String device, int inFlight) throws DeviceException {
        try {
            return AdminChannels.open(device, channelOptions().withQueueDepth(inFlight));
        } catch (NvmeException e) {
            throw DeviceErrors.explain(device, e);
        }
    }

    /** How channels are opened: backend, queue depth, timeout; notices go to stderr. */
    AdminChannels.Options channelOptions() {
        if (queueDepth < 1 || queueDepth > 4096)
            throw new IllegalArgumentException("--queue-depth must be 1 to 4096: " + queueDepth);
        PrintWriter err = command.commandLine().getErr();
        return new AdminChannels.Options(backend, queueDepth, timeout, false, note -> {
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
            case binary -> throw new IllegalStateException("-o binary is written raw, not through JSON");
        });
    }
}

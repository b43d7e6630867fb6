package dev.nvmescan.scanner.cli;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What the command line takes from its surroundings, so tests can run it in-process: the file
 * system root it finds {@code sys}, {@code dev} and {@code etc} under, controllers it opens as
 * something else (tests: a fake tree's {@code dev/nvme0} opened as a simulated controller), whether
 * stderr is a terminal (progress), and the cancellation hook Ctrl-C fires.
 */
final class CliEnvironment {
    final Path sysRoot, devRoot, etcRoot;
    final boolean stderrIsTerminal;
    private final Map<String, String> channels;
    private final AtomicReference<Runnable> cancel = new AtomicReference<>();
    private volatile boolean cancelled;

    /**
     * @param channels device paths opened as another device, e.g. {@code /tmp/t/dev/nvme0 ->
     *                 sim:?nsids=1,3}
     */
    CliEnvironment(Path root, boolean stderrIsTerminal, Map<String, String> channels) {
        this.sysRoot = root.resolve("sys");
        this.devRoot = root.resolve("dev");
        this.etcRoot = root.resolve("etc");
        this.stderrIsTerminal = stderrIsTerminal;
        this.channels = Map.copyOf(channels);
    }

    static CliEnvironment system() {
        return new CliEnvironment(Path.of("/"), System.console() != null, Map.of());
    }

    /** What to open for {@code device}: itself, unless this environment maps it. */
    String channel(String device) {
        return channels.getOrDefault(device, device);
    }

    /**
     * While a scan runs: what {@link #cancel()} does, the scan's cancel, after which it returns
     * promptly and closes its output. Set back to null when it ends.
     */
    void onCancel(Runnable action) {
        cancel.set(action);
        if (action != null && cancelled)
            action.run();
    }

    /**
     * Ctrl-C, or output that cannot be written: cancels the running scan, or the next one that
     * starts.
     * @return whether a scan was running, which the caller may give time to close its output
     */
    boolean cancel() {
        cancelled = true;
        Runnable r = cancel.get();
        if (r != null)
            r.run();
        return r != null;
    }

    boolean cancelled() {
        return cancelled;
    }
}

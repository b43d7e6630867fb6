package dev.nvmescan.scanner.cli;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What the command line takes from its surroundings, so tests can run it in-process: the sysfs and
 * /dev roots, whether stderr is a terminal (progress), and the cancellation hook Ctrl-C fires.
 */
final class CliEnvironment {
    final Path sysRoot, devRoot;
    final boolean stderrIsTerminal;
    private final AtomicReference<Runnable> cancel = new AtomicReference<>();
    private volatile boolean cancelled;

    CliEnvironment(Path sysRoot, Path devRoot, boolean stderrIsTerminal) {
        this.sysRoot = sysRoot;
        this.devRoot = devRoot;
        this.stderrIsTerminal = stderrIsTerminal;
    }

    static CliEnvironment system() {
        return new CliEnvironment(Path.of("/sys"), Path.of("/dev"), System.console() != null);
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

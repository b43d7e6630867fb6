package dev.nvmescan.scanner.cli;

import dev.nvmescan.nativebindings.AdminChannel;
import dev.nvmescan.nativebindings.NvmeException;
import dev.nvmescan.nativebindings.identify.IdentifyController;
import dev.nvmescan.scanner.NamespaceEntry;
import dev.nvmescan.scanner.ScanSummary;
import dev.nvmescan.scanner.host.HostScan;

import java.io.PrintWriter;

/**
 * The exit status of a command over several controllers, the worst of theirs: 130 when cancelled,
 * else 3 when a controller could not be opened or identified (one line each on stderr, in
 * controller order), else 1 when a namespace failed, else 0.
 */
final class ExitStatus {
    private final PrintWriter err;
    private boolean deviceFailed, namespaceFailed, cancelled;

    ExitStatus(PrintWriter err) {
        this.err = err;
    }

    /** {@code next}, with this status kept and a failed controller's line printed; its failure explained. */
    HostScan.ControllerListener around(String device, HostScan.ControllerListener next) {
        return new HostScan.ControllerListener() {
            @Override
            public void opened(AdminChannel channel) {
                next.opened(channel);
            }

            @Override
            public void controller(IdentifyController c) {
                next.controller(c);
            }

            @Override
            public void published(NamespaceEntry e) {
                next.published(e);
            }

            @Override
            public void alreadyPublished(NamespaceEntry e) {
                next.alreadyPublished(e);
            }

            @Override
            public void finished(ScanSummary s) {
                namespaceFailed |= s.failed() > 0;
                cancelled |= s.cancelled();
                next.finished(s);
            }

            @Override
            public void failed(Exception failure) {
                Exception explained = failure instanceof NvmeException e ? DeviceErrors.explain(device, e)
                        : new DeviceException(device + ": " + failure.getMessage(), failure);
                deviceFailed = true;
                err.println("nvmescan: " + explained.getMessage());
                err.flush();
                next.failed(explained);
            }
        };
    }

    /** The exit code; once every controller ended. */
    int code() {
        return cancelled ? Nvmescan.INTERRUPTED : deviceFailed ? Nvmescan.DEVICE
                : namespaceFailed ? Nvmescan.FAILED : Nvmescan.OK;
    }
}

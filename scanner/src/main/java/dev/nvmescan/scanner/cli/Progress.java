package dev.nvmescan.scanner.cli;

import dev.nvmescan.nativebindings.identify.IdentifyController;
import dev.nvmescan.scanner.NamespaceEntry;
import dev.nvmescan.scanner.ScanListener;

import java.io.PrintWriter;
import java.util.concurrent.atomic.AtomicLong;

/** A count on stderr, redrawn at most ten times a second; only when stderr is a terminal. */
final class Progress {
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

            @Override
            public void endOfRun() {
                next.endOfRun();
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

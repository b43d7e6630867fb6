package dev.nvmescan.scanner.host;

import dev.nvmescan.chain.CompletionChain;
import dev.nvmescan.nativebindings.AdminChannel;
import dev.nvmescan.nativebindings.NvmeException;
import dev.nvmescan.nativebindings.identify.IdentifyController;
import dev.nvmescan.nativebindings.identify.IdentifyDecodeException;
import dev.nvmescan.scanner.CommandObserver;
import dev.nvmescan.scanner.NamespaceEntry;
import dev.nvmescan.scanner.NamespaceScanner;
import dev.nvmescan.scanner.ScanListener;
import dev.nvmescan.scanner.ScanSummary;
import dev.nvmescan.scanner.sysfs.KernelNames;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;

/**
 * Scans several controllers at once and reports them in controller order: the same problem as the
 * namespaces of one controller, one level up. Each controller gets its own channel and its own
 * {@link NamespaceScanner}, so each stays within its own admin-queue budget; the scans run
 * concurrently, so the whole takes about as long as the slowest controller, not their sum. Every
 * controller's results reach its {@link ControllerListener} in NSID-list order, and no listener is
 * called before the listeners of all earlier controllers are done.
 *
 * <p><b>Implementation overview.</b> {@link #run} adds one {@link CompletionChain} link per
 * controller, in controller order, then starts one virtual thread per controller, which opens its
 * channel and scans. While a controller's link is not ready (an earlier controller is still
 * reporting), what its scan publishes is held in memory; as soon as the link is ready, the held
 * results are handed on and later ones go straight through. When its scan ends, the thread waits
 * for its link, hands on what is still held, reports the end ({@link ControllerListener#finished}
 * or {@link ControllerListener#failed}) and completes the link, in a {@code finally}, so a failed
 * controller never stalls the ones after it.
 * <ul>
 * <li>Order: a listener is called only while its controller's link is ready and not completed, and
 * a link is ready only when every earlier one completed, so controllers never interleave; within a
 * controller, the scanner publishes in NSID-list order from one thread at a time.
 * <li>Memory: the first controller not yet done streams; every later one holds its published
 * entries until its turn, so at worst (a slow first controller) the entries of all the other
 * controllers are in memory at once, a few KiB each with their Identify data. Streaming them to
 * a temporary file would bound that; a host's namespace count makes it unnecessary.
 * <li>Multipath: a namespace that an earlier controller already reported, the same head block
 * device reached through another path, is reported once: later controllers pass it to
 * {@link ControllerListener#alreadyPublished}. Only an identified entry claims the head, so a
 * namespace one path fails and another identifies is reported both ways.
 * <li>Cancellation ({@link #cancel}): every scanner is cancelled, and every controller still ends
 * in order, so a listener can close its output cleanly.
 * </ul>
 */
public final class HostScan {

    /** Opens a controller's channel, inside the controller's own thread. */
    @FunctionalInterface
    public interface Opener {
        /**
         * Opens the channel.
         *
         * @return the channel, which the host scan closes
         * @throws NvmeException it could not be opened
         */
        AdminChannel open() throws NvmeException;
    }

    /**
     * One controller to scan.
     *
     * @param device how the user named it ({@code /dev/nvme0}, {@code sim:?...}), for messages
     * @param opener opens its channel
     * @param names  the kernel's names for its namespaces
     */
    public record Target(String device, Opener opener, KernelNames names) {
        /** Checks that every component is there. */
        public Target {
            Objects.requireNonNull(device, "device");
            Objects.requireNonNull(opener, "opener");
            Objects.requireNonNull(names, "names");
        }
    }

    /**
     * Receives one controller's results. Calls for one controller never overlap and never overlap
     * another controller's: all of controller k's calls come after controller k-1's last, with
     * happens-before. For each controller: {@link #opened}, {@link #controller}, then
     * {@link #published} and {@link #alreadyPublished} in NSID-list order, then {@link #finished};
     * or {@link #failed} at any point instead of the rest.
     */
    public interface ControllerListener extends ScanListener {
        /**
         * Its channel is open (and stays open during this call).
         *
         * @param channel the channel
         */
        default void opened(AdminChannel channel) {}

        /**
         * A namespace an earlier controller already reported: the same multipath head, another path.
         *
         * @param entry what this controller found of it
         */
        default void alreadyPublished(NamespaceEntry entry) {}

        /**
         * Its scan ended, completed or cancelled.
         *
         * @param summary how it went
         */
        void finished(ScanSummary summary);

        /**
         * Opening it, Identify Controller or a page of its NSID list failed ({@link NvmeException}),
         * or they were malformed ({@link IdentifyDecodeException}); namespaces published before a
         * failing later page were delivered before this call.
         *
         * @param failure what failed
         */
        void failed(Exception failure);
    }

    private final List<Target> targets;
    private final NamespaceScanner.Options options;
    private final CompletionChain chain = new CompletionChain();
    /** Heads already reported; touched only by the controller whose link is ready. */
    private final Set<String> reported = new HashSet<>();
    private final NamespaceScanner[] scanners;
    private volatile boolean cancelled;

    /**
     * A host scan of {@code targets}, in that order.
     *
     * @param targets the controllers, in the order they are reported
     * @param options how each controller is scanned (its queue depth is each controller's own)
     */
    public HostScan(List<Target> targets, NamespaceScanner.Options options) {
        this.targets = List.copyOf(targets);
        this.options = Objects.requireNonNull(options, "options");
        this.scanners = new NamespaceScanner[this.targets.size()];
    }

    /**
     * Scans every target concurrently and returns once every listener got its last call. May be
     * called once.
     *
     * @param listeners the listener of the k-th target, asked for once, in order, before any scan starts
     * @throws RuntimeException a listener threw (the first such exception; the other controllers
     *                          still ran and reported)
     */
    public void run(IntFunction<? extends ControllerListener> listeners) {
        Relay[] relays = new Relay[targets.size()];
        for (int i = 0; i < relays.length; i++)
            relays[i] = new Relay(chain.add(), Objects.requireNonNull(listeners.apply(i), "listener"));
        AtomicReference<RuntimeException> thrown = new AtomicReference<>();
        try (ExecutorService threads = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("nvmescan-ctrl-", 0).factory())) {
            for (int i = 0; i < relays.length; i++) {
                int k = i;
                threads.execute(() -> {
                    try {
                        scan(k, relays[k]);
                    } catch (RuntimeException e) {
                        thrown.compareAndSet(null, e);
                    }
                });
            }
        }
        if (thrown.get() != null)
            throw thrown.get();
    }

    /** One controller: open, scan, then report its end in its turn; always completes its link. */
    private void scan(int k, Relay relay) {
        Target t = targets.get(k);
        Exception failure = null;
        ScanSummary summary = null;
        AdminChannel channel = null;
        try {
            try {
                channel = t.opener().open();
                relay.opened(channel);
                NamespaceScanner scanner = new NamespaceScanner(channel, options, t.names(), CommandObserver.NONE);
                synchronized (scanners) {
                    scanners[k] = scanner;
                }
                if (cancelled)
                    scanner.cancel();
                summary = scanner.scan(relay);
            } catch (NvmeException | IdentifyDecodeException e) {
                failure = e;
            }
            relay.link.awaitUninterruptibly();
            relay.drain();                              // while the channel is still open
            if (failure != null)
                relay.out.failed(failure);
            else
                relay.out.finished(summary);
        } finally {
            relay.link.complete();                      // before closing: the next controller goes on
            if (channel != null)
                channel.close();
        }
    }

    /** Cancels every scan, from any thread: each controller still reports its end, in order. */
    public void cancel() {
        cancelled = true;
        synchronized (scanners) {
            for (NamespaceScanner s : scanners)
                if (s != null)
                    s.cancel();
        }
    }

    /**
     * Between one scanner and its listener: holds what is published until the controller's turn.
     * Its methods run on the scanner's publishing threads one at a time, and {@link #drain} after the
     * scan on the controller's thread, so {@code held} is never touched by two threads at once.
     */
    private final class Relay implements ScanListener {
        final CompletionChain.Link link;
        final ControllerListener out;
        private final Queue<Runnable> held = new ArrayDeque<>();

        Relay(CompletionChain.Link link, ControllerListener out) {
            this.link = link;
            this.out = out;
        }

        void opened(AdminChannel channel) {
            pass(() -> out.opened(channel));
        }

        @Override
        public void controller(IdentifyController c) {
            pass(() -> out.controller(c));
        }

        @Override
        public void published(NamespaceEntry e) {
            pass(() -> deliver(e));
        }

        private void deliver(NamespaceEntry e) {
            String head = e.devices().paths().isEmpty() ? null : e.devices().block().orElse(null);
            if (head == null || !reported.contains(head)) {
                if (head != null && e.ok())
                    reported.add(head);
                out.published(e);
            } else {
                out.alreadyPublished(e);
            }
        }

        /** Runs {@code call} now when it is this controller's turn, else holds it. */
        private void pass(Runnable call) {
            if (link.isReady()) {
                drain();
                call.run();
            } else {
                held.add(call);
            }
        }

        /** Hands on everything held; only in this controller's turn. */
        void drain() {
            for (Runnable r; (r = held.poll()) != null; )
                r.run();
        }
    }
}

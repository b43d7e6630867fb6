package dev.nvmescan.scanner;

import dev.nvmescan.chain.CompletionChain;
import dev.nvmescan.nativebindings.AdminChannel;
import dev.nvmescan.nativebindings.AdminChannels;
import dev.nvmescan.nativebindings.AdminCommand;
import dev.nvmescan.nativebindings.CommandTimeoutException;
import dev.nvmescan.nativebindings.DataBuffers;
import dev.nvmescan.nativebindings.NativeCallException;
import dev.nvmescan.nativebindings.NvmeException;
import dev.nvmescan.nativebindings.NvmeStatusException;
import dev.nvmescan.nativebindings.identify.IdentifyController;
import dev.nvmescan.nativebindings.identify.IdentifyDecodeException;
import dev.nvmescan.nativebindings.identify.IdentifyNamespace;
import dev.nvmescan.nativebindings.identify.IdentifyZonedNamespace;
import dev.nvmescan.nativebindings.identify.NamespaceIdDescriptors;
import dev.nvmescan.nativebindings.identify.NamespaceList;
import dev.nvmescan.scanner.sysfs.KernelDevices;
import dev.nvmescan.scanner.sysfs.KernelNames;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Scans a controller: Identify Controller, then every page of the Active Namespace ID list, and for
 * each NSID Identify Namespace, its Namespace Identification Descriptor list and, where the command
 * set is ZNS, the ZNS Identify Namespace, publishing one {@link NamespaceEntry} per NSID.
 *
 * <p><b>Implementation overview.</b> The thread calling {@link #scan} is the dispatcher. It pages
 * through the NSID list (Identify CNS 02h after the last NSID of a full page, until a page is not
 * full) and, for each NSID in list order, takes a window permit, adds a {@link CompletionChain} link
 * (ordered mode) and starts a virtual thread. The worker issues its commands through a
 * {@link CommandIssuer}, which bounds the commands in flight by the queue depth and makes sure that
 * bound is reached with blocking (ioctl) channels too; then it awaits its link, publishes, and in a
 * {@code finally} completes the link and returns its window permit. Invariants:
 * <ul>
 * <li>Order: a link is ready only when every earlier link completed, and a worker publishes only
 * while its link is ready and not completed, so publications follow the list order and never overlap.
 * <li>Progress: every link added is completed exactly once, in the worker's {@code finally} (or by the
 * dispatcher when the worker could not be started), on success, failure, exception or cancellation;
 * so one stuck or failed namespace never stalls the ones after it beyond its own command timeout.
 * <li>Failures are data: an NVMe status, a timeout, a zero-filled Identify Namespace (an NSID that
 * vanished after the list was read: NSZE 0), a system call error or malformed data become an error
 * entry published in the namespace's place.
 * <li>Memory: at most {@code window} namespaces are in progress (started, not yet published), a few
 * times the queue depth; with the chain publishing in order and the listener streaming, a scan of any
 * number of namespaces holds O(window) results. The NSID list is read page by page, as dispatched.
 * <li>Cancellation ({@link #cancel}, or interrupting the dispatcher): dispatching stops, workers are
 * interrupted, nothing more is published, and {@link #scan} returns once every worker has ended,
 * so a listener can close its output cleanly right after.
 * </ul>
 * Unordered mode is the same without the chain (publications are serialized by a lock); sequential
 * mode runs each namespace on the dispatcher itself.
 */
public final class NamespaceScanner {

    /**
     * How to scan.
     *
     * @param mode       ordered, unordered or sequential
     * @param queueDepth admin commands in flight at most
     * @param timeout    per-command timeout; {@link Duration#ZERO} leaves the kernel's default
     * @param window     namespaces in progress at most; 0 picks 4 x queue depth
     */
    public record Options(ScanMode mode, int queueDepth, Duration timeout, int window) {
        /** The default in-flight bound, {@link AdminChannels#DEFAULT_QUEUE_DEPTH}. */
        public static final int DEFAULT_QUEUE_DEPTH = AdminChannels.DEFAULT_QUEUE_DEPTH;

        /**
         * Checks the options; a window of 0 becomes 4 x queue depth.
         *
         * @throws IllegalArgumentException a queue depth outside 1 to 4096, a negative timeout or window
         */
        public Options {
            Objects.requireNonNull(mode, "mode");
            Objects.requireNonNull(timeout, "timeout");
            if (queueDepth < 1 || queueDepth > 4096)
                throw new IllegalArgumentException("queue depth must be 1 to 4096: " + queueDepth);
            if (timeout.isNegative())
                throw new IllegalArgumentException("timeout must not be negative: " + timeout);
            if (window < 0)
                throw new IllegalArgumentException("window must not be negative: " + window);
            if (window == 0)
                window = 4 * queueDepth;
        }

        /** {@return ordered, {@link #DEFAULT_QUEUE_DEPTH}, the kernel's timeout, the default window} */
        public static Options defaults() {
            return new Options(ScanMode.ORDERED, DEFAULT_QUEUE_DEPTH, Duration.ZERO, 0);
        }

        /**
         * Another mode.
         *
         * @param m the mode
         * @return these options with mode {@code m}
         */
        public Options withMode(ScanMode m) {
            return new Options(m, queueDepth, timeout, window);
        }
    }

    private final AdminChannel channel;
    private final Options options;
    private final KernelNames names;
    private final CommandObserver observer;
    private final AtomicLong published = new AtomicLong(), failed = new AtomicLong();
    private final AtomicInteger inProgress = new AtomicInteger(), peakInProgress = new AtomicInteger();
    private final ReentrantLock publishLock = new ReentrantLock();
    private volatile boolean cancelled;
    /** Guarded by this: the dispatcher while {@link #scan} runs, so cancel() never interrupts it later. */
    private Thread dispatcher;
    private boolean started, cancelRequested;
    private volatile ExecutorService workers;
    private volatile CommandIssuer issuer;

    /**
     * A scanner of one controller; it runs when {@link #scan} is called.
     *
     * @param channel  the controller's admin channel; the caller closes it after the scan
     * @param options  mode, queue depth, timeout and window
     * @param names    the kernel's names for the namespaces, {@link KernelNames#none()} where there are none
     * @param observer sees every command, {@link CommandObserver#NONE} for none
     */
    public NamespaceScanner(AdminChannel channel, Options options, KernelNames names, CommandObserver observer) {
        this.channel = Objects.requireNonNull(channel, "channel");
        this.options = Objects.requireNonNull(options, "options");
        this.names = Objects.requireNonNull(names, "names");
        this.observer = Objects.requireNonNull(observer, "observer");
    }

    /**
     * Runs the scan, publishing every namespace to {@code listener}. May be called once.
     *
     * @param listener receives the controller, then every namespace
     * @return how the scan went
     * @throws NvmeException Identify Controller or a page of the NSID list failed: there is nothing
     *                       to scan (namespaces published before a failing later page stay published)
     * @throws IdentifyDecodeException the controller's Identify Controller or NSID list is malformed
     * @throws IllegalStateException   the scanner ran already
     */
    public ScanSummary scan(ScanListener listener) throws NvmeException {
        Objects.requireNonNull(listener, "listener");
        synchronized (this) {
            if (started)
                throw new IllegalStateException("a scanner runs once");
            started = true;
            dispatcher = Thread.currentThread();
            if (cancelRequested)
                dispatcher.interrupt();
        }
        long start = System.nanoTime();
        CommandIssuer is = new CommandIssuer(channel, options.queueDepth(), observer);
        issuer = is;
        boolean interrupted = false;
        try (is) {
            try {
                MemorySegment buf = buffer();
                is.issue(command(AdminCommand.identify(AdminCommand.CNS_CONTROLLER, 0, AdminCommand.CSI_NVM)), buf);
                listener.controller(IdentifyController.decode(buf));
                dispatchAll(is, listener);
            } catch (InterruptedException e) {
                cancelled = true;
                interrupted = true;
            }
        } finally {
            synchronized (this) {
                dispatcher = null;
                interrupted |= Thread.interrupted();
                if (interrupted && !cancelRequested)
                    Thread.currentThread().interrupt();   // someone else's interrupt: keep it
            }
        }
        return new ScanSummary(options.mode(), options.queueDepth(), published.get(), failed.get(),
                is.commands(), is.peakInFlight(), Duration.ofNanos(System.nanoTime() - start), cancelled);
    }

    /** Pages through the NSID list, dispatching each NSID; returns when all are published. */
    private void dispatchAll(CommandIssuer is, ScanListener listener) throws NvmeException, InterruptedException {
        boolean sequential = options.mode() == ScanMode.SEQUENTIAL;
        CompletionChain chain = options.mode() == ScanMode.ORDERED ? new CompletionChain() : null;
        Semaphore window = new Semaphore(options.window());
        ExecutorService ws = sequential ? null
                : Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("nvmescan-ns-", 0).factory());
        workers = ws;
        long position = 0;
        try {
            int after = 0;
            for (;;) {
                MemorySegment buf = buffer();
                is.issue(command(AdminCommand.activeNamespaceList(after)), buf);
                NamespaceList page = NamespaceList.decodePage(buf, after);
                for (int nsid : page.nsids()) {
                    long pos = ++position;
                    if (cancelled)
                        throw new InterruptedException();
                    if (sequential) {
                        runNamespace(is, listener, pos, nsid, null, null);
                        continue;
                    }
                    window.acquire();
                    CompletionChain.Link link = chain != null ? chain.add() : null;
                    try {
                        ws.execute(() -> runNamespace(is, listener, pos, nsid, link, window));
                    } catch (RejectedExecutionException e) {   // cancelled meanwhile
                        if (link != null)
                            link.complete();
                        window.release();
                        throw new InterruptedException();
                    }
                }
                if (!page.full() || page.last() == 0xfffffffe)
                    break;
                after = page.last();
            }
        } catch (InterruptedException e) {
            cancelled = true;
            if (ws != null)
                ws.shutdownNow();
            throw e;
        } finally {
            if (ws != null)
                ws.close();                                 // waits for every worker to end
        }
    }

    /** One namespace: identify, await its turn, publish; always completes its link. */
    private void runNamespace(CommandIssuer is, ScanListener listener, long position, int nsid,
                              CompletionChain.Link link, Semaphore window) {
        peakInProgress.accumulateAndGet(inProgress.incrementAndGet(), Math::max);
        try {
            NamespaceEntry entry = identify(is, position, nsid);
            if (link != null)
                link.await();
            publish(listener, entry);
        } catch (InterruptedException e) {
            cancelled = true;                               // only cancellation interrupts a worker
        } finally {
            inProgress.decrementAndGet();
            if (link != null)
                link.complete();
            if (window != null)
                window.release();
        }
    }

    private void publish(ScanListener listener, NamespaceEntry entry) {
        publishLock.lock();
        try {
            if (cancelled)
                return;
            published.incrementAndGet();
            if (!entry.ok())
                failed.incrementAndGet();
            listener.published(entry);
        } finally {
            publishLock.unlock();
        }
    }

    /** Identifies one namespace; failures become an error entry. */
    NamespaceEntry identify(CommandIssuer is, long position, int nsid) throws InterruptedException {
        KernelDevices devices = names.lookup(nsid);
        try {
            MemorySegment buf = buffer();
            is.issue(command(AdminCommand.identify(AdminCommand.CNS_NAMESPACE, nsid, AdminCommand.CSI_NVM)), buf);
            IdentifyNamespace ns = IdentifyNamespace.decode(buf);
            if (ns.nsze() == 0)
                return NamespaceEntry.failed(position, nsid, new NamespaceEntry.Failure("vanished",
                        "NSID " + Integer.toUnsignedString(nsid) + " is listed but not active (Identify"
                                + " Namespace returned NSZE 0): detached or deleted during the scan",
                        Optional.empty()), devices);
            buf = buffer();
            is.issue(command(AdminCommand.identify(AdminCommand.CNS_NS_DESCRIPTORS, nsid, AdminCommand.CSI_NVM)), buf);
            NamespaceIdDescriptors descs = NamespaceIdDescriptors.decode(buf);
            IdentifyZonedNamespace zoned = null;
            if (descs.csi() == AdminCommand.CSI_ZNS) {
                buf = buffer();
                is.issue(command(AdminCommand.identify(AdminCommand.CNS_CSI_NAMESPACE, nsid, AdminCommand.CSI_ZNS)), buf);
                zoned = IdentifyZonedNamespace.decode(buf, ns.lbafs().size());
            }
            return new NamespaceEntry(position, nsid, ns, descs, zoned, null, devices);
        } catch (NvmeException e) {
            return NamespaceEntry.failed(position, nsid, failure(e), devices);
        } catch (IdentifyDecodeException e) {
            return NamespaceEntry.failed(position, nsid, new NamespaceEntry.Failure("decode", e.getMessage(),
                    Optional.empty()), devices);
        } catch (RuntimeException e) {
            return NamespaceEntry.failed(position, nsid, new NamespaceEntry.Failure("internal", e.toString(),
                    Optional.empty()), devices);
        }
    }

    private static NamespaceEntry.Failure failure(NvmeException e) {
        return switch (e) {
            case NvmeStatusException s -> new NamespaceEntry.Failure("status", s.getMessage(), Optional.of(s.status()));
            case CommandTimeoutException t -> new NamespaceEntry.Failure("timeout", t.getMessage(), Optional.empty());
            case NativeCallException n -> new NamespaceEntry.Failure("io", n.getMessage(), Optional.empty());
        };
    }

    private AdminCommand command(AdminCommand c) {
        return options.timeout().isZero() ? c : c.withTimeout(options.timeout());
    }

    /**
     * A 4 KiB buffer that outlives an abandoned command: the garbage collector frees it once neither
     * the worker nor the channel holds it, so a cancelled command never writes into freed memory.
     */
    private static MemorySegment buffer() {
        return DataBuffers.allocate(Arena.ofAuto(), DataBuffers.IDENTIFY_SIZE);
    }

    /**
     * Cancels the scan from any thread: stops dispatching, interrupts the workers, publishes nothing
     * more. {@link #scan} then returns with {@link ScanSummary#cancelled()} set.
     */
    public void cancel() {
        cancelled = true;
        synchronized (this) {
            cancelRequested = true;
            if (dispatcher != null)
                dispatcher.interrupt();
        }
        ExecutorService ws = workers;
        if (ws != null)
            ws.shutdownNow();
    }

    /** {@return the most namespaces that were in progress (started, not yet published) at once} */
    public int peakInProgress() {
        return peakInProgress.get();
    }

    /** {@return how the commands wait on this channel, for messages: {@code platform pool} or {@code async submit}} */
    public String strategy() {
        CommandIssuer is = issuer;
        return is != null ? is.strategy() : channel.pinsCarrier() ? "platform pool" : "async submit";
    }
}

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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
 * <p><b>Implementation overview.</b> The thread calling {@link #scan} is the dispatcher. It reads
 * Identify Controller and the first page of the NSID list at once (Identify CNS 02h; each next page
 * starts after the last NSID of a full one, until a page is not full), and reads each next page
 * while it dispatches the current one. For each NSID in list order it takes a window permit, then
 * a place in line for a queue slot from a {@link CommandIssuer} (which bounds the commands in flight
 * by the queue depth, reaches that bound with blocking ioctl channels too, and grants slots in line
 * order, handing a freed one straight to the next place), adds a {@link CompletionChain} link
 * (ordered mode) and starts a virtual thread. The worker awaits its slot and issues its 2 or 3
 * dependent commands through it, so a namespace's next command never queues behind later
 * namespaces' first ones and namespaces finish close to list order; then it gives the slot back
 * and completes its link with a turn ({@link CompletionChain.Link#complete(CompletionChain.InTurn)})
 * that publishes its entry and returns its window permit. Nobody waits for a turn: the worker that
 * completes the oldest pending link publishes it and the run of successors that finished already,
 * and ends the run ({@link ScanListener#endOfRun}) where the chain says no finished successor
 * follows. Invariants:
 * <ul>
 * <li>Order: turns run in link order, one at a time, each happening-before the next, so
 * publications follow the list order and never overlap.
 * <li>Progress: every link added is completed exactly once, in the worker's {@code finally} (or by the
 * dispatcher when the worker could not be started), on success, failure, exception or cancellation;
 * so one stuck or failed namespace never stalls the ones after it beyond its own command timeout.
 * Every place in line ends there too: its slot closed (and handed on once its last command
 * completed), or, never granted, given up.
 * <li>Failures are data: an NVMe status, a timeout, a zero-filled Identify Namespace (an NSID that
 * vanished after the list was read: NSZE 0), a system call error, malformed data, an exception from
 * the kernel-name lookup or from the worker itself, and an exception from the listener's
 * {@code published} become an error entry published in the namespace's place.
 * <li>Memory: at most {@code window} namespaces are in progress (started, not yet published), a few
 * times the queue depth; with the chain publishing in order and the listener streaming, a scan of any
 * number of namespaces holds O(window) results. The NSID list is read one page ahead of dispatch.
 * <li>Cancellation ({@link #cancel}, or interrupting the dispatcher): dispatching stops, workers are
 * interrupted, the listener is called no more, and {@link #scan} returns once every worker has
 * ended, so a listener can close its output cleanly right after.
 * </ul>
 * Unordered mode is the same without the chain: a worker publishes under a lock, one namespace per
 * run. Sequential mode runs everything on the dispatcher, one command at a time.
 */
public final class NamespaceScanner {

    /**
     * How to scan.
     *
     * @param mode       ordered, unordered or sequential
     * @param queueDepth admin commands in flight at most; on a channel that blocks a thread per
     *                   command (the ioctl) at most 30, what a Linux admin queue takes
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
    /** Written by publications only, which never overlap; read after every worker ended. */
    private volatile long firstPublished, lastPublished;
    /** A publication since the last end of run; touched by publications only. */
    private boolean runOpen;
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
                if (options.mode() == ScanMode.SEQUENTIAL)
                    scanSequentially(is, listener);
                else
                    scanConcurrently(is, listener);
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
        long n = published.get();
        ScanSummary.Timeline timeline = new ScanSummary.Timeline(since(start, n > 0, firstPublished),
                since(start, is.commands() > 0, is.lastDoneNanos()), since(start, n > 0, lastPublished));
        return new ScanSummary(options.mode(), is.depth(), n, failed.get(), is.commands(), is.peakInFlight(),
                Duration.ofNanos(System.nanoTime() - start), cancelled, timeline);
    }

    private static Duration since(long start, boolean happened, long nanos) {
        return happened ? Duration.ofNanos(Math.max(0, nanos - start)) : Duration.ZERO;
    }

    /** One command at a time, all on the dispatcher. */
    private void scanSequentially(CommandIssuer is, ScanListener listener) throws NvmeException, InterruptedException {
        listener.controller(identifyController(is));
        long position = 0;
        for (NamespaceList page = readPage(is, 0); ; page = readPage(is, page.last())) {
            for (int nsid : page.nsids()) {
                if (cancelled)
                    throw new InterruptedException();
                NamespaceEntry entry;
                try (CommandIssuer.Slot slot = is.enqueue().await()) {
                    entry = identify(slot, ++position, nsid);
                }
                publish(listener, entry);
                endRun(listener);
            }
            if (lastPage(page))
                return;
        }
    }

    /**
     * Identify Controller and the first NSID-list page at once, then each NSID dispatched in list
     * order while the next page is read; returns when all are published.
     */
    private void scanConcurrently(CommandIssuer is, ScanListener listener) throws NvmeException, InterruptedException {
        CompletionChain chain = options.mode() == ScanMode.ORDERED ? new CompletionChain() : null;
        Semaphore window = new Semaphore(options.window());
        ExecutorService ws = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("nvmescan-ns-", 0).factory());
        workers = ws;
        try {
            Future<IdentifyController> controller = ws.submit(() -> identifyController(is));
            Future<NamespaceList> next = ws.submit(() -> readPage(is, 0));
            listener.controller(await(controller));
            long position = 0;
            for (NamespaceList page = await(next); ; page = await(next)) {
                int after = page.last();
                next = lastPage(page) ? null : ws.submit(() -> readPage(is, after));
                for (int nsid : page.nsids()) {
                    if (cancelled)
                        throw new InterruptedException();
                    dispatch(is, listener, ws, chain, window, ++position, nsid);
                }
                if (next == null)
                    return;
            }
        } catch (InterruptedException e) {
            cancelled = true;
            ws.shutdownNow();
            throw e;
        } finally {
            ws.close();                                 // waits for every worker to end
        }
    }

    /** Takes a window permit and a place in line for a queue slot, in list order, and starts the namespace's worker. */
    private void dispatch(CommandIssuer is, ScanListener listener, ExecutorService ws, CompletionChain chain,
                          Semaphore window, long position, int nsid) throws InterruptedException {
        window.acquire();
        CommandIssuer.Place place = is.enqueue();
        CompletionChain.Link link = chain != null ? chain.add() : null;
        try {
            ws.execute(() -> runNamespace(listener, place, position, nsid, link, window));
        } catch (RejectedExecutionException e) {        // cancelled meanwhile
            place.leave();
            if (link != null)
                link.complete();
            window.release();
            throw new InterruptedException();
        }
    }

    /** One namespace: await its slot, identify through it, then publish in turn; always completes its link. */
    private void runNamespace(ScanListener listener, CommandIssuer.Place place, long position, int nsid,
                              CompletionChain.Link link, Semaphore window) {
        peakInProgress.accumulateAndGet(inProgress.incrementAndGet(), Math::max);
        NamespaceEntry entry = null;
        CommandIssuer.Slot slot = null;
        try {
            slot = place.await();
            entry = identify(slot, position, nsid);
        } catch (InterruptedException e) {
            cancelled = true;                               // only cancellation interrupts a worker
        } catch (Error e) {                                 // a defect still takes the namespace's place
            entry = NamespaceEntry.failed(position, nsid, internal(e), KernelDevices.NONE);
        } finally {
            if (slot != null)
                slot.close();
            NamespaceEntry done = entry;
            if (link != null) {
                link.complete(more -> {
                    try {
                        if (done != null)
                            publish(listener, done);
                        if (!more)
                            endRun(listener);
                    } finally {
                        finish(window);
                    }
                });
            } else {
                publishLock.lock();
                try {
                    if (done != null)
                        publish(listener, done);
                    endRun(listener);
                } finally {
                    publishLock.unlock();
                    finish(window);
                }
            }
        }
    }

    private void finish(Semaphore window) {
        inProgress.decrementAndGet();
        window.release();
    }

    /** Hands one entry to the listener, unless cancelled; what the listener throws becomes an error entry. */
    private void publish(ScanListener listener, NamespaceEntry entry) {
        if (cancelled)
            return;
        try {
            listener.published(entry);
        } catch (RuntimeException e) {
            entry = NamespaceEntry.failed(entry.position(), entry.nsid(), new NamespaceEntry.Failure("internal",
                    "publishing it failed: " + e, Optional.empty()), entry.devices());
            try {
                listener.published(entry);
            } catch (RuntimeException again) {
                // the listener refuses the error entry too: it stays counted as failed
            }
        }
        long now = System.nanoTime();
        if (published.getAndIncrement() == 0)
            firstPublished = now;
        lastPublished = now;
        if (!entry.ok())
            failed.incrementAndGet();
        runOpen = true;
    }

    /** Ends the open run, if any, unless cancelled. */
    private void endRun(ScanListener listener) {
        if (!runOpen || cancelled)
            return;
        runOpen = false;
        try {
            listener.endOfRun();
        } catch (RuntimeException e) {
            // no namespace left to report it in (see ScanListener#endOfRun)
        }
    }

    private IdentifyController identifyController(CommandIssuer is) throws NvmeException, InterruptedException {
        MemorySegment buf = buffer();
        is.issue(command(AdminCommand.identify(AdminCommand.CNS_CONTROLLER, 0, AdminCommand.CSI_NVM)), buf);
        return IdentifyController.decode(buf);
    }

    /** The page of the Active Namespace ID list after NSID {@code after}. */
    private NamespaceList readPage(CommandIssuer is, int after) throws NvmeException, InterruptedException {
        MemorySegment buf = buffer();
        is.issue(command(AdminCommand.activeNamespaceList(after)), buf);
        return NamespaceList.decodePage(buf, after);
    }

    private static boolean lastPage(NamespaceList page) {
        return !page.full() || page.last() == 0xfffffffe;
    }

    /** A read started on a worker: its result, or what it threw. */
    private static <T> T await(Future<T> read) throws NvmeException, InterruptedException {
        try {
            return read.get();
        } catch (ExecutionException e) {
            switch (e.getCause()) {
                case NvmeException n -> throw n;
                case InterruptedException i -> throw i;
                case RuntimeException r -> throw r;
                case Error r -> throw r;
                case Throwable t -> throw new IllegalStateException(t);
            }
        }
    }

    /** Identifies one namespace through its slot; failures become an error entry. */
    NamespaceEntry identify(CommandIssuer.Slot slot, long position, int nsid) throws InterruptedException {
        KernelDevices devices;
        try {
            devices = names.lookup(nsid);
        } catch (RuntimeException e) {
            return NamespaceEntry.failed(position, nsid, new NamespaceEntry.Failure("internal",
                    "looking up its kernel devices failed: " + e, Optional.empty()), KernelDevices.NONE);
        }
        try {
            MemorySegment buf = buffer();
            slot.issue(command(AdminCommand.identify(AdminCommand.CNS_NAMESPACE, nsid, AdminCommand.CSI_NVM)), buf);
            IdentifyNamespace ns = IdentifyNamespace.decode(buf);
            if (ns.nsze() == 0)
                return NamespaceEntry.failed(position, nsid, new NamespaceEntry.Failure("vanished",
                        "NSID " + Integer.toUnsignedString(nsid) + " is listed but not active (Identify"
                                + " Namespace returned NSZE 0): detached or deleted during the scan",
                        Optional.empty()), devices);
            buf = buffer();
            slot.issue(command(AdminCommand.identify(AdminCommand.CNS_NS_DESCRIPTORS, nsid, AdminCommand.CSI_NVM)), buf);
            NamespaceIdDescriptors descs = NamespaceIdDescriptors.decode(buf);
            IdentifyZonedNamespace zoned = null;
            if (descs.csi() == AdminCommand.CSI_ZNS) {
                buf = buffer();
                slot.issue(command(AdminCommand.identify(AdminCommand.CNS_CSI_NAMESPACE, nsid, AdminCommand.CSI_ZNS)), buf);
                zoned = IdentifyZonedNamespace.decode(buf, ns.lbafs().size());
            }
            return new NamespaceEntry(position, nsid, ns, descs, zoned, null, devices);
        } catch (NvmeException e) {
            return NamespaceEntry.failed(position, nsid, failure(e), devices);
        } catch (IdentifyDecodeException e) {
            return NamespaceEntry.failed(position, nsid, new NamespaceEntry.Failure("decode", e.getMessage(),
                    Optional.empty()), devices);
        } catch (RuntimeException e) {
            return NamespaceEntry.failed(position, nsid, internal(e), devices);
        }
    }

    private static NamespaceEntry.Failure internal(Throwable e) {
        return new NamespaceEntry.Failure("internal", e.toString(), Optional.empty());
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

package dev.nvmescan.nativebindings.sim;

import dev.nvmescan.nativebindings.AdminChannel;
import dev.nvmescan.nativebindings.AdminCommand;
import dev.nvmescan.nativebindings.AdminOpcode;
import dev.nvmescan.nativebindings.CommandTimeoutException;
import dev.nvmescan.nativebindings.Errno;
import dev.nvmescan.nativebindings.NativeCallException;
import dev.nvmescan.nativebindings.NvmeException;
import dev.nvmescan.nativebindings.NvmeStatus;
import dev.nvmescan.nativebindings.NvmeStatusException;
import dev.nvmescan.nativebindings.linux.NativeSleep;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An NVMe controller in memory, behind the same {@link AdminChannel} as a real one: it answers
 * Identify with real, encoded data structures (see {@link SimulatedDevice}), takes a configurable
 * time per command, bounds the commands in flight by its admin queue depth, and injects faults.
 * Build one with {@link #builder()} or from a device spec with {@link #parseSpec(String)}
 * ({@code sim:?namespaces=100&latency=150ms&queue-depth=30}).
 *
 * <p><b>Implementation overview.</b> A command first takes a slot of {@link #maxInFlight()} (a
 * semaphore; callers beyond the queue depth wait), is counted in {@link #inFlight()} (whose maximum
 * is kept in {@link #peakInFlight()}), is answered by the device model, then waits its latency, and
 * finally releases its slot before its result is delivered, so whatever the result triggers finds the
 * slot free. The two paths wait as the real backends do:
 * <ul>
 * <li>{@link #submit} completes from one timer thread, like io_uring's completion thread: the caller
 * never waits beyond taking a slot. Callbacks run on the timer thread; a submission made from one
 * when no slot is free is handed to a virtual thread, because the timer thread must not wait for a
 * slot only it can free.
 * <li>{@link #execute} in {@link Mode#IOCTL} sleeps in {@code nanosleep(2)} through FFM, so a virtual
 * thread keeps its carrier for the whole command, exactly as in a passthrough ioctl; in
 * {@link Mode#URING} it is {@code submit(...).join()}, which unmounts a virtual thread.
 * </ul>
 * Latency is either fixed or drawn uniformly from a range by a hash of the seed and the command, so a
 * given command always takes the same time whatever the interleaving. A command whose latency
 * reaches its timeout, or that hangs by injection, fails with {@link CommandTimeoutException} after
 * the timeout: the command's own, else {@link Builder#defaultTimeout} (60 s, Linux's admin timeout).
 * Closing fails commands still waiting on the timer with ECANCELED; later commands fail with EBADF.
 */
public final class SimulatedController implements AdminChannel {

    /** Which path {@link #execute} takes. */
    public enum Mode {
        /** Blocking native sleep: pins a virtual thread's carrier like an ioctl. */
        IOCTL,
        /** {@code submit(...).join()}: parks a virtual thread like waiting on io_uring. */
        URING
    }

    private final String device;
    private final Mode mode;
    private final SimulatedDevice model;
    private final int maxInFlight;
    private final Semaphore slots;
    private final long minLatencyNanos, latencySpanNanos, seed;
    private final Duration defaultTimeout;
    private final ScheduledThreadPoolExecutor timer;
    private final Thread timerThread;
    private final Set<Pending> pending = ConcurrentHashMap.newKeySet();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger peakInFlight = new AtomicInteger();
    private final AtomicLong commands = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();

    private SimulatedController(Builder b) {
        this.device = b.device;
        this.mode = b.mode;
        this.maxInFlight = b.queueDepth;
        this.slots = new Semaphore(b.queueDepth);
        this.minLatencyNanos = b.minLatency.toNanos();
        this.latencySpanNanos = b.maxLatency.toNanos() - minLatencyNanos;
        this.seed = b.seed;
        this.defaultTimeout = b.defaultTimeout;
        this.model = new SimulatedDevice(b.nsids, b.lbaDataSize, b.failures, b.vanished, b.hung, b.zoned,
                b.queueDepth);
        Thread[] created = new Thread[1];
        this.timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = Thread.ofPlatform().daemon().name("nvmescan-sim-timer").unstarted(r);
            created[0] = t;
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
        timer.prestartCoreThread();
        this.timerThread = created[0];
    }

    /** {@return a builder with defaults: NSIDs 1 to 8, 512-byte blocks, no latency, queue depth 31, URING} */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder configured from a device spec such as
     * {@code sim:?namespaces=100&latency=10ms..200ms&queue-depth=30&fail=7:0x4002}; see
     * {@link SimulatedSpec} for every parameter.
     *
     * @param spec the spec, {@code sim:} and an optional {@code ?query}
     * @return the builder, ready to {@link Builder#build()}
     * @throws IllegalArgumentException the spec is malformed; the message names the bad parameter
     */
    public static Builder parseSpec(String spec) {
        return SimulatedSpec.parse(spec);
    }

    /**
     * Tells a simulator spec from a device path.
     *
     * @param device a device as {@link dev.nvmescan.nativebindings.AdminChannels#open(String)} takes it
     * @return whether {@code device} names the simulator ({@code sim:...}) rather than a path
     */
    public static boolean isSpec(String device) {
        return device.startsWith(SimulatedSpec.PREFIX);
    }

    @Override
    public int execute(AdminCommand command, MemorySegment data) throws NvmeException {
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(data, "data");
        AdminOpcode.requireAllowed(device, command, false);
        if (mode == Mode.URING)
            return executeBySubmit(command, data);
        if (closed.get())
            throw new NativeCallException("sim", device, Errno.EBADF);
        slots.acquireUninterruptibly();
        enter();
        try {
            SimulatedDevice.Outcome outcome = model.answer(command);
            Duration timeout = timeout(command);
            long latency = latencyNanos(command);
            if (outcome.hangs() || latency >= timeout.toNanos()) {
                NativeSleep.sleep(timeout, device);
                throw new CommandTimeoutException(device, command, timeout);
            }
            NativeSleep.sleep(Duration.ofNanos(latency), device);
            return deliver(command, outcome, data);
        } finally {
            leave();
        }
    }

    private int executeBySubmit(AdminCommand command, MemorySegment data) throws NvmeException {
        if (Thread.currentThread() == timerThread)
            throw new IllegalStateException(device + ": execute() in a completion callback would wait for"
                    + " itself; use submit()");
        SimulatedDevice.Outcome outcome;
        try {
            outcome = schedule(command).join();
        } catch (CompletionException e) {
            throw NvmeException.propagate(e.getCause());
        }
        return deliver(command, outcome, data);
    }

    /**
     * {@inheritDoc}
     * <p>{@code data} must be accessible from the timer thread (a shared, automatic or global arena),
     * which copies the result into it before completing the future.
     * @throws IllegalArgumentException {@code data} is confined to a thread
     */
    @Override
    public CompletableFuture<Integer> submit(AdminCommand command, MemorySegment data) {
        Objects.requireNonNull(command, "command");
        AdminOpcode.requireAllowed(device, command, false);
        if (!data.isAccessibleBy(timerThread))
            throw new IllegalArgumentException(device + ": submit() needs a data segment the timer thread"
                    + " can access (shared, automatic or global arena); a confined one works with execute()");
        return schedule(command).thenApply(outcome -> {
            try {
                return deliver(command, outcome, data);
            } catch (NvmeException e) {
                throw new CompletionException(e);
            }
        });
    }

    /** Takes a slot and schedules the command's completion on the timer. */
    private CompletableFuture<SimulatedDevice.Outcome> schedule(AdminCommand command) {
        if (closed.get())
            return CompletableFuture.failedFuture(new NativeCallException("sim", device, Errno.EBADF));
        if (Thread.currentThread() == timerThread && !slots.tryAcquire()) {
            CompletableFuture<SimulatedDevice.Outcome> handOff = new CompletableFuture<>();
            Thread.ofVirtual().name("nvmescan-sim submit").start(() -> schedule(command).whenComplete((o, e) -> {
                if (e != null)
                    handOff.completeExceptionally(e);
                else
                    handOff.complete(o);
            }));
            return handOff;
        }
        if (Thread.currentThread() != timerThread)
            slots.acquireUninterruptibly();
        enter();
        Pending p = new Pending();
        SimulatedDevice.Outcome outcome = model.answer(command);
        Duration timeout = timeout(command);
        long latency = latencyNanos(command);
        pending.add(p);
        try {
            if (outcome.hangs() || latency >= timeout.toNanos())
                timer.schedule(() -> p.fail(new CommandTimeoutException(device, command, timeout)),
                        timeout.toNanos(), TimeUnit.NANOSECONDS);
            else
                timer.schedule(() -> p.complete(outcome), latency, TimeUnit.NANOSECONDS);
        } catch (RuntimeException rejected) {   // closed meanwhile: the timer is shut down
            p.fail(new NativeCallException("sim", device, Errno.ECANCELED));
        }
        return p.result;
    }

    /** A command waiting on the timer; finishes exactly once, by its timer task or by close(). */
    private final class Pending {
        final CompletableFuture<SimulatedDevice.Outcome> result = new CompletableFuture<>();
        private final AtomicBoolean done = new AtomicBoolean();

        void complete(SimulatedDevice.Outcome outcome) {
            if (finish())
                result.complete(outcome);
        }

        void fail(NvmeException e) {
            if (finish())
                result.completeExceptionally(e);
        }

        private boolean finish() {
            if (!done.compareAndSet(false, true))
                return false;
            pending.remove(this);
            leave();
            return true;
        }
    }

    /** Copies the outcome's data into {@code data} or throws its status; returns dword 0. */
    private int deliver(AdminCommand command, SimulatedDevice.Outcome outcome, MemorySegment data)
            throws NvmeException {
        if (outcome.status() != null)
            throw new NvmeStatusException(device, command, outcome.status());
        byte[] bytes = outcome.data();
        if (bytes != null) {
            if (data.byteSize() < bytes.length)
                throw new NativeCallException("sim", device, Errno.EINVAL);
            MemorySegment.copy(bytes, 0, data, ValueLayout.JAVA_BYTE, 0, bytes.length);
        }
        return 0;
    }

    private void enter() {
        commands.incrementAndGet();
        int now = inFlight.incrementAndGet();
        peakInFlight.accumulateAndGet(now, Math::max);
    }

    private void leave() {
        inFlight.decrementAndGet();
        slots.release();
    }

    private Duration timeout(AdminCommand command) {
        return command.timeout().isZero() ? defaultTimeout : command.timeout();
    }

    /** The command's latency: fixed, or uniform in the range by a hash of seed and command. */
    private long latencyNanos(AdminCommand command) {
        if (latencySpanNanos == 0)
            return minLatencyNanos;
        long h = seed;
        h = mix(h ^ command.opcode());
        h = mix(h ^ Integer.toUnsignedLong(command.nsid()));
        h = mix(h ^ Integer.toUnsignedLong(command.cdw10()));
        h = mix(h ^ Integer.toUnsignedLong(command.cdw11()));
        return minLatencyNanos + Long.remainderUnsigned(h, latencySpanNanos + 1);
    }

    /** SplitMix64's finaliser. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    @Override
    public int maxInFlight() {
        return maxInFlight;
    }

    @Override
    public String device() {
        return device;
    }

    @Override
    public String backend() {
        return "sim";
    }

    /** {@return the path {@link #execute} takes} */
    public Mode mode() {
        return mode;
    }

    /** {@inheritDoc} <p>In {@link Mode#IOCTL}: it sleeps in {@code nanosleep(2)}. */
    @Override
    public boolean pinsCarrier() {
        return mode == Mode.IOCTL;
    }

    /** {@return the commands in flight now: holding a slot, not yet completed} */
    public int inFlight() {
        return inFlight.get();
    }

    /** {@return the most commands ever in flight at once} */
    public int peakInFlight() {
        return peakInFlight.get();
    }

    /** {@return the commands accepted so far (each took a slot)} */
    public long commands() {
        return commands.get();
    }

    /** {@return how many active namespaces the controller has} */
    public int namespaceCount() {
        return model.namespaceCount();
    }

    /** Fails commands waiting on the timer with ECANCELED and stops the timer. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true))
            return;
        timer.shutdownNow();
        for (Pending p : pending)
            p.fail(new NativeCallException("sim", device, Errno.ECANCELED));
    }

    /** Configuration of a {@link SimulatedController}; not thread-safe. */
    public static final class Builder {
        private String device = SimulatedSpec.PREFIX;
        private Mode mode = Mode.URING;
        private int[] nsids = range(1, 8);
        private int lbaDataSize = 512;
        private Duration minLatency = Duration.ZERO, maxLatency = Duration.ZERO;
        private long seed = 1;
        private int queueDepth = 31;
        private Duration defaultTimeout = Duration.ofSeconds(60);
        private final Map<Integer, NvmeStatus> failures = new HashMap<>();
        private final Set<Integer> vanished = new HashSet<>(), hung = new HashSet<>(), zoned = new HashSet<>();

        Builder() {}

        /**
         * The name {@link SimulatedController#device()} reports, e.g. the spec it was parsed from.
         *
         * @param device the name
         * @return this builder
         */
        public Builder device(String device) {
            this.device = Objects.requireNonNull(device, "device");
            return this;
        }

        /**
         * The path {@link SimulatedController#execute} takes; {@link Mode#URING} by default.
         *
         * @param mode the path
         * @return this builder
         */
        public Builder mode(Mode mode) {
            this.mode = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /**
         * Active NSIDs 1 to {@code count}.
         *
         * @param count the number of namespaces, 0 or more
         * @return this builder
         */
        public Builder namespaces(int count) {
            if (count < 0)
                throw new IllegalArgumentException("namespace count must not be negative: " + count);
            this.nsids = range(1, count);
            return this;
        }

        /**
         * The active NSIDs; the controller lists them in increasing order.
         *
         * @param nsids any order, no duplicates, each 1 to FFFFFFFEh (unsigned)
         * @return this builder
         */
        public Builder nsids(int... nsids) {
            int[] sorted = nsids.clone();
            for (int i = 0; i < sorted.length; i++)
                sorted[i] ^= Integer.MIN_VALUE;           // unsigned order through signed sort
            Arrays.sort(sorted);
            for (int i = 0; i < sorted.length; i++) {
                sorted[i] ^= Integer.MIN_VALUE;
                if (sorted[i] == 0 || sorted[i] == 0xffffffff)
                    throw new IllegalArgumentException("not a valid NSID: " + Integer.toUnsignedString(sorted[i]));
                if (i > 0 && sorted[i] == sorted[i - 1])
                    throw new IllegalArgumentException("NSID listed twice: " + Integer.toUnsignedString(sorted[i]));
            }
            this.nsids = sorted;
            return this;
        }

        /**
         * The LBA format in use; both are offered.
         *
         * @param bytes 512 or 4096
         * @return this builder
         */
        public Builder lbaDataSize(int bytes) {
            if (bytes != 512 && bytes != 4096)
                throw new IllegalArgumentException("LBA data size must be 512 or 4096: " + bytes);
            this.lbaDataSize = bytes;
            return this;
        }

        /**
         * A fixed latency per command.
         *
         * @param latency the time every command takes, zero or more
         * @return this builder
         */
        public Builder latency(Duration latency) {
            return latency(latency, latency);
        }

        /**
         * A latency drawn uniformly from {@code min} to {@code max} per command (see {@link #seed}).
         *
         * @param min the shortest, zero or more
         * @param max the longest, {@code min} or more
         * @return this builder
         */
        public Builder latency(Duration min, Duration max) {
            if (min.isNegative() || max.compareTo(min) < 0 || max.compareTo(AdminCommand.MAX_TIMEOUT) > 0)
                throw new IllegalArgumentException("latency range must be 0 <= min <= max <= 4294967295 ms: "
                        + nanos(min) + ".." + nanos(max));
            this.minLatency = min;
            this.maxLatency = max;
            return this;
        }

        /**
         * The seed of the latency draw; 1 by default. With the same seed, a command always takes the
         * same time.
         *
         * @param seed the seed
         * @return this builder
         */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** A duration for messages, in the spec's own units: {@code 1500us}, {@code 20ms}. */
        private static String nanos(Duration d) {
            long ns = d.toNanos();
            return ns % 1_000_000 == 0 ? ns / 1_000_000 + "ms" : ns % 1000 == 0 ? ns / 1000 + "us" : ns + "ns";
        }

        /**
         * The admin queue depth: commands in flight at most; more wait for a slot.
         *
         * @param depth 1 to 65536
         * @return this builder
         */
        public Builder queueDepth(int depth) {
            if (depth < 1 || depth > 65536)
                throw new IllegalArgumentException("queue depth must be 1 to 65536: " + depth);
            this.queueDepth = depth;
            return this;
        }

        /**
         * The timeout of commands that carry none ({@link Duration#ZERO}); 60 s by default.
         *
         * @param timeout positive
         * @return this builder
         */
        public Builder defaultTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(AdminCommand.MAX_TIMEOUT) > 0)
                throw new IllegalArgumentException("default timeout must be above 0 and at most 4294967295 ms: "
                        + nanos(timeout));
            this.defaultTimeout = timeout;
            return this;
        }

        /**
         * Namespace-scoped Identify of {@code nsid} (0: controller-scoped Identify) fails with {@code status}.
         *
         * @param nsid   an active namespace, or 0
         * @param status a failure status, not Successful Completion
         * @return this builder
         */
        public Builder fail(int nsid, NvmeStatus status) {
            if (status.raw() == 0)
                throw new IllegalArgumentException("an injected status must not be Successful Completion");
            failures.put(nsid, status);
            return this;
        }

        /**
         * {@code nsid} stays listed but its Identify returns zero-filled data.
         *
         * @param nsid an active namespace
         * @return this builder
         */
        public Builder vanish(int nsid) {
            vanished.add(nsid);
            return this;
        }

        /**
         * Identify of {@code nsid} (0: controller-scoped Identify) never completes before its timeout.
         *
         * @param nsid an active namespace, or 0
         * @return this builder
         */
        public Builder hang(int nsid) {
            hung.add(nsid);
            return this;
        }

        /**
         * {@code nsid} is a Zoned Namespace (CSI 02h).
         *
         * @param nsid an active namespace
         * @return this builder
         */
        public Builder zoned(int nsid) {
            zoned.add(nsid);
            return this;
        }

        /**
         * Builds the controller and starts its timer thread; close it when done.
         *
         * @return the controller
         * @throws IllegalArgumentException a fault or zoned option names an NSID that is not active
         */
        public SimulatedController build() {
            return new SimulatedController(this);
        }

        private static int[] range(int from, int count) {
            int[] r = new int[count];
            for (int i = 0; i < count; i++)
                r[i] = from + i;
            return r;
        }
    }
}

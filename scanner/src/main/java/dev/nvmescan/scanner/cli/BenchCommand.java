package dev.nvmescan.scanner.cli;

import dev.nvmescan.nativebindings.AdminChannel;
import dev.nvmescan.nativebindings.AdminCommand;
import dev.nvmescan.nativebindings.DataBuffers;
import dev.nvmescan.nativebindings.NvmeException;
import dev.nvmescan.nativebindings.identify.IdentifyDecodeException;
import dev.nvmescan.nativebindings.identify.IdentifyNamespace;
import dev.nvmescan.nativebindings.identify.NamespaceIdDescriptors;
import dev.nvmescan.nativebindings.identify.NamespaceList;
import dev.nvmescan.scanner.CommandObserver;
import dev.nvmescan.scanner.NamespaceScanner;
import dev.nvmescan.scanner.ScanMode;
import dev.nvmescan.scanner.ScanSummary;
import dev.nvmescan.scanner.output.JsonWriter;
import dev.nvmescan.scanner.output.OutputFormat;
import dev.nvmescan.scanner.sysfs.KernelNames;

import java.io.PrintWriter;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToDoubleFunction;
import java.util.stream.Gatherers;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

@Command(name = "bench", mixinStandardHelpOptions = true, header = "Sequential vs unordered vs ordered scan wall times, the JDK's mapConcurrent as a peer, and the floor.", description = {"Scans DEVICE sequentially once, then unordered, ordered and with the JDK's Gatherers.mapConcurrent --repeat times each, alternating, and prints for each the wall time (the median of its runs) with ratios, the time to the first publication, the publication tail (last command done to last namespace published) and the most commands in flight, next to the floor RTT x (1 + ceil(namespace commands / queue depth)) (2 + ... at queue depth 1), RTT being the median of 5 single Identify Controller commands.",
        "mapConcurrent is what a Java user would write instead of the scanner: Identify Controller and the NSID list, then the NSIDs mapped to their Identify data with Gatherers.mapConcurrent(queue depth), in encounter order, over the same channel. It keeps at most queue-depth namespaces in progress, finished ones included, so a slow one at the head holds up the rest.",
        "Repeating the concurrent modes tells a real difference between them from the noise of a busy machine; every run's time is in the JSON (runs[].samples_ms)."},
        footerHeading = "%nExamples:%n",
        footer = {"  nvmescan bench 'sim:?namespaces=100&latency=150ms'",
            "  nvmescan bench --repeat 5 'sim:?namespaces=100&latency=10ms..300ms&seed=7'",
            "  nvmescan bench --backend ioctl 'sim:?namespaces=100&latency=2ms'",
            "  nvmescan bench -o json --repeat 5 /dev/nvme0"})
final class BenchCommand implements java.util.concurrent.Callable<Integer> {
    /** The row of the mapConcurrent peer. */
    static final String MAP_CONCURRENT = "mapConcurrent";

    @Spec CommandSpec spec;
    @Mixin DeviceOptions device;
    @Option(names = "--repeat", paramLabel = "N", defaultValue = "1",
            description = "runs of each concurrent mode, alternating; the median is reported (default: ${DEFAULT-VALUE})")
    int repeat;
    @Parameters(paramLabel = "DEVICE") String path;

    /**
     * One scan as the bench sees it, in ms.
     *
     * @param firstMs first publication, since the scan started
     * @param tailMs  last command done to last publication
     */
    record Run(double wallMs, double firstMs, double tailMs, int peakInFlight, long namespaces, long failed,
               long commands) {
        static Run of(ScanSummary s) {
            return new Run(ms(s.elapsed().toNanos()), ms(s.timeline().firstPublication().toNanos()),
                    ms(s.timeline().publicationTail().toNanos()), s.peakInFlight(), s.namespaces(), s.failed(),
                    s.commands());
        }
    }

    /** The runs of one mode; its figures are their medians. */
    record ModeRuns(String mode, List<Run> runs) {
        double median(ToDoubleFunction<Run> f) {
            double[] v = runs.stream().mapToDouble(f).sorted().toArray();
            int h = v.length / 2;
            return v.length % 2 == 1 ? v[h] : (v[h - 1] + v[h]) / 2;
        }

        double wallMs() {
            return median(Run::wallMs);
        }

        int peakInFlight() {
            return runs.stream().mapToInt(Run::peakInFlight).max().orElse(0);
        }

        long failed() {
            return runs.stream().mapToLong(Run::failed).sum();
        }
    }

    @Override
    public Integer call() throws Exception {
        if (repeat < 1)
            throw new CommandLine.ParameterException(spec.commandLine(), "--repeat must be at least 1: " + repeat);
        double rttMs;
        String backend;
        boolean pins;
        try (AdminChannel ch = device.open(path); Arena arena = Arena.ofConfined()) {
            backend = ch.backend();
            pins = ch.pinsCarrier();
            MemorySegment buf = DataBuffers.allocate(arena, DataBuffers.IDENTIFY_SIZE);
            long[] samples = new long[5];
            for (int i = 0; i < samples.length; i++) {
                long t = System.nanoTime();
                try {
                    ch.execute(device.command(AdminCommand.identify(AdminCommand.CNS_CONTROLLER, 0, AdminCommand.CSI_NVM)), buf);
                } catch (NvmeException e) {
                    throw DeviceErrors.explain(ch.device(), e);
                }
                samples[i] = System.nanoTime() - t;
            }
            Arrays.sort(samples);
            rttMs = samples[2] / 1e6;
        }
        ScanSummary first = scan(ScanMode.SEQUENTIAL);
        int depth = first.queueDepth();                 // the bound the scanner runs with, capped or not
        ModeRuns seq = new ModeRuns("sequential", List.of(Run.of(first)));
        ModeRuns unordered = new ModeRuns("unordered", new ArrayList<>());
        ModeRuns ordered = new ModeRuns("ordered", new ArrayList<>());
        ModeRuns peer = new ModeRuns(MAP_CONCURRENT, new ArrayList<>());
        ScanSummary last = first;
        for (int i = 0; i < repeat; i++) {
            unordered.runs().add(Run.of(scan(ScanMode.UNORDERED)));
            last = scan(ScanMode.ORDERED);
            ordered.runs().add(Run.of(last));
            peer.runs().add(mapConcurrent(depth));
        }
        List<ModeRuns> modes = List.of(seq, unordered, ordered, peer);
        long n = last.namespaces();
        long pages = n / NamespaceList.CAPACITY + 1;
        long nsCommands = last.commands() - 1 - pages;
        long floorRounds = (depth > 1 ? 1 : 2) + (nsCommands + depth - 1) / depth;
        double floorMs = rttMs * floorRounds;
        double seqMs = seq.wallMs();
        PrintWriter out = spec.commandLine().getOut();
        if (device.format == OutputFormat.normal) {
            out.printf("%s (%s): %d namespaces, %d commands per scan, queue depth %d%s%s%n", path, backend, n,
                    last.commands(), depth, depth < device.queueDepth ? " (--queue-depth " + device.queueDepth
                            + " capped: this backend blocks a thread per command)" : "",
                    repeat > 1 ? ", median of " + repeat + " concurrent runs" : "");
            out.printf("%-14s %10s %14s %9s %13s %12s %15s%n", "mode", "wall ms", "vs sequential", "vs floor",
                    "first pub ms", "pub tail ms", "peak in flight");
            for (ModeRuns m : modes)
                out.printf(Locale.ROOT, "%-14s %10.1f %13.2fx %8.2fx %13.1f %12.1f %15d%n", m.mode(), m.wallMs(),
                        seqMs / m.wallMs(), m.wallMs() / floorMs, m.median(Run::firstMs), m.median(Run::tailMs),
                        m.peakInFlight());
            out.printf(Locale.ROOT, "floor: RTT %.2f ms x (%d + ceil(%d / %d)) = %.1f ms%n", rttMs, depth > 1 ? 1 : 2,
                    nsCommands, depth, floorMs);
            if (pins)
                out.printf("%s: channel.execute keeps a virtual thread's carrier on %s, so at most one command"
                        + " per carrier is in flight%n", MAP_CONCURRENT, backend);
        } else {
            JsonWriter w = device.writer(out);
            w.beginObject().field("device", path).field("backend", backend).field("queue_depth", depth)
                    .field("queue_depth_asked", device.queueDepth)
                    .field("namespaces", n).field("commands", last.commands())
                    .name("rtt_ms").value(rttMs);
            w.name("floor_ms").value(floorMs).name("runs").beginArray();
            for (ModeRuns m : modes) {
                w.beginObject().field("mode", m.mode())
                        .name("wall_ms").value(m.wallMs()).name("vs_sequential").value(seqMs / m.wallMs())
                        .name("vs_floor").value(m.wallMs() / floorMs)
                        .name("first_publication_ms").value(m.median(Run::firstMs))
                        .name("publication_tail_ms").value(m.median(Run::tailMs))
                        .field("peak_in_flight", m.peakInFlight()).field("failed", m.failed())
                        .name("samples_ms").beginArray();
                for (Run r : m.runs())
                    w.value(r.wallMs());
                w.endArray().endObject();
            }
            w.endArray().endObject().newline();
        }
        out.flush();
        return Nvmescan.OK;
    }

    /** One scan of DEVICE in {@code mode}, on its own channel. */
    private ScanSummary scan(ScanMode mode) throws Exception {
        try (AdminChannel ch = device.open(path)) {
            NamespaceScanner.Options o = new NamespaceScanner.Options(mode, device.queueDepth, device.timeout, 0);
            return new NamespaceScanner(ch, o, KernelNames.none(), CommandObserver.NONE).scan(e -> {});
        } catch (NvmeException e) {
            throw DeviceErrors.explain(path, e);
        }
    }

    /** One Identify result of the peer: the data, or why it failed. */
    private record Identified(int nsid, IdentifyNamespace namespace, NamespaceIdDescriptors descriptors,
                              Exception failure) {}

    /**
     * The peer, on its own channel: what a Java user writes with the JDK alone. Identify Controller,
     * the NSID list page by page, then each NSID mapped to its Identify data by
     * {@code Gatherers.mapConcurrent(depth, ...)} in encounter order, every command a blocking
     * {@link AdminChannel#execute} on the mapper's virtual thread.
     */
    private Run mapConcurrent(int depth) throws Exception {
        try (AdminChannel channel = device.open(path)) {
            Counted ch = new Counted(channel);
            long start = System.nanoTime();
            long[] published = new long[3];                 // count, first, last (nanoTime)
            try {
                ch.identify(AdminCommand.CNS_CONTROLLER, 0, AdminCommand.CSI_NVM);
                NamespaceList page = NamespaceList.decode(ch.execute(AdminCommand.activeNamespaceList(0)));
                List<Integer> nsids = new ArrayList<>(page.nsids());
                while (page.full() && page.last() != 0xfffffffe) {
                    page = NamespaceList.decode(ch.execute(AdminCommand.activeNamespaceList(page.last())));
                    nsids.addAll(page.nsids());
                }
                nsids.stream()
                        .gather(Gatherers.mapConcurrent(depth, nsid -> {
                            try {
                                IdentifyNamespace ns = IdentifyNamespace.decode(ch.identify(AdminCommand.CNS_NAMESPACE, nsid, AdminCommand.CSI_NVM));
                                NamespaceIdDescriptors d = NamespaceIdDescriptors.decode(ch.identify(AdminCommand.CNS_NS_DESCRIPTORS, nsid, AdminCommand.CSI_NVM));
                                if (d.csi() == AdminCommand.CSI_ZNS)
                                    ch.identify(AdminCommand.CNS_CSI_NAMESPACE, nsid, AdminCommand.CSI_ZNS);
                                return new Identified(nsid, ns, d, null);
                            } catch (NvmeException | IdentifyDecodeException e) {
                                return new Identified(nsid, null, null, e);
                            }
                        }))
                        .forEachOrdered(id -> {
                            long now = System.nanoTime();
                            if (published[0]++ == 0)
                                published[1] = now;
                            published[2] = now;
                            if (id.failure() != null)
                                ch.failed.incrementAndGet();
                        });
            } catch (NvmeException e) {
                throw DeviceErrors.explain(path, e);
            }
            long end = System.nanoTime();
            return new Run(ms(end - start), published[0] > 0 ? ms(published[1] - start) : 0,
                    published[0] > 0 ? ms(Math.max(0, published[2] - ch.lastDone.get())) : 0, ch.peak.get(),
                    published[0], ch.failed.get(), ch.commands.get());
        }
    }

    /** The peer's channel, counting what the scanner's issuer counts: commands, the most in flight, the last done. */
    private final class Counted {
        final AdminChannel channel;
        final AtomicInteger inFlight = new AtomicInteger(), peak = new AtomicInteger();
        final AtomicLong commands = new AtomicLong(), failed = new AtomicLong(), lastDone = new AtomicLong();

        Counted(AdminChannel channel) {
            this.channel = channel;
        }

        MemorySegment identify(int cns, int nsid, int csi) throws NvmeException {
            return execute(AdminCommand.identify(cns, nsid, csi));
        }

        MemorySegment execute(AdminCommand command) throws NvmeException {
            MemorySegment data = DataBuffers.allocate(Arena.ofAuto(), DataBuffers.IDENTIFY_SIZE);
            commands.incrementAndGet();
            peak.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            try {
                channel.execute(device.command(command), data);
                return data;
            } finally {
                inFlight.decrementAndGet();
                lastDone.accumulateAndGet(System.nanoTime(), Math::max);
            }
        }
    }

    private static double ms(long nanos) {
        return Math.max(1, nanos) / 1e6;
    }
}

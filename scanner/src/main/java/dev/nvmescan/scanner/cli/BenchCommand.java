package dev.nvmescan.scanner.cli;

import dev.nvmescan.nativebindings.AdminChannel;
import dev.nvmescan.nativebindings.AdminCommand;
import dev.nvmescan.nativebindings.DataBuffers;
import dev.nvmescan.nativebindings.NvmeException;
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
import java.util.List;
import java.util.Locale;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

@Command(name = "bench", mixinStandardHelpOptions = true, header = "Sequential vs unordered vs ordered scan wall times, with the floor.", description = {"Scans DEVICE sequentially once, then unordered and ordered --repeat times each, alternating, and prints the wall time of each mode (the median of its runs) with ratios, next to the floor RTT x (2 + ceil(namespace commands / queue depth)), RTT being the median of 5 single Identify Controller commands.",
        "Repeating the concurrent modes tells a real difference between them from the noise of a busy machine; every run's time is in the JSON (runs[].samples_ms)."},
        footerHeading = "%nExamples:%n",
        footer = {"  nvmescan bench 'sim:?namespaces=100&latency=150ms'",
            "  nvmescan bench --backend ioctl 'sim:?namespaces=100&latency=2ms'",
            "  nvmescan bench -o json --repeat 5 /dev/nvme0"})
final class BenchCommand implements java.util.concurrent.Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin DeviceOptions device;
    @Option(names = "--repeat", paramLabel = "N", defaultValue = "1",
            description = "runs of each concurrent mode, alternating; the median is reported (default: ${DEFAULT-VALUE})")
    int repeat;
    @Parameters(paramLabel = "DEVICE") String path;

    /** The runs of one mode; its wall time is their median. */
    record ModeRuns(ScanMode mode, List<ScanSummary> runs) {
        double medianMs() {
            double[] ms = runs.stream().mapToDouble(BenchCommand::ms).sorted().toArray();
            int h = ms.length / 2;
            return ms.length % 2 == 1 ? ms[h] : (ms[h - 1] + ms[h]) / 2;
        }

        int peakInFlight() {
            return runs.stream().mapToInt(ScanSummary::peakInFlight).max().orElse(0);
        }

        long failed() {
            return runs.stream().mapToLong(ScanSummary::failed).sum();
        }
    }

    @Override
    public Integer call() throws Exception {
        if (repeat < 1)
            throw new CommandLine.ParameterException(spec.commandLine(), "--repeat must be at least 1: " + repeat);
        double rttMs;
        String backend;
        try (AdminChannel ch = device.open(path); Arena arena = Arena.ofConfined()) {
            backend = ch.backend();
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
            java.util.Arrays.sort(samples);
            rttMs = samples[2] / 1e6;
        }
        ModeRuns seq = new ModeRuns(ScanMode.SEQUENTIAL, List.of(scan(ScanMode.SEQUENTIAL)));
        ModeRuns unordered = new ModeRuns(ScanMode.UNORDERED, new ArrayList<>());
        ModeRuns ordered = new ModeRuns(ScanMode.ORDERED, new ArrayList<>());
        for (int i = 0; i < repeat; i++) {
            unordered.runs().add(scan(ScanMode.UNORDERED));
            ordered.runs().add(scan(ScanMode.ORDERED));
        }
        List<ModeRuns> modes = List.of(seq, unordered, ordered);
        ScanSummary last = ordered.runs().getLast();
        long n = last.namespaces();
        long pages = n / NamespaceList.CAPACITY + 1;
        long nsCommands = last.commands() - 1 - pages;
        long floorRounds = 2 + (nsCommands + device.queueDepth - 1) / device.queueDepth;
        double floorMs = rttMs * floorRounds;
        double seqMs = seq.medianMs();
        PrintWriter out = spec.commandLine().getOut();
        if (device.format == OutputFormat.normal) {
            out.printf("%s (%s): %d namespaces, %d commands per scan, queue depth %d%s%n", path, backend, n,
                    last.commands(), device.queueDepth, repeat > 1 ? ", median of " + repeat + " concurrent runs" : "");
            out.printf("%-12s %12s %14s %10s %15s%n", "mode", "wall ms", "vs sequential", "vs floor", "peak in flight");
            for (ModeRuns m : modes)
                out.printf(Locale.ROOT, "%-12s %12.1f %13.2fx %9.2fx %15d%n", m.mode().name().toLowerCase(Locale.ROOT),
                        m.medianMs(), seqMs / m.medianMs(), m.medianMs() / floorMs, m.peakInFlight());
            out.printf(Locale.ROOT, "floor: RTT %.2f ms x (2 + ceil(%d / %d)) = %.1f ms%n", rttMs, nsCommands,
                    device.queueDepth, floorMs);
        } else {
            JsonWriter w = device.writer(out);
            w.beginObject().field("device", path).field("backend", backend).field("queue_depth", device.queueDepth)
                    .field("namespaces", n).field("commands", last.commands())
                    .name("rtt_ms").value(rttMs);
            w.name("floor_ms").value(floorMs).name("runs").beginArray();
            for (ModeRuns m : modes) {
                w.beginObject().field("mode", m.mode().name().toLowerCase(Locale.ROOT))
                        .name("wall_ms").value(m.medianMs()).name("vs_sequential").value(seqMs / m.medianMs())
                        .name("vs_floor").value(m.medianMs() / floorMs)
                        .field("peak_in_flight", m.peakInFlight()).field("failed", m.failed())
                        .name("samples_ms").beginArray();
                for (ScanSummary s : m.runs())
                    w.value(ms(s));
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

    private static double ms(ScanSummary s) {
        return Math.max(1, s.elapsed().toNanos()) / 1e6;
    }
}

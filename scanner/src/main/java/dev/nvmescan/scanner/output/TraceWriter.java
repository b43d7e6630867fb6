package dev.nvmescan.scanner.output;

import dev.nvmescan.nativebindings.AdminCommand;
import dev.nvmescan.scanner.CommandObserver;
import dev.nvmescan.scanner.NamespaceEntry;
import dev.nvmescan.scanner.ScanListener;

import java.io.BufferedWriter;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A Chrome trace-event JSON file ({@code {"traceEvents":[...]}}) of a scan, for Perfetto or
 * chrome://tracing: every command a complete event ({@code "ph":"X"}) on the track of the queue slot
 * that carried it, so overlapping commands never share a track; every publication an instant event
 * ({@code "ph":"i"}) on the "publish" track, when the listener it wraps returned. Timestamps are
 * microseconds since the writer was made. Events are written as they happen; {@link #close} ends the
 * document, also after a cancelled scan, with the scan's milestones in {@code "otherData"}, in ms
 * since the first command started: {@code first_publication_ms}, {@code last_command_done_ms},
 * {@code last_publication_ms} and {@code publication_tail_ms} (last command done to last
 * publication, never negative; the publications only when there were some).
 *
 * <p>The trace never disturbs the scan: a write that fails (a full disk) ends the trace quietly and
 * is kept in {@link #failure()} for the caller to report. The file is written through a plain
 * {@link FileOutputStream}, not an interruptible channel, so a worker interrupted by cancellation
 * cannot close it under the others.
 */
public final class TraceWriter implements CommandObserver, AutoCloseable {
    private static final int PID = 1, PUBLISH_TID = 0;

    private final Writer out;
    private final long origin = System.nanoTime();
    private final ReentrantLock lock = new ReentrantLock();
    private final Set<Integer> namedLanes = new HashSet<>();
    private boolean first = true, closed;
    /** Milestones in {@link System#nanoTime()}, guarded by lock, once seen. */
    private long firstStart, lastEnd, firstPublished, lastPublished;
    private boolean commandSeen, publicationSeen;
    private volatile IOException failure;

    /**
     * open - create (or truncate) {@code file} and start the trace in it
     * @throws IOException the file cannot be created; {@link #reason} says why in a few words
     */
    public static TraceWriter open(Path file) throws IOException {
        return new TraceWriter(new OutputStreamWriter(new FileOutputStream(file.toFile()), StandardCharsets.UTF_8));
    }

    /** Why a file could not be written, without the path Java repeats: {@code No such file or directory}. */
    public static String reason(IOException e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int open = m.lastIndexOf(" ("), close = m.lastIndexOf(')');
        return open >= 0 && close == m.length() - 1 ? m.substring(open + 2, close) : m;
    }

    TraceWriter(Writer out) {
        this.out = new BufferedWriter(out);
        lock.lock();
        try {
            write("{\"traceEvents\":[\n");
            event("{\"ph\":\"M\",\"pid\":" + PID + ",\"name\":\"process_name\",\"args\":{\"name\":\"nvmescan\"}}");
            event("{\"ph\":\"M\",\"pid\":" + PID + ",\"tid\":" + PUBLISH_TID
                    + ",\"name\":\"thread_name\",\"args\":{\"name\":\"publish\"}}");
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void completed(AdminCommand command, int lane, long startNanos, long endNanos, Throwable failure) {
        int tid = lane + 1;
        String result = failure == null ? "ok" : failure.getClass().getSimpleName();
        String e = "{\"ph\":\"X\",\"pid\":" + PID + ",\"tid\":" + tid + ",\"cat\":\"command\",\"name\":\""
                + command.describe() + "\",\"ts\":" + micros(startNanos - origin) + ",\"dur\":" + micros(endNanos - startNanos)
                + ",\"args\":{\"nsid\":" + Integer.toUnsignedString(command.nsid()) + ",\"result\":\"" + result + "\"}}";
        lock.lock();
        try {
            if (!commandSeen || startNanos - firstStart < 0)
                firstStart = startNanos;
            if (!commandSeen || endNanos - lastEnd > 0)
                lastEnd = endNanos;
            commandSeen = true;
            if (namedLanes.add(tid))
                event("{\"ph\":\"M\",\"pid\":" + PID + ",\"tid\":" + tid
                        + ",\"name\":\"thread_name\",\"args\":{\"name\":\"queue slot " + lane + "\"}}");
            event(e);
        } finally {
            lock.unlock();
        }
    }

    /** A namespace was published. */
    void published(NamespaceEntry entry) {
        long now = System.nanoTime();
        String e = "{\"ph\":\"i\",\"s\":\"t\",\"pid\":" + PID + ",\"tid\":" + PUBLISH_TID
                + ",\"cat\":\"publish\",\"name\":\"publish NSID " + Integer.toUnsignedString(entry.nsid())
                + "\",\"ts\":" + micros(now - origin) + ",\"args\":{\"position\":" + entry.position()
                + ",\"ok\":" + entry.ok() + "}}";
        lock.lock();
        try {
            if (!publicationSeen)
                firstPublished = now;
            publicationSeen = true;
            lastPublished = now;
            event(e);
        } finally {
            lock.unlock();
        }
    }

    /** A listener that records each publication, then passes it on. */
    public ScanListener around(ScanListener next) {
        return new ScanListener() {
            @Override
            public void controller(dev.nvmescan.nativebindings.identify.IdentifyController c) {
                next.controller(c);
            }

            @Override
            public void published(NamespaceEntry entry) {
                next.published(entry);
                TraceWriter.this.published(entry);
            }

            @Override
            public void endOfRun() {
                next.endOfRun();
            }
        };
    }

    /** The milestones as JSON members, in ms since the first command started; under lock. */
    private String milestones() {
        if (!commandSeen)
            return "";
        String done = "\"last_command_done_ms\":" + millis(lastEnd - firstStart);
        if (!publicationSeen)
            return done;
        return "\"first_publication_ms\":" + millis(firstPublished - firstStart) + "," + done
                + ",\"last_publication_ms\":" + millis(lastPublished - firstStart)
                + ",\"publication_tail_ms\":" + millis(Math.max(0, lastPublished - lastEnd));
    }

    private static String millis(long nanos) {
        return String.format(java.util.Locale.ROOT, "%.3f", nanos / 1e6);
    }

    /** Nanoseconds as the trace's microseconds, with three decimals. */
    private static String micros(long n) {
        return n / 1000 + "." + String.format("%03d", Math.abs(n % 1000));
    }

    private void event(String json) {
        if (closed)
            return;                                  // a command completing after the scan was abandoned
        write(first ? json : ",\n" + json);
        first = false;
    }

    /** Writes under the lock; the first failure ends the trace. */
    private void write(String s) {
        try {
            out.write(s);
        } catch (IOException e) {
            fail(e);
        }
    }

    private void fail(IOException e) {
        if (failure == null)
            failure = e;
        closed = true;
        try {
            out.close();
        } catch (IOException ignored) {
            // the first failure is the one to report
        }
    }

    /** The first write failure, or null: the trace file is then incomplete. */
    public IOException failure() {
        return failure;
    }

    /** Ends the document and closes the file; never throws, see {@link #failure()}. Idempotent. */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closed)
                return;
            write("\n],\"displayTimeUnit\":\"ms\",\"otherData\":{" + milestones() + "}}\n");
            if (closed)
                return;
            closed = true;
            out.close();
        } catch (IOException e) {
            fail(e);
        } finally {
            lock.unlock();
        }
    }
}

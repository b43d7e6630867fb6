package dev.nvmescan.scanner.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchCommandTest {
    @TempDir Path tmp;

    record Run(int code, String out, String err) {}

    private Run run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        var cl = Nvmescan.commandLine(new CliEnvironment(tmp, false, java.util.Map.of()));
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return new Run(cl.execute(args), out.toString(), err.toString());
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> runs(Map<String, Object> doc) {
        return (List<Map<String, Object>>) doc.get("runs");
    }

    private static double dbl(Object o) {
        return ((BigDecimal) o).doubleValue();
    }

    private static final List<String> MODES = List.of("sequential", "unordered", "ordered", "mapConcurrent");

    @Test
    void printsEveryModeAndThePeerWithRatiosPublicationTimesAndTheFloor() {
        Run r = run("bench", "sim:?namespaces=40&latency=2ms");
        assertEquals(0, r.code(), r.err());
        for (String s : List.of("sequential", "unordered", "ordered", "mapConcurrent", "floor: RTT", "vs sequential",
                "first pub ms", "pub tail ms"))
            assertTrue(r.out().contains(s), r.out());
        Run j = run("bench", "-o", "json", "--backend", "ioctl", "sim:?namespaces=40&latency=2ms");
        assertEquals(0, j.code(), j.err());
        Map<String, Object> doc = MiniJson.object(j.out());
        List<Map<String, Object>> runs = runs(doc);
        assertEquals(MODES, runs.stream().map(m -> m.get("mode")).toList());
        assertEquals(1, ((BigDecimal) runs.getFirst().get("peak_in_flight")).intValue());
        // physical lower bound: 82 commands of 2 ms, one at a time
        assertTrue(dbl(runs.getFirst().get("wall_ms")) >= 82 * 2);
        assertTrue(dbl(doc.get("floor_ms")) > 0);
        for (Map<String, Object> m : runs) {
            double first = dbl(m.get("first_publication_ms")), tail = dbl(m.get("publication_tail_ms"));
            // the first namespace needs Identify Namespace and its descriptor list after the list
            assertTrue(first >= 2 * 2 && first <= dbl(m.get("wall_ms")), m.toString());
            assertTrue(tail >= 0 && tail <= dbl(m.get("wall_ms")), m.toString());
            assertEquals(0, ((BigDecimal) m.get("failed")).intValue(), m.toString());
        }
    }

    @Test
    void repeatsTheConcurrentModesAndReportsTheMedian() {
        Run j = run("bench", "-o", "json", "--repeat", "3", "sim:?namespaces=20&latency=1ms");
        assertEquals(0, j.code(), j.err());
        List<Map<String, Object>> runs = runs(MiniJson.object(j.out()));
        assertEquals(List.of(1, 3, 3, 3), runs.stream().map(m -> ((List<?>) m.get("samples_ms")).size()).toList());
        for (Map<String, Object> m : runs) {
            List<Double> samples = ((List<?>) m.get("samples_ms")).stream().map(BenchCommandTest::dbl).sorted().toList();
            assertEquals(samples.get(samples.size() / 2), dbl(m.get("wall_ms")), 1e-3, m.toString());
        }
        assertEquals(2, run("bench", "--repeat", "0", "sim:?namespaces=2").code());
    }

    @Test
    void aBlockingBackendRunsAtTheCappedDepthAndSaysSo() {
        String sim = "sim:?namespaces=60&latency=1ms&backend=ioctl&queue-depth=4096";
        Run j = run("bench", "-o", "json", "--queue-depth", "4096", sim);
        assertEquals(0, j.code(), j.err());
        Map<String, Object> doc = MiniJson.object(j.out());
        assertEquals(30, ((BigDecimal) doc.get("queue_depth")).intValue());
        assertEquals(4096, ((BigDecimal) doc.get("queue_depth_asked")).intValue());
        for (Map<String, Object> m : runs(doc))
            assertTrue(((BigDecimal) m.get("peak_in_flight")).intValue() <= 30, m.toString());
        Run t = run("bench", "--queue-depth", "4096", sim);
        assertTrue(t.out().contains("queue depth 30 (--queue-depth 4096 capped"), t.out());
        assertTrue(t.out().contains("mapConcurrent: channel.execute keeps a virtual thread's carrier"), t.out());
    }
}

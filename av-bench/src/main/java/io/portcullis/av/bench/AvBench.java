package io.portcullis.av.bench;

import io.portcullis.av.Match;
import io.portcullis.av.SignatureSet;
import io.portcullis.av.SignatureStats;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Entry point of the av-engine vs clamd benchmark: generates the data (unless up to date), checks that both engines
 * find the planted detections and agree, runs the JMH benchmarks, the reload-while-scanning check and clamd over
 * INSTREAM, and prints a table. Options: {@code --data DIR} (default av-bench/target/bench-data), {@code --seed N},
 * {@code --mb N} (file set size, default 200), {@code --hashes N} (200000), {@code --bodies N} (20000),
 * {@code --quick} (fewer JMH iterations), {@code --no-clamd}, {@code --clamd-modes raw,default}, {@code --reloads N}.
 */
public final class AvBench {
    private AvBench() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = options(args);
        Path data = Path.of(o.getOrDefault("data", "av-bench/target/bench-data")).toAbsolutePath();
        long seed = Long.parseLong(o.getOrDefault("seed", "20260101"));
        long bytes = Long.parseLong(o.getOrDefault("mb", "200")) * 1_000_000L;
        int hashes = Integer.parseInt(o.getOrDefault("hashes", "200000"));
        int bodies = Integer.parseInt(o.getOrDefault("bodies", "20000"));
        boolean quick = o.containsKey("quick");
        int reloads = Integer.parseInt(o.getOrDefault("reloads", "5"));
        List<String> clamdModes = o.containsKey("no-clamd") ? List.of()
            : List.of(o.getOrDefault("clamd-modes", "raw,default").split(","));

        BenchData.Generated g;
        if (BenchData.upToDate(data, seed, bytes)) {
            g = BenchData.read(data);
            System.out.printf("data: %s (up to date)%n", data);
        } else {
            long t = System.nanoTime();
            System.out.printf("data: generating %d MB, %d hash + %d body signatures into %s ...%n", bytes / 1_000_000, hashes, bodies, data);
            BenchData.generate(data, seed, bytes, hashes, bodies);
            g = BenchData.read(data);
            System.out.printf("data: generated in %.1f s%n", (System.nanoTime() - t) / 1e9);
        }
        System.out.printf("data: %d files, %.1f MB, %d planted detections%n", g.files().size(), g.totalBytes() / 1e6, g.planted().size());

        // Memory of our side: heap after GC with and without the set, engine estimate, process RSS.
        MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        long heapBefore = usedAfterGc(mem);
        long rssBefore = Rss.self();
        long t0 = System.nanoTime();
        SignatureSet set = Corpus.load(g.dbDir());
        long coldLoadNanos = System.nanoTime() - t0;
        long heapWith = usedAfterGc(mem);
        long rssWith = Rss.self();
        SignatureStats stats = set.stats();
        System.out.printf("portcullis: cold load %.0f ms; %s; heap after GC %.1f MB -> %.1f MB (set: %.1f MB, engine estimate %.1f MB); RSS %.1f MB -> %.1f MB%n",
            coldLoadNanos / 1e6, stats.signaturesByFormat(), heapBefore / 1e6, heapWith / 1e6, (heapWith - heapBefore) / 1e6,
            stats.approximateBytes() / 1e6, rssBefore / 1e6, rssWith / 1e6);
        if (!set.loadReport().limitations().isEmpty()) System.out.println("portcullis: limitations " + set.loadReport().limitations());

        byte[][] files = Corpus.readAll(g.files());
        Map<String, List<String>> ours = new TreeMap<>();
        for (int i = 0; i < files.length; i++) {
            List<Match> m = set.scan(files[i]);
            if (!m.isEmpty()) ours.put(name(g, i), m.stream().map(Match::signature).toList());
        }
        List<String> problems = new ArrayList<>();
        for (BenchData.Planted p : g.planted()) {
            if (!ours.getOrDefault(p.file(), List.of()).contains(p.signature())) {
                problems.add("portcullis misses planted " + p.signature() + " in " + p.file());
            }
        }
        System.out.printf("portcullis: %d files detected (%d planted)%n", ours.size(), g.planted().size());
        if (!problems.isEmpty()) fail(problems);

        // JMH: load and scan in a forked JVM.
        ChainedOptionsBuilder jmh = new OptionsBuilder()
            .include(EngineBenchmark.class.getName() + "\\.(load|scanWholeFiles|scanStreaming64k|scanStreamingSized64k)$")
            .forks(1)
            .warmupIterations(quick ? 1 : 3)
            .measurementIterations(quick ? 3 : 8)
            .jvmArgsAppend("-D" + Corpus.DATA_PROPERTY + "=" + data, "-Xms2g", "-Xmx2g")
            .verbosity(VerboseMode.NORMAL);
        Collection<RunResult> results = new Runner(jmh.build()).run();
        Map<String, RunResult> byName = new LinkedHashMap<>();
        for (RunResult r : results) {
            String b = r.getParams().getBenchmark();
            byName.put(b.substring(b.lastIndexOf('.') + 1), r);
        }

        // CPU time of the scanning thread: on a busy shared machine a better guide than wall time
        java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        double ourCpuMBs = 0;
        List<Double> cpuRuns = new ArrayList<>();
        for (int round = 0; round < (quick ? 3 : 5); round++) {
            long c = threads.getCurrentThreadCpuTime();
            for (byte[] f : files) set.scan(f);
            double secs = (threads.getCurrentThreadCpuTime() - c) / 1e9;
            cpuRuns.add(g.totalBytes() / 1e6 / secs);
        }
        ourCpuMBs = cpuRuns.stream().mapToDouble(d -> d).max().orElse(0);
        System.out.printf("portcullis scan(byte[]): MB per CPU-second per round %s%n", fmt(cpuRuns));

        ReloadCheck.Result reload = ReloadCheck.run(g.dbDir(), files, reloads, 3000);
        System.out.printf("reload while scanning: %d reloads, %.0f ms each; longest scan pause %.1f ms during reloads, %.1f ms before; scan %.0f MB/s during, %.0f MB/s before%n",
            reload.reloads(), reload.meanReloadMillis(), reload.reloadMaxPauseMillis(), reload.baselineMaxPauseMillis(),
            reload.reloadMBs(), reload.baselineMBs());

        List<String[]> rows = new ArrayList<>();
        double mb = g.totalBytes() / 1e6;
        RunResult load = byName.get("load");
        RunResult whole = byName.get("scanWholeFiles");
        RunResult stream = byName.get("scanStreaming64k");
        RunResult sized = byName.get("scanStreamingSized64k");
        double ourBest = 0;
        if (whole != null) {
            rows.add(row("portcullis scan(byte[])", whole, mb, load, heapWith - heapBefore, rssWith, ourCpuMBs));
            ourBest = mb / (whole.getPrimaryResult().getScore() / 1000);
        }
        if (sized != null) {
            rows.add(row("portcullis 64 KiB stream, size known", sized, mb, load, heapWith - heapBefore, rssWith, Double.NaN));
        }
        if (stream != null) {
            rows.add(row("portcullis 64 KiB stream, size unknown", stream, mb, load, heapWith - heapBefore, rssWith, Double.NaN));
            ourBest = Math.max(ourBest, mb / (stream.getPrimaryResult().getScore() / 1000));
        }

        for (String mode : clamdModes) {
            boolean raw = mode.trim().equals("raw");
            try (Clamd clamd = Clamd.start(g.dbDir(), raw, 600_000)) {
                long rss = clamd.rssBytes();
                System.out.printf("clamd (%s) log: %s%n", mode, clamd.loadLog());
                Map<String, String> theirs = new TreeMap<>();
                double best = Double.MAX_VALUE;
                List<Double> runs = new ArrayList<>();
                List<Double> cpu = new ArrayList<>();
                int rounds = quick ? 1 : 2;
                for (int round = 0; round < rounds; round++) {
                    try (Clamd.Session s = clamd.session()) {
                        double c = Rss.cpuSeconds(clamd.process.pid());
                        long t = System.nanoTime();
                        for (int i = 0; i < files.length; i++) {
                            String v = s.instream(files[i]);
                            if (round == 0 && v != null) theirs.put(name(g, i), v);
                        }
                        double secs = (System.nanoTime() - t) / 1e9;
                        cpu.add(mb / (Rss.cpuSeconds(clamd.process.pid()) - c));
                        runs.add(mb / secs);
                        best = Math.min(best, secs);
                    }
                }
                long rssAfter = clamd.rssBytes();
                System.out.printf("clamd (%s): load %.0f ms, RSS %.1f MB after load, %.1f MB after scans, %d files detected, MB/s per round %s, MB per CPU-second %s%n",
                    mode, clamd.loadNanos / 1e6, rss / 1e6, rssAfter / 1e6, theirs.size(), fmt(runs), fmt(cpu));
                double clamdCpu = cpu.stream().mapToDouble(d -> d).max().orElse(0);
                problems.addAll(compare(g, ours, theirs, mode));
                rows.add(new String[] {"clamd (" + mode + ") INSTREAM", String.format("%.1f", mb / best),
                    String.format("%.0f", clamdCpu), String.format("%.2f", clamd.loadNanos / 1e9), "-", String.format("%.1f", rss / 1e6),
                    runs.size() > 1 ? String.format("%.1f..%.1f", runs.stream().mapToDouble(d -> d).min().orElse(0),
                        runs.stream().mapToDouble(d -> d).max().orElse(0)) : "-"});
                rows.add(new String[] {"  ratio portcullis/clamd (" + mode + ")", String.format("%.1fx", ourBest / (mb / best)),
                    String.format("%.1fx", ourCpuMBs / clamdCpu), "", "", "", ""});
            }
        }

        System.out.println();
        System.out.printf("%d files, %.1f MB; database: %s; one scanning thread; machine: %d cores (shared, numbers are noisy)%n",
            files.length, mb, stats.signaturesByFormat(), Runtime.getRuntime().availableProcessors());
        System.out.printf("%-36s %9s %11s %8s %12s %8s %14s%n", "", "MB/s", "MB/CPU-s", "load s", "heap set MB", "RSS MB", "MB/s min..max");
        for (String[] r : rows) System.out.printf("%-36s %9s %11s %8s %12s %8s %14s%n", (Object[]) r);
        System.out.println("(MB/s: wall clock, JMH score for portcullis, best round for clamd; MB/CPU-s: bytes per CPU-second of the "
            + "scanning thread (portcullis) or the clamd process, the steadier number on a busy machine)");
        System.out.println("(portcullis RSS is the whole benchmark JVM including the file set in heap; heap set MB = heap used "
            + "after GC with the set minus without; engine estimate " + String.format("%.1f", stats.approximateBytes() / 1e6) + " MB)");
        if (!problems.isEmpty()) fail(problems);
        System.out.println("detections agree: every planted signature found by both, no file detected by only one side");
    }

    private static String fmt(List<Double> xs) {
        return xs.stream().map(d -> String.format("%.0f", d)).toList().toString();
    }

    private static String[] row(String label, RunResult r, double mb, RunResult load, long heapSet, long rss, double cpuMBs) {
        double ms = r.getPrimaryResult().getScore();
        var st = r.getPrimaryResult().getStatistics();
        return new String[] {label, String.format("%.1f", mb / (ms / 1000)), Double.isNaN(cpuMBs) ? "-" : String.format("%.0f", cpuMBs),
            load == null ? "-" : String.format("%.2f", load.getPrimaryResult().getScore() / 1000),
            String.format("%.1f", heapSet / 1e6), String.format("%.1f", rss / 1e6),
            String.format("%.1f..%.1f", mb / (st.getMax() / 1000), mb / (st.getMin() / 1000))};
    }

    static List<String> compare(BenchData.Generated g, Map<String, List<String>> ours, Map<String, String> theirs, String mode) {
        List<String> problems = new ArrayList<>();
        for (BenchData.Planted p : g.planted()) {
            if (!p.signature().equals(theirs.get(p.file())) && !ours.getOrDefault(p.file(), List.of()).contains(theirs.get(p.file()))) {
                problems.add("clamd (" + mode + ") reports " + theirs.get(p.file()) + " for " + p.file() + ", planted " + p.signature());
            }
        }
        for (Map.Entry<String, String> e : theirs.entrySet()) {
            List<String> mine = ours.get(e.getKey());
            if (mine == null || !mine.contains(e.getValue())) {
                problems.add("clamd (" + mode + ") finds " + e.getValue() + " in " + e.getKey() + ", portcullis " + mine);
            }
        }
        for (Map.Entry<String, List<String>> e : ours.entrySet()) {
            if (!theirs.containsKey(e.getKey())) problems.add("portcullis finds " + e.getValue() + " in " + e.getKey() + ", clamd (" + mode + ") nothing");
        }
        return problems;
    }

    private static String name(BenchData.Generated g, int i) {
        return g.files().get(i).getFileName().toString();
    }

    private static long usedAfterGc(MemoryMXBean mem) throws InterruptedException {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
            used = Math.min(used, mem.getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    private static void fail(List<String> problems) {
        System.out.println("DETECTIONS DISAGREE (" + problems.size() + "):");
        problems.stream().limit(50).forEach(p -> System.out.println("  " + p));
        System.exit(2);
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> o = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) throw new IllegalArgumentException("unexpected argument " + a);
            String k = a.substring(2);
            if (Objects.equals(k, "quick") || Objects.equals(k, "no-clamd")) o.put(k, "");
            else if (i + 1 < args.length) o.put(k, args[++i]);
            else throw new IllegalArgumentException(a + " needs a value");
        }
        return o;
    }
}

package io.portcullis.av.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Entry point of {@code ./portcullis bench text}: runs {@link TextExtractionBenchmark} on generated PDF, DOCX, XLSX,
 * HTML and a ZIP of the four, and prints per-document µs (median, mean, 90th percentile of sampled times) and MB/s
 * (document bytes, decimal MB, from the median) for each. Options:
 * {@code --quick} (short warm-up and measurement), {@code --threads N} (default 1).
 */
public final class TextBench {
    private TextBench() {
    }

    private static String loadAverage() {
        double load = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        return load < 0 ? "unknown" : String.format("%.1f", load);
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].startsWith("--")) {
                boolean flag = i + 1 >= args.length || args[i + 1].startsWith("--");
                o.put(args[i].substring(2), flag ? "" : args[++i]);
            }
        }
        boolean quick = o.containsKey("quick");
        int threads = Integer.parseInt(o.getOrDefault("threads", "1"));
        Map<String, byte[]> docs = TextDocuments.all();
        System.out.print("bench text: generated documents (bytes):");
        docs.forEach((name, bytes) -> System.out.print(" " + name + "=" + bytes.length));
        System.out.println();
        Collection<RunResult> results = new Runner(new OptionsBuilder()
                .include(TextExtractionBenchmark.class.getName() + "\\.(extract|decompose|message)$")
                .forks(1)
                .threads(threads)
                .warmupIterations(quick ? 1 : 3).warmupTime(TimeValue.seconds(quick ? 2 : 3))
                .measurementIterations(quick ? 2 : 5).measurementTime(TimeValue.seconds(quick ? 2 : 3))
                .jvmArgsAppend("-Xms1g", "-Xmx1g")
                .verbosity(VerboseMode.SILENT)
                .build()).run();
        List<String> rows = new ArrayList<>();
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark();
            name = name.substring(name.lastIndexOf('.') + 1);
            String doc = r.getParams().getParam("doc");
            double mean = r.getPrimaryResult().getScore();
            double median = r.getPrimaryResult().getStatistics().getPercentile(50);
            double p90 = r.getPrimaryResult().getStatistics().getPercentile(90);
            int bytes = docs.get(doc).length;
            rows.add(String.format("| %-9s | %-5s | %6d | %9.0f | %9.0f | %9.0f | %8.0f | %6.2f |", name, doc, bytes,
                    median, mean, p90, 1e6 / median, bytes / median));
        }
        System.out.println("| text      | doc   | bytes  | µs median | µs mean   | µs p90    | docs/s*  | MB/s*  |");
        System.out.println("|-----------|-------|--------|-----------|-----------|-----------|----------|--------|");
        rows.forEach(System.out::println);
        System.out.printf("(%d thread(s), %d cores available, load average %s; extract = Tika on the decomposed"
                + " message, decompose = MIME decomposition alone, message = both; * from the median, per thread:"
                + " MB/s = document bytes / median time)%n", threads, Runtime.getRuntime().availableProcessors(),
                loadAverage());
    }
}

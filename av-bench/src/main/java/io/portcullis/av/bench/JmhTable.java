package io.portcullis.av.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/** Runs throughput benchmarks with 1..n threads and makes the rows of a msg/s table (total and per thread). */
final class JmhTable {
    private JmhTable() {
    }

    /**
     * @param include  JMH include regex (class and methods)
     * @param threads  thread counts, e.g. "1,2"
     * @param quick    short warm-up and measurement
     * @param jvmArgs  system properties and heap for the forked JVM
     */
    static List<String> rows(String include, String threads, boolean quick, String... jvmArgs) throws Exception {
        List<String> rows = new ArrayList<>();
        for (String t : threads.split(",")) {
            int n = Integer.parseInt(t.trim());
            Collection<RunResult> results = new Runner(new OptionsBuilder()
                    .include(include)
                    .forks(1)
                    .threads(n)
                    .warmupIterations(quick ? 1 : 3).warmupTime(TimeValue.seconds(quick ? 2 : 3))
                    .measurementIterations(quick ? 2 : 5).measurementTime(TimeValue.seconds(quick ? 2 : 3))
                    .jvmArgsAppend(jvmArgs)
                    .verbosity(VerboseMode.SILENT)
                    .build()).run();
            for (RunResult r : results) {
                String name = r.getParams().getBenchmark();
                name = name.substring(name.lastIndexOf('.') + 1);
                double total = r.getPrimaryResult().getScore();
                double err = r.getPrimaryResult().getScoreError();
                rows.add(String.format("| %-8s | %7d | %10.0f ± %-6.0f | %10.0f |", name, n, total,
                        Double.isNaN(err) ? 0 : err, total / n));
            }
        }
        return rows;
    }

    static void print(String what, List<String> rows) {
        System.out.println("| " + what + " | threads | msg/s total       | msg/s per thread |");
        System.out.println("|----------|---------|-------------------|------------|");
        rows.forEach(System.out::println);
    }
}

package io.portcullis.av.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Entry point of {@code ./portcullis bench policy}: runs {@link PolicyBenchmark} (evaluate, dlp) with 1 and 2 threads
 * on the TRAIN messages' text and prints messages per second. Options as {@link SpamBench}.
 */
public final class PolicyBench {
    private PolicyBench() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].startsWith("--")) {
                boolean flag = i + 1 >= args.length || args[i + 1].startsWith("--");
                o.put(args[i].substring(2), flag ? "" : args[++i]);
            }
        }
        Path root = Path.of(o.getOrDefault("root", ".")).toAbsolutePath().normalize();
        String home = System.getenv().getOrDefault("PORTCULLIS_HOME", System.getProperty("user.home") + "/.portcullis");
        Path corpus = Path.of(o.getOrDefault("corpus", home + "/corpus/package/data")).toAbsolutePath();
        if (!Files.isDirectory(corpus.resolve("spam-1"))) {
            System.out.println("bench policy: skipped: the TRAIN corpus is not at " + corpus
                    + " (run spam-engine/run.sh fetch, or pass --corpus DIR)");
            return;
        }
        System.out.printf("bench policy: %d TRAIN messages' text; %d rules%n",
                SpamScoringBenchmark.messages(root, corpus).length, PolicyBenchmark.snapshot().rules().size());
        List<String> rows = JmhTable.rows(PolicyBenchmark.class.getName() + "\\.(evaluate|dlp)$",
                o.getOrDefault("threads", "1,2"), o.containsKey("quick"),
                "-D" + SpamScoringBenchmark.ROOT_PROPERTY + "=" + root,
                "-D" + SpamScoringBenchmark.CORPUS_PROPERTY + "=" + corpus, "-Xms1g", "-Xmx1g");
        JmhTable.print("policy", rows);
        System.out.printf("(%d cores available; text already extracted: evaluate = every rule for two recipients,"
                + " dlp = the five built-in templates)%n", Runtime.getRuntime().availableProcessors());
    }
}

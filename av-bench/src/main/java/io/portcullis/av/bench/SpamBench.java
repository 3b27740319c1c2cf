package io.portcullis.av.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Entry point of {@code ./portcullis bench spam}: runs {@link SpamScoringBenchmark} (bayes, rules, both) with 1 and
 * with 2 threads on the TRAIN messages and prints messages per second in total and per thread. Options:
 * {@code --root DIR} (the checkout, default .), {@code --corpus DIR} (the extracted corpus data directory, default
 * {@code $PORTCULLIS_HOME/corpus/package/data}), {@code --threads 1,2}, {@code --quick}. Exits 0 with a message when
 * the corpus is not there (fetch it with {@code ./portcullis spam train} or {@code spam-engine/run.sh fetch}).
 */
public final class SpamBench {
    private SpamBench() {
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
        boolean quick = o.containsKey("quick");
        Path list = root.resolve("spam-engine/corpus/train.txt");
        if (!Files.isRegularFile(list) || !Files.isDirectory(corpus.resolve("spam-1"))) {
            System.out.println("bench spam: skipped: the TRAIN corpus is not at " + corpus + " (run spam-engine/run.sh"
                    + " fetch, or pass --corpus DIR); list " + list);
            return;
        }
        int n = SpamScoringBenchmark.messages(root, corpus).length;
        System.out.printf("bench spam: %d TRAIN messages from %s; model and rules from %s%n", n, corpus, root);
        List<String> rows = JmhTable.rows(SpamScoringBenchmark.class.getName() + "\\.(bayes|rules|both)$",
                o.getOrDefault("threads", "1,2"), quick,
                "-D" + SpamScoringBenchmark.ROOT_PROPERTY + "=" + root,
                "-D" + SpamScoringBenchmark.CORPUS_PROPERTY + "=" + corpus, "-Xms1g", "-Xmx1g");
        JmhTable.print("scoring", rows);
        System.out.printf("(%d cores available; raw bytes in, score out: MIME parsing, HTML rendering and tokenizing"
                + " included)%n", Runtime.getRuntime().availableProcessors());
    }
}

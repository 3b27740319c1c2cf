package io.portcullis.av.bench;

import io.portcullis.spam.Corpus;
import io.portcullis.spam.SpamModel;
import io.portcullis.spam.rules.BayesBuckets;
import io.portcullis.spam.rules.RuleLimits;
import io.portcullis.spam.rules.RuleSet;
import io.portcullis.spam.rules.RuleSource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Spam scoring throughput, one operation = one TRAIN message (raw bytes in, score out), each thread walking the
 * messages in turn from its own offset: {@code bayes} (the shipped model: tokenize + Robinson-Fisher),
 * {@code rules} (the shipped rule set: parse + every rule, with the scanner's deadline), {@code both} (bucket score +
 * rule score, as the scanner adds them). Paths come from system properties set by {@link SpamBench}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SpamScoringBenchmark {
    static final String ROOT_PROPERTY = "portcullis.bench.spam.root";
    static final String CORPUS_PROPERTY = "portcullis.bench.spam.corpus";
    /** Time budget per message, as the scanner gives the rule engine (portcullis.scanner.rules.timeout). */
    static final long DEADLINE_NANOS = TimeUnit.SECONDS.toNanos(5);

    /** Model, rules and messages, loaded once per trial. */
    @State(Scope.Benchmark)
    public static class Loaded {
        SpamModel model;
        RuleSet rules;
        byte[][] messages;

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            Path root = Path.of(System.getProperty(ROOT_PROPERTY, "."));
            model = model(root);
            rules = rules(root);
            messages = messages(root, Path.of(System.getProperty(CORPUS_PROPERTY)));
        }
    }

    /** Each thread's position in the message list (threads start at different offsets). */
    @State(Scope.Thread)
    public static class Cursor {
        private static final java.util.concurrent.atomic.AtomicInteger THREADS =
                new java.util.concurrent.atomic.AtomicInteger();
        int next;

        @Setup(Level.Trial)
        public void setUp() {
            next = THREADS.getAndIncrement() * 997;
        }

        byte[] message(Loaded l) {
            byte[] m = l.messages[Math.floorMod(next, l.messages.length)];
            next++;
            return m;
        }
    }

    static SpamModel model(Path root) throws IOException {
        try (InputStream in = Files.newInputStream(
                root.resolve("scanner-service/src/main/resources/spam/portcullis-spam.model"))) {
            return SpamModel.load(in);
        }
    }

    static RuleSet rules(Path root) throws Exception {
        List<RuleSource> sources = new ArrayList<>();
        try (Stream<Path> s = Files.list(root.resolve("scanner-service/src/main/resources/spam/rules"))) {
            for (Path p : s.filter(f -> f.toString().endsWith(".cf")).sorted().toList()) {
                sources.add(new RuleSource(p.getFileName().toString(), Files.readString(p, StandardCharsets.UTF_8)));
            }
        }
        return RuleSet.compile(sources, RuleLimits.DEFAULT);
    }

    /** Exactly the messages of the TRAIN list (spam-engine/corpus/train.txt). */
    static byte[][] messages(Path root, Path corpus) throws IOException {
        return Corpus.load(root.resolve("spam-engine/corpus/train.txt"), corpus).stream().map(Corpus.Entry::raw)
                .toArray(byte[][]::new);
    }

    @Benchmark
    public double bayes(Loaded l, Cursor c) {
        return l.model.score(c.message(l)).probability();
    }

    @Benchmark
    public double rules(Loaded l, Cursor c) {
        return l.rules.evaluate(c.message(l), System.nanoTime() + DEADLINE_NANOS).score();
    }

    @Benchmark
    public double both(Loaded l, Cursor c) {
        byte[] m = c.message(l);
        return BayesBuckets.score(l.model.score(m).probability())
                + l.rules.evaluate(m, System.nanoTime() + DEADLINE_NANOS).score();
    }
}

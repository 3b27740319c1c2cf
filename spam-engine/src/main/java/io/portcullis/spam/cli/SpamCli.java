package io.portcullis.spam.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.portcullis.spam.BayesParams;
import io.portcullis.spam.Corpus;
import io.portcullis.spam.LogisticClassifier;
import io.portcullis.spam.ModelTrainer;
import io.portcullis.spam.SpamModel;
import io.portcullis.spam.SpamScore;
import io.portcullis.spam.Tokenizer;

/**
 * {@code train --list train.txt --data DIR --out model.bin} and {@code eval --list train.txt --data DIR}: 5-fold
 * cross-validation of Robinson-Fisher, logistic regression, their average and bogofilter on the same folds.
 */
public final class SpamCli {

    private static final int FOLDS = 5;

    private SpamCli() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            usage();
        }
        if (args[0].equals("score")) {
            score(args);
            return;
        }
        Map<String, String> opt = new HashMap<>();
        for (int i = 1; i + 1 < args.length; i += 2) {
            opt.put(args[i], args[i + 1]);
        }
        Path list = Path.of(opt.getOrDefault("--list", "spam-engine/corpus/train.txt"));
        Path data = Path.of(opt.getOrDefault("--data", defaultData()));
        switch (args[0]) {
            case "train" -> train(list, data, Path.of(opt.getOrDefault("--out", "spam-model.bin")));
            case "eval" -> eval(list, data, !"false".equals(opt.get("--bogofilter")),
                    opt.containsKey("--rules") ? Path.of(opt.get("--rules")) : null);
            case "sweep" -> sweep(list, data);
            default -> usage();
        }
    }

    /** {@code score MODEL FILE...}: probability, verdict and top tokens per message file. */
    static void score(String[] args) throws IOException {
        if (args.length < 3) {
            usage();
        }
        SpamModel model;
        try (var in = Files.newInputStream(Path.of(args[1]))) {
            model = SpamModel.load(in);
        }
        for (int i = 2; i < args.length; i++) {
            SpamScore s = model.score(Files.readAllBytes(Path.of(args[i])));
            StringBuilder top = new StringBuilder();
            for (SpamScore.Contribution c : s.tokens()) {
                top.append(String.format(" %s=%.3f", c.token(), c.spamProbability()));
            }
            System.out.printf("%s %s %.6f%s%n", args[i], s.spam() ? "spam" : "ham", s.probability(), top);
        }
    }

    private static String defaultData() {
        String home = System.getenv("PORTCULLIS_HOME");
        if (home == null || home.isBlank()) {
            home = System.getProperty("user.home") + "/.portcullis";
        }
        return home + "/corpus/package/data";
    }

    private static void usage() {
        System.err.println("usage: SpamCli train|eval|sweep [--list train.txt] [--data corpus/package/data]"
                + " [--out model.bin] [--bogofilter false] [--rules DIR]\n       SpamCli score MODEL FILE...");
        System.exit(2);
    }

    /** The model date: SOURCE_DATE_EPOCH (seconds) if set, so the same input gives byte-identical output. */
    private static String created() {
        String epoch = System.getenv("SOURCE_DATE_EPOCH");
        return epoch == null || epoch.isBlank() ? Instant.EPOCH.toString()
                : Instant.ofEpochSecond(Long.parseLong(epoch.trim())).toString();
    }

    static void train(Path list, Path data, Path out) throws IOException {
        List<Corpus.Entry> entries = Corpus.load(list, data);
        ModelTrainer trainer = new ModelTrainer(BayesParams.DEFAULT);
        for (Corpus.Entry e : entries) {
            trainer.learn(e.raw(), e.spam());
        }
        SpamModel model = trainer.build(Corpus.hash(entries), created());
        Path tmp = out.resolveSibling(out.getFileName() + ".tmp");
        try (OutputStream os = Files.newOutputStream(tmp)) {
            model.write(os);
        }
        Files.move(tmp, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        System.out.printf("wrote %s: %d spam, %d ham, %d tokens, %d bytes, training set %s, created %s%n", out,
                model.spamMessages(), model.hamMessages(), model.tokenCount(), Files.size(out),
                model.trainingSetHash(), model.created());
    }

    /** Per-classifier confusion counts. */
    private static final class Tally {
        int spam;
        int spamCaught;
        int ham;
        int hamFp;
        int hard;
        int hardFp;

        void add(Corpus.Entry e, boolean saysSpam) {
            if (e.spam()) {
                spam++;
                spamCaught += saysSpam ? 1 : 0;
            } else {
                ham++;
                hamFp += saysSpam ? 1 : 0;
                if (e.kind().equals("hard-ham")) {
                    hard++;
                    hardFp += saysSpam ? 1 : 0;
                }
            }
        }

        String row(String name) {
            int n = spam + ham;
            int correct = spamCaught + ham - hamFp;
            return String.format("| %-40s | %7.2f%% | %10.2f%% | %5.2f%% (%2d/%d) | %5.2f%% (%2d/%d)  |", name,
                    100.0 * correct / n, 100.0 * spamCaught / spam, 100.0 * hamFp / ham, hamFp, ham,
                    100.0 * hardFp / hard, hardFp, hard);
        }
    }

    static void eval(Path list, Path data, boolean withBogofilter, Path rulesDir) throws Exception {
        List<Corpus.Entry> entries = Corpus.load(list, data);
        RulesEval rules = rulesDir == null ? null : RulesEval.of(rulesDir, entries);
        Tokenizer tokenizer = new Tokenizer();
        List<List<String>> tokens = new ArrayList<>();
        for (Corpus.Entry e : entries) {
            tokens.add(tokenizer.tokenize(e.raw()));
        }
        Map<String, Tally> tallies = new LinkedHashMap<>();
        String shipped = "bayes (Robinson-Fisher) @" + BayesParams.DEFAULT.spamCutoff() + " SHIPPED";
        for (String k : List.of(shipped, "bayes (Robinson-Fisher) @0.5", "logreg (hashed, 10 epochs) @0.5",
                "logreg (hashed, 10 epochs) @0.7", "bogofilter @0.5", "bogofilter default (S)")) {
            tallies.put(k, new Tally());
        }
        if (rules != null) {
            for (String k : RulesEval.ROWS) {
                tallies.put(k, new Tally());
            }
        }
        for (int fold = 0; fold < FOLDS; fold++) {
            ModelTrainer trainer = new ModelTrainer(BayesParams.DEFAULT);
            List<List<String>> trainDocs = new ArrayList<>();
            List<Boolean> trainLabels = new ArrayList<>();
            List<Integer> test = new ArrayList<>();
            for (int i = 0; i < entries.size(); i++) {
                if (entries.get(i).fold(FOLDS) == fold) {
                    test.add(i);
                } else {
                    trainer.learnTokens(tokens.get(i), entries.get(i).spam());
                    trainDocs.add(tokens.get(i));
                    trainLabels.add(entries.get(i).spam());
                }
            }
            SpamModel bayes = trainer.build("fold" + fold, created());
            LogisticClassifier lr = LogisticClassifier.train(trainDocs, trainLabels, 10, 42L + fold);
            for (int i : test) {
                Corpus.Entry e = entries.get(i);
                SpamScore sb = bayes.scoreTokens(tokens.get(i));
                double pl = lr.score(tokens.get(i));
                tallies.get(shipped).add(e, sb.spam());
                tallies.get("bayes (Robinson-Fisher) @0.5").add(e, sb.probability() > 0.5);
                tallies.get("logreg (hashed, 10 epochs) @0.5").add(e, pl > 0.5);
                tallies.get("logreg (hashed, 10 epochs) @0.7").add(e, pl > 0.7);
                if (rules != null) {
                    boolean[] says = rules.verdicts(i, sb.probability());
                    for (int r = 0; r < says.length; r++) {
                        tallies.get(RulesEval.ROWS.get(r)).add(e, says[r]);
                    }
                }
            }
            if (withBogofilter) {
                bogofilterFold(entries, data, fold, tallies.get("bogofilter @0.5"),
                        tallies.get("bogofilter default (S)"));
            }
            System.err.printf("fold %d/%d done (%d test messages)%n", fold + 1, FOLDS, test.size());
        }
        System.out.printf("5-fold cross-validation on TRAIN (%d messages: %d spam, %d ham of which %d hard-ham)%n",
                entries.size(), entries.stream().filter(Corpus.Entry::spam).count(),
                entries.stream().filter(e -> !e.spam()).count(),
                entries.stream().filter(e -> e.kind().equals("hard-ham")).count());
        System.out.println("| classifier                               | accuracy | spam recall | ham FP rate       | hard-ham FP rate |");
        System.out.println("|------------------------------------------|----------|-------------|-------------------|------------------|");
        tallies.forEach((k, t) -> {
            if (t.spam + t.ham > 0) {
                System.out.println(t.row(k));
            }
        });
        if (rules != null) {
            rules.printStats();
        }
        throughput(list, data, entries);
    }

    /** Parameter grid by the same 5-fold cross-validation on TRAIN (how BayesParams.DEFAULT was chosen). */
    static void sweep(Path list, Path data) throws IOException {
        List<Corpus.Entry> entries = Corpus.load(list, data);
        Tokenizer tokenizer = new Tokenizer();
        List<List<String>> tokens = entries.stream().map(e -> tokenizer.tokenize(e.raw())).toList();
        double[] ss = {0.1, 0.45, 1.0};
        double[] devs = {0.0, 0.1, 0.2, 0.3, 0.4};
        int[] maxes = {30, 150, 1000};
        double[] cuts = {0.5, 0.7, 0.9, 0.95, 0.99};
        Map<String, Tally> t = new LinkedHashMap<>();
        for (int fold = 0; fold < FOLDS; fold++) {
            ModelTrainer trainer = new ModelTrainer(BayesParams.DEFAULT);
            List<List<String>> trainDocs = new ArrayList<>();
            List<Boolean> trainLabels = new ArrayList<>();
            for (int i = 0; i < entries.size(); i++) {
                if (entries.get(i).fold(FOLDS) != fold) {
                    trainer.learnTokens(tokens.get(i), entries.get(i).spam());
                    trainDocs.add(tokens.get(i));
                    trainLabels.add(entries.get(i).spam());
                }
            }
            SpamModel base = trainer.build("f", "d");
            for (double s : ss) {
                for (double dev : devs) {
                    for (int max : maxes) {
                        SpamModel m = base.withParams(new BayesParams(s, 0.5, dev, max, 0.5));
                        for (int i = 0; i < entries.size(); i++) {
                            if (entries.get(i).fold(FOLDS) == fold) {
                                double p = m.scoreTokens(tokens.get(i)).probability();
                                for (double c : cuts) {
                                    t.computeIfAbsent(String.format("bayes s=%.2f dev=%.2f max=%d @%.2f", s, dev, max,
                                            c), k -> new Tally()).add(entries.get(i), p > c);
                                }
                            }
                        }
                    }
                }
            }
            for (int epochs : new int[] {5, 10, 20}) {
                LogisticClassifier lr = LogisticClassifier.train(trainDocs, trainLabels, epochs, 42L + fold);
                for (int i = 0; i < entries.size(); i++) {
                    if (entries.get(i).fold(FOLDS) == fold) {
                        double p = lr.score(tokens.get(i));
                        for (double c : cuts) {
                            t.computeIfAbsent(String.format("logreg epochs=%d @%.2f", epochs, c), k -> new Tally())
                                    .add(entries.get(i), p > c);
                        }
                    }
                }
            }
        }
        t.forEach((k, v) -> System.out.println(v.row(k)));
    }

    private static void throughput(Path list, Path data, List<Corpus.Entry> entries) {
        ModelTrainer trainer = new ModelTrainer(BayesParams.DEFAULT);
        for (Corpus.Entry e : entries) {
            trainer.learn(e.raw(), e.spam());
        }
        SpamModel model = trainer.build("all", created());
        double sink = 0;
        for (int round = 0; round < 2; round++) { // warm-up round, then measured round
            long t0 = System.nanoTime();
            for (Corpus.Entry e : entries) {
                sink += model.score(e.raw()).probability();
            }
            long ns = System.nanoTime() - t0;
            if (round == 1) {
                long bytes = entries.stream().mapToLong(e -> e.raw().length).sum();
                System.out.printf("throughput: %.0f msg/s on one thread (raw bytes -> probability, tokenizer included;"
                        + " %d messages, %.1f MB, checksum %.3f)%n", entries.size() / (ns / 1e9), entries.size(),
                        bytes / 1e6, sink);
            }
        }
    }

    private static void bogofilterFold(List<Corpus.Entry> entries, Path data, int fold, Tally at05, Tally deflt)
            throws IOException, InterruptedException {
        Path home = Files.createTempDirectory("bogofilter-fold" + fold);
        try {
            List<String> spam = new ArrayList<>();
            List<String> ham = new ArrayList<>();
            List<Corpus.Entry> test = new ArrayList<>();
            for (Corpus.Entry e : entries) {
                if (e.fold(FOLDS) == fold) {
                    test.add(e);
                } else {
                    (e.spam() ? spam : ham).add(data.resolve(e.path()).toString());
                }
            }
            run(home, "-s", spam);
            run(home, "-n", ham);
            List<String> files = test.stream().map(e -> data.resolve(e.path()).toString()).toList();
            String out = run(home, "-T", files);
            Map<String, String[]> byFile = new HashMap<>();
            for (String line : out.split("\n")) {
                String[] f = line.trim().split("\\s+");
                if (f.length >= 3) {
                    byFile.put(f[0], f);
                }
            }
            for (Corpus.Entry e : test) {
                String[] f = byFile.get(data.resolve(e.path()).toString());
                if (f == null) {
                    throw new IOException("bogofilter gave no verdict for " + e.path());
                }
                at05.add(e, Double.parseDouble(f[f.length - 1]) > 0.5);
                deflt.add(e, f[f.length - 2].equals("S"));
            }
        } finally {
            try (var walk = Files.walk(home)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static String run(Path home, String mode, List<String> files) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("bogofilter", "-d", home.toString(), mode, "-B"));
        cmd.addAll(files);
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IOException("bogofilter timed out");
        }
        int rc = p.exitValue();
        if (rc == 3) {
            throw new IOException("bogofilter failed (" + mode + ")");
        }
        return out;
    }
}

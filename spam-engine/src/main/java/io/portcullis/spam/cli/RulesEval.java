package io.portcullis.spam.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import io.portcullis.spam.Corpus;
import io.portcullis.spam.rules.BayesBuckets;
import io.portcullis.spam.rules.RuleFileException;
import io.portcullis.spam.rules.RuleHit;
import io.portcullis.spam.rules.RuleLimits;
import io.portcullis.spam.rules.RuleResult;
import io.portcullis.spam.rules.RuleSet;
import io.portcullis.spam.rules.RuleSource;

/**
 * The rule rows of {@code SpamCli eval}: the shipped rule files ({@code *.cf} of a directory, in name order) applied to
 * every TRAIN message once (rules are not trained, so they do not depend on the fold), combined per fold with the
 * classifier's bucket score as scanner-service's BayesEngine adds it, against the default threshold 5.0. Also prints
 * how often each rule hits spam, easy ham and hard ham (what the shipped scores were chosen from).
 */
final class RulesEval {
    /** Policy's default spam threshold. */
    static final double THRESHOLD = 5.0;
    static final List<String> ROWS = List.of("bayes buckets (scanner) >= 5.0", "bayes+rules (scanner) >= 5.0",
            "rules alone >= 5.0");

    /** {@code -Dportcullis.rules.detail=true}: each missed spam and each ham the classifier rates 0.8 or more. */
    private static final boolean DETAIL = Boolean.getBoolean("portcullis.rules.detail");
    private final RuleSet set;
    private final List<Corpus.Entry> entries;
    private final RuleResult[] results;

    private RulesEval(RuleSet set, List<Corpus.Entry> entries, RuleResult[] results) {
        this.set = set;
        this.entries = entries;
        this.results = results;
    }

    static RulesEval of(Path dir, List<Corpus.Entry> entries) throws IOException, RuleFileException {
        RuleSet set = RuleSet.compile(sources(dir), RuleLimits.DEFAULT);
        RuleResult[] results = new RuleResult[entries.size()];
        for (int i = 0; i < entries.size(); i++) {
            results[i] = set.evaluate(entries.get(i).raw());
        }
        System.err.printf("rules: %d rules (%d scored) from %s, %s%n", set.ruleCount(), set.scoredRuleCount(),
                set.files(), set.version());
        return new RulesEval(set, entries, results);
    }

    /** The {@code *.cf} files of a directory, in name order. */
    static List<RuleSource> sources(Path dir) throws IOException {
        List<RuleSource> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.filter(f -> f.getFileName().toString().endsWith(".cf")).sorted().toList()) {
                out.add(new RuleSource(p.getFileName().toString(), Files.readString(p, StandardCharsets.UTF_8)));
            }
        }
        if (out.isEmpty()) {
            throw new IOException("no *.cf rule files in " + dir);
        }
        return out;
    }

    /** Verdicts of the {@link #ROWS} for message {@code i} given the fold model's probability. */
    boolean[] verdicts(int i, double probability) {
        double bayes = BayesBuckets.score(probability);
        double rules = results[i].score();
        if (DETAIL && (entries.get(i).spam() ? bayes + rules < THRESHOLD : bayes >= 3.0 || bayes + rules >= THRESHOLD)) {
            System.err.printf("detail %s %s p=%.4f bayes=%.1f rules=%.1f %s%n", entries.get(i).spam() ? "MISS" : "HAM",
                    entries.get(i).path(), probability, bayes, rules,
                    results[i].hits().stream().map(h -> h.name() + "=" + h.score()).toList());
        }
        return new boolean[] {bayes >= THRESHOLD, bayes + rules >= THRESHOLD, rules >= THRESHOLD};
    }

    void printStats() {
        Map<String, int[]> hits = new TreeMap<>();
        for (int i = 0; i < entries.size(); i++) {
            String kind = entries.get(i).kind();
            for (RuleHit h : results[i].hits()) {
                int[] c = hits.computeIfAbsent(h.name(), k -> new int[3]);
                c[kind.equals("spam") ? 0 : kind.equals("easy-ham") ? 1 : 2]++;
            }
        }
        long spam = entries.stream().filter(Corpus.Entry::spam).count();
        long easy = entries.stream().filter(e -> e.kind().equals("easy-ham")).count();
        long hard = entries.stream().filter(e -> e.kind().equals("hard-ham")).count();
        System.out.printf("%nrule hits on TRAIN (%s; %d spam, %d easy ham, %d hard ham)%n", set.version(), spam, easy,
                hard);
        System.out.println("| rule                           | score |  spam | easy ham | hard ham |");
        System.out.println("|--------------------------------|-------|-------|----------|----------|");
        hits.forEach((name, c) -> System.out.printf("| %-30s | %5.1f | %5d | %8d | %8d |%n", name, set.score(name),
                c[0], c[1], c[2]));
    }
}

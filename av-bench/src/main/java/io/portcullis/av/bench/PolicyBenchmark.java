package io.portcullis.av.bench;

import io.portcullis.contracts.events.Action;
import io.portcullis.contracts.policy.Direction;
import io.portcullis.contracts.policy.PolicyRule;
import io.portcullis.contracts.policy.PolicySnapshot;
import io.portcullis.contracts.policy.RuleAction;
import io.portcullis.contracts.policy.RuleCondition;
import io.portcullis.contracts.policy.RuleScope;
import io.portcullis.policy.engine.CompiledPolicy;
import io.portcullis.policy.engine.Directory;
import io.portcullis.policy.engine.MessageText;
import io.portcullis.policy.engine.PolicyInput;
import io.portcullis.policy.engine.dlp.DlpResult;
import io.portcullis.policy.engine.dlp.DlpTemplate;
import io.portcullis.policy.engine.dlp.DlpTemplates;
import io.portcullis.spam.rules.ParsedMessage;
import io.portcullis.spam.rules.RuleLimits;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Policy throughput, one operation = one TRAIN message whose text is already extracted (subject and body as the spam
 * rule parser renders them): {@code evaluate} (a policy like the seeded one plus twelve content, header, attachment
 * and scoped rules, for two recipients) and {@code dlp} (all five built-in DLP templates over subject and body).
 * Text extraction (Tika) and MIME parsing are not included.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class PolicyBenchmark {
    /** Time budget per message, as the scanner gives content conditions and DLP. */
    static final long DEADLINE_NANOS = TimeUnit.SECONDS.toNanos(5);

    /** The policy, the templates and the messages' texts, prepared once per trial. */
    @State(Scope.Benchmark)
    public static class Loaded {
        CompiledPolicy policy;
        List<DlpTemplate> templates;
        PolicyInput[] inputs;

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            Path root = Path.of(System.getProperty(SpamScoringBenchmark.ROOT_PROPERTY, "."));
            byte[][] raw = SpamScoringBenchmark.messages(root,
                    Path.of(System.getProperty(SpamScoringBenchmark.CORPUS_PROPERTY)));
            policy = CompiledPolicy.compile(snapshot());
            templates = DlpTemplates.builtIns();
            inputs = new PolicyInput[raw.length];
            for (int i = 0; i < raw.length; i++) {
                ParsedMessage m = ParsedMessage.parse(raw[i], RuleLimits.DEFAULT);
                MessageText text = new MessageText(m.header("Subject"), m.body(), List.of());
                inputs[i] = new PolicyInput("sender@outside.test", List.of("alice@example.com", "bob@example.org"),
                        raw[i].length, List.of(), Map.of("subject", List.of(m.header("Subject")),
                                "x-mailer", List.of(m.header("X-Mailer"))), List.of(), Instant.now(), text);
            }
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

        PolicyInput input(Loaded l) {
            PolicyInput m = l.inputs[Math.floorMod(next, l.inputs.length)];
            next++;
            return m;
        }
    }

    static PolicySnapshot snapshot() {
        List<PolicyRule> rules = new ArrayList<>();
        String[][] seeded = {{"MASS_MAILER", "DELETE"}, {"VIRUS", "QUARANTINE"}, {"GRAYWARE", "QUARANTINE"},
            {"BLOCKED_ATTACHMENT", "QUARANTINE"}, {"ACTIVE_CONTENT", "QUARANTINE"}, {"SCAN_FAILURE", "QUARANTINE"},
            {"SYMBOL:BLOCKED_SENDER", "QUARANTINE"}, {"SYMBOL:DMARC_REJECT", "QUARANTINE"},
            {"SYMBOL:SAFE_SENDER", "DELIVER"}};
        for (int i = 0; i < seeded.length; i++) {
            rules.add(new PolicyRule("seed-" + i, "seed " + i, 5 + 5 * i, seeded[i][0],
                    Action.valueOf(seeded[i][1]), null, null));
        }
        List<String> words = List.of("confidential", "salary", "merger", "acquisition", "password", "invoice",
                "wire transfer", "bank account", "social security", "passport", "internal only", "do not forward",
                "payroll", "tax return", "medical record", "diagnosis", "credit card", "account number", "routing",
                "swift code", "board meeting", "layoff", "restructuring", "lawsuit", "settlement", "patent",
                "source code", "api key", "private key", "secret");
        rules.add(rule("kw-subject", 1, new RuleCondition("keywords", "subject", null, words, null, false)));
        rules.add(rule("kw-all", 2, new RuleCondition("keywords", "all", null, words, 3.0, false)));
        rules.add(rule("rx-project", 3, new RuleCondition("regex", "body", null,
                List.of("(?i)project\\s+[A-Z][a-z]+", "\\b[A-Z]{2,5}-\\d{3,6}\\b"), 2.0, false)));
        List<String> weighted = new ArrayList<>();
        for (int i = 0; i < words.size(); i++) {
            weighted.add(words.get(i) + "=" + (i % 5 + 1));
        }
        rules.add(rule("dict", 4, new RuleCondition("dictionary", "all", null, weighted, 12.0, false)));
        rules.add(rule("hdr", 6, new RuleCondition("header", "X-Mailer", null, List.of("(?i)bulk|mass|blast"), null,
                false)));
        rules.add(rule("big", 7, RuleCondition.compare("message-size", ">", 5_000_000)));
        rules.add(rule("exe", 8, RuleCondition.of("attachment-extension", "exe", "scr", "js")));
        rules.add(rule("night", 9, RuleCondition.of("time-of-day", "Mon-Fri 22:00-06:00")));
        rules.add(PolicyRule.of("sales", "sales", 11, Direction.INBOUND,
                new RuleScope(null, List.of("*@example.org"), null, null),
                List.of(RuleCondition.of("keywords", "discount")), List.of(RuleAction.of("tag-subject", "[S] "))));
        rules.add(rule("dlp-cards", 12, new RuleCondition("dlp", null, null, List.of("credit-card"), 1.0, false)));
        rules.add(rule("many", 13, RuleCondition.compare("recipient-count", ">", 50)));
        rules.add(rule("spam", 60, RuleCondition.of("class", "SPAM")));
        return new PolicySnapshot("default", 1, List.of("example.com", "example.org"), 5.0, List.of(), rules);
    }

    private static PolicyRule rule(String id, int priority, RuleCondition c) {
        return PolicyRule.of(id, id, priority, null, null, List.of(c), List.of(RuleAction.of("tag-subject", "[" + id
                + "] ")));
    }

    @Benchmark
    public int evaluate(Loaded l, Cursor c) {
        return l.policy.evaluate(c.input(l), Directory.NONE).groups().size();
    }

    @Benchmark
    public int dlp(Loaded l, Cursor c) {
        String text = c.input(l).text().field("all");
        long deadline = System.nanoTime() + DEADLINE_NANOS;
        int found = 0;
        for (DlpTemplate t : l.templates) {
            DlpResult r = t.scan(text, deadline);
            found += r.count();
        }
        return found;
    }
}

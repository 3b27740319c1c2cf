package io.portcullis.scanner.engine;

import io.portcullis.contracts.scan.Category;
import io.portcullis.contracts.scan.EngineResult;
import io.portcullis.contracts.scan.Finding;
import io.portcullis.contracts.scan.ScanEngine;
import io.portcullis.contracts.scan.ScanInput;
import io.portcullis.contracts.scan.ScanItem;
import io.portcullis.scanner.config.ScannerConfig;
import io.portcullis.scanner.spam.LearnedModels;
import io.portcullis.spam.SpamModel;
import io.portcullis.spam.SpamScore;
import io.quarkus.arc.lookup.LookupIfProperty;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * The statistical spam classifier: spam-engine's Robinson-Fisher model scores the raw message (the depth-0 item)
 * once per message, and the probability becomes one SpamAssassin-style {@code BAYES_xx} finding, category SPAM,
 * whose score policy adds to the other SPAM scores (see {@link Bucket}; scores from spam-engine's
 * {@code BayesBuckets}): 0.95 and above alone reaches the default threshold 5.0; 0.8 to 0.95 adds 3.5 to 4.5, so it
 * needs more evidence (a rule, a blocklist, an authentication failure); 0.5 or below never adds to the score. Chosen by
 * cross-validation of classifier plus shipped rules on the TRAIN files (docs/spam-rules.md).
 * Detail: {@code p=<probability> top: <token>=<f(w)> ...} (the five strongest tokens; the local part of an address
 * in a token is masked).
 *
 * <p>When the model only saw part of the message (size, part, depth or token limit of the tokenizer, or MIME that did
 * not parse and was read as raw text) an extra {@value #PARTIAL_SYMBOL} finding, category INFO, records it. It is not
 * a failure: the message was scored, on what was parsed, and the spam engines must not quarantine every large
 * newsletter; a {@code SYMBOL:BAYES_PARTIAL} rule can act on it.
 *
 * <p>The model is loaded once at start-up ({@code portcullis.scanner.bayes.model}, default the shipped classpath
 * resource {@value #SHIPPED_MODEL}); a bad file fails start-up. The result's version is the model's short id
 * ({@link #versionOf}). Only looked up by {@link EngineRunner} when {@code portcullis.scanner.bayes.enabled} is true
 * (the default). The model is immutable and thread-safe.
 *
 * <p>Learning from feedback ({@code portcullis.scanner.bayes.learning.enabled}, default on): the message's tenant
 * ({@code ScanInput.tenant}) selects its learned counts ({@link LearnedModels}: its own, else the shared model
 * {@code *}), which are added to the model's counts; the result's version is then {@code <model id>+<sequence>}, the
 * sequence of the learned counts used, so every verdict records which model scored it.
 */
@ApplicationScoped
@LookupIfProperty(name = "portcullis.scanner.bayes.enabled", stringValue = "true", lookupIfMissing = true)
public class BayesEngine implements ScanEngine {
    public static final String NAME = "bayes";
    public static final String FAILURE_SYMBOL = "BAYES_FAIL";
    public static final String PARTIAL_SYMBOL = "BAYES_PARTIAL";
    /** The model shipped in this module (rebuilt with {@code ./portcullis spam train --out ...}). */
    public static final String SHIPPED_MODEL = "spam/portcullis-spam.model";
    /** Tokens named in a finding's detail. */
    static final int DETAIL_TOKENS = 5;
    /** Longest token shown in a detail. */
    static final int DETAIL_TOKEN_CHARS = 40;
    private static final Logger LOG = Logger.getLogger(BayesEngine.class);

    /**
     * Probability buckets, SpamAssassin style: a bucket applies from its lower bound (inclusive) up to the next
     * bucket's; {@code BAYES_40} also takes exactly 0.5 so that 0.5 never adds to the spam score.
     */
    public enum Bucket {
        BAYES_00(0.00),
        BAYES_05(0.01),
        BAYES_20(0.20),
        BAYES_40(0.40),
        BAYES_50(Math.nextUp(0.50)),
        BAYES_80(0.80),
        BAYES_90(0.90),
        BAYES_95(0.95),
        BAYES_99(0.99);

        private final double from;
        private final double score;

        Bucket(double from) {
            this.from = from;
            this.score = io.portcullis.spam.rules.BayesBuckets.score(from);
        }

        public double from() {
            return from;
        }

        public double score() {
            return score;
        }

        /** The bucket of a probability in [0, 1]. */
        public static Bucket of(double probability) {
            Bucket[] all = values();
            for (int i = all.length - 1; i > 0; i--) {
                if (probability >= all[i].from) {
                    return all[i];
                }
            }
            return BAYES_00;
        }
    }

    private final Function<byte[], SpamScore> scorer;
    private final String version;
    /** With learning: the model scored over its counts plus learned ones; null without. */
    private final SpamModel learningModel;
    private final LearnedModels learned;

    @Inject
    public BayesEngine(ScannerConfig config, LearnedModels learned) {
        this(load(config.scanner().bayes().model()), config.scanner().bayes().learning().enabled() ? learned : null);
    }

    /** Scores with {@code model} plus the learned counts of each message's tenant (none when {@code learned} is null). */
    public BayesEngine(SpamModel model, LearnedModels learned) {
        this(model::score, versionOf(model), learned == null ? null : model, learned);
        LOG.infof("bayes: model %s (training set %s, created %s; %d spam, %d ham, %d tokens, cutoff %.2f), "
                + "learning from feedback %s", version, model.trainingSetHash(), model.created(), model.spamMessages(),
                model.hamMessages(), model.tokenCount(), model.params().spamCutoff(), learned == null ? "off" : "on");
    }

    public BayesEngine(SpamModel model) {
        this(model::score, versionOf(model));
        LOG.infof("bayes: model %s (training set %s, created %s; %d spam, %d ham, %d tokens, cutoff %.2f)", version,
                model.trainingSetHash(), model.created(), model.spamMessages(), model.hamMessages(),
                model.tokenCount(), model.params().spamCutoff());
    }

    BayesEngine(Function<byte[], SpamScore> scorer, String version) {
        this(scorer, version, null, null);
    }

    private BayesEngine(Function<byte[], SpamScore> scorer, String version, SpamModel learningModel,
            LearnedModels learned) {
        this.scorer = scorer;
        this.version = version;
        this.learningModel = learningModel;
        this.learned = learned;
    }

    /**
     * Loads the configured model, or the shipped one.
     *
     * @throws IllegalStateException naming the key and the file when it is missing, unreadable or not a valid model
     */
    public static SpamModel load(Optional<Path> path) {
        String where = path.map(p -> "portcullis.scanner.bayes.model " + p)
                .orElse("shipped spam model classpath:" + SHIPPED_MODEL);
        try (InputStream in = path.isPresent() ? Files.newInputStream(path.get())
                : BayesEngine.class.getClassLoader().getResourceAsStream(SHIPPED_MODEL)) {
            if (in == null) {
                throw new IllegalStateException(where + ": not found");
            }
            return SpamModel.load(in);
        } catch (IOException e) {
            throw new IllegalStateException(where + ": cannot load the spam model: " + e.getMessage()
                    + " (rebuild it with ./portcullis spam train --out FILE)", e);
        }
    }

    /** Short model id for verdicts: the first 8 hex digits of the training-set hash and the creation date. */
    public static String versionOf(SpamModel model) {
        String hash = model.trainingSetHash();
        int colon = hash.indexOf(':');
        hash = colon >= 0 ? hash.substring(colon + 1) : hash;
        String date = model.created();
        return hash.substring(0, Math.min(8, hash.length())) + "-"
                + (date.length() >= 10 ? date.substring(0, 10) : date);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String failureSymbol() {
        return FAILURE_SYMBOL;
    }

    public String version() {
        return version;
    }

    @Override
    public EngineResult scan(ScanInput input) {
        ScanItem raw = rawItem(input);
        if (raw == null) {
            return EngineResult.failed(NAME, EngineResult.Status.FAILED, FAILURE_SYMBOL,
                    "bayes: no raw message to score");
        }
        SpamScore s;
        String used = version;
        if (learningModel != null) {
            LearnedModels.Selected counts = learned.forTenant(input.tenant());
            s = learningModel.score(raw.content(), counts.counts());
            used = version + "+" + counts.counts().sequence();
        } else {
            s = scorer.apply(raw.content());
        }
        double p = s.probability();
        if (!(p >= 0 && p <= 1)) {
            return EngineResult.failed(NAME, EngineResult.Status.FAILED, FAILURE_SYMBOL,
                    "bayes: model returned probability " + p);
        }
        List<Finding> findings = new ArrayList<>(2);
        Bucket b = Bucket.of(p);
        findings.add(new Finding(b.name(), Category.SPAM, b.score(), detail(s)));
        if (s.partial()) {
            findings.add(new Finding(PARTIAL_SYMBOL, Category.INFO, 0,
                    "bayes: scored on the parsed part only (tokenizer limit or unparsable MIME)"));
        }
        return EngineResult.ok(NAME, findings, used);
    }

    /** {@code p=0.997300 top: subject:free=0.990 url:example.test=0.985 ...}. */
    static String detail(SpamScore s) {
        StringBuilder d = new StringBuilder(String.format(Locale.ROOT, "p=%.6f", s.probability()));
        List<SpamScore.Contribution> top = s.tokens();
        if (!top.isEmpty()) {
            d.append(" top:");
            for (int i = 0; i < Math.min(DETAIL_TOKENS, top.size()); i++) {
                SpamScore.Contribution c = top.get(i);
                d.append(' ').append(shown(c.token())).append(String.format(Locale.ROOT, "=%.3f",
                        c.spamProbability()));
            }
        }
        return d.toString();
    }

    /** A token as shown: local parts of addresses masked, control characters and spaces replaced, length bounded. */
    static String shown(String token) {
        String t = token.replaceAll("[^\\s:@<>]+@", "*@");
        StringBuilder out = new StringBuilder();
        t.codePoints().limit(DETAIL_TOKEN_CHARS).forEach(c -> out.appendCodePoint(
                Character.isISOControl(c) || Character.isWhitespace(c) || c == '=' ? '_' : c));
        if (t.codePointCount(0, t.length()) > DETAIL_TOKEN_CHARS) {
            out.append('…');
        }
        return out.toString();
    }

    /** The raw message: the first depth-0 item (as {@link ClamdEngine} finds it). */
    private static ScanItem rawItem(ScanInput input) {
        for (ScanItem item : input.items()) {
            if (item.depth() == 0 && item.content() != null) {
                return item;
            }
        }
        return null;
    }
}

package io.portcullis.spam.rules;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A compiled, immutable set of rules from one or more rule files, applied in order: a later file may redefine a rule
 * of an earlier one and set its score or description (so admins override shipped scores without editing them).
 * Thread-safe. See docs/spam-rules.md for the format.
 */
public final class RuleSet {
    /** Score of a rule without a {@code score} line (sub-rules, named {@code __...}, always score 0). */
    public static final double DEFAULT_SCORE = 1.0;
    /** Most rules in one set. */
    public static final int MAX_RULES = 10_000;
    /** Texts longer than this are matched through a deadline-checking view (see {@link DeadlineText}). */
    static final int DEADLINE_VIEW_CHARS = 4096;
    private static final long NO_DEADLINE = Long.MIN_VALUE;
    /** Texts shorter than this are searched whole (windows would not save much). */
    static final int WINDOWED_MIN_CHARS = 256;
    /** Most anchor occurrences for a windowed search; beyond, the whole text is searched. */
    static final int MAX_WINDOWS = 64;
    private static final int FALLBACK = -1;

    private final Rule[] rules;
    /** Indices of the rules to evaluate, non-meta rules first in definition order, then metas in dependency order. */
    private final int[] order;
    private final List<String> files;
    private final String hash;
    private final RuleLimits limits;
    private final int scored;

    /** One compiled rule. */
    private record Rule(String name, RuleKind kind, String header, String mode, boolean negate,
            com.google.re2j.Pattern pattern, List<List<String>> prefilter, MetaExpression.Bound meta, double score,
            String description, boolean reported, String[] anchors, int width) {
    }

    private RuleSet(Rule[] rules, int[] order, List<String> files, String hash, RuleLimits limits) {
        this.rules = rules;
        this.order = order;
        this.files = List.copyOf(files);
        this.hash = hash;
        this.limits = limits;
        int n = 0;
        for (Rule r : rules) {
            n += r.reported() ? 1 : 0;
        }
        this.scored = n;
    }

    /**
     * Parses and compiles rule files, in order.
     *
     * @throws RuleFileException every problem of every file, each {@code file:line: problem}; nothing is compiled
     */
    public static RuleSet compile(List<RuleSource> sources, RuleLimits limits) throws RuleFileException {
        List<String> errors = new ArrayList<>();
        List<RuleFileParser.ParsedFile> parsed = new ArrayList<>();
        for (RuleSource s : sources) {
            parsed.add(RuleFileParser.parse(s, errors));
        }
        Map<String, RuleFileParser.Definition> defs = new LinkedHashMap<>();
        Map<String, RuleFileParser.Setting> scores = new HashMap<>();
        Map<String, RuleFileParser.Setting> descs = new HashMap<>();
        for (RuleFileParser.ParsedFile f : parsed) {
            for (RuleFileParser.Definition d : f.definitions()) {
                defs.put(d.name(), d);
            }
        }
        for (RuleFileParser.ParsedFile f : parsed) {
            for (RuleFileParser.Setting s : f.scores()) {
                if (!defs.containsKey(s.name())) {
                    errors.add(s.where() + ": score for undefined rule " + s.name());
                }
                scores.put(s.name(), s);
            }
            for (RuleFileParser.Setting s : f.descriptions()) {
                if (!defs.containsKey(s.name())) {
                    errors.add(s.where() + ": description for undefined rule " + s.name());
                }
                descs.put(s.name(), s);
            }
        }
        if (defs.size() > MAX_RULES) {
            errors.add(sources.get(sources.size() - 1).name() + ":1: more than " + MAX_RULES + " rules in the set");
        }
        for (RuleFileParser.Definition d : defs.values()) {
            if (d.meta() != null) {
                for (String ref : d.meta().rules()) {
                    if (!defs.containsKey(ref)) {
                        errors.add(d.where() + ": meta " + d.name() + " refers to undefined rule " + ref);
                    }
                }
            }
        }
        List<String> names = new ArrayList<>(defs.keySet());
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < names.size(); i++) {
            index.put(names.get(i), i);
        }
        // metas in dependency order; cycles are errors
        List<Integer> metaOrder = new ArrayList<>();
        int[] state = new int[names.size()]; // 0 new, 1 visiting, 2 done
        if (errors.isEmpty()) {
            for (int i = 0; i < names.size(); i++) {
                visit(i, names, defs, index, state, metaOrder, new ArrayList<>(), errors);
            }
        }
        if (!errors.isEmpty()) {
            throw new RuleFileException(errors);
        }
        Rule[] rules = new Rule[names.size()];
        for (int i = 0; i < names.size(); i++) {
            RuleFileParser.Definition d = defs.get(names.get(i));
            boolean sub = d.name().startsWith("__");
            double score = sub ? 0 : scores.containsKey(d.name()) ? scores.get(d.name()).score() : DEFAULT_SCORE;
            String desc = descs.containsKey(d.name()) ? descs.get(d.name()).text() : null;
            MetaExpression.Bound meta = d.meta() == null ? null : d.meta().bind(index::get);
            List<List<String>> prefilter = d.prefilter();
            String[] anchors = anchors(prefilter);
            int width = anchors == null ? RegexWidth.UNBOUNDED : RegexWidth.maxCodePoints(d.pattern());
            rules[i] = new Rule(d.name(), d.kind(), d.header(), d.mode(), d.negate(), d.compiled(), prefilter, meta,
                    score, desc, !sub && score != 0, anchors, width);
        }
        // only rules that are reported, or that a reported meta needs (transitively), are evaluated
        boolean[] needed = new boolean[rules.length];
        for (int i = 0; i < rules.length; i++) {
            if (rules[i].reported()) {
                need(i, names, defs, index, needed);
            }
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < rules.length; i++) {
            if (rules[i].kind() != RuleKind.META && needed[i]) {
                order.add(i);
            }
        }
        for (int i : metaOrder) {
            if (needed[i]) {
                order.add(i);
            }
        }
        return new RuleSet(rules, order.stream().mapToInt(Integer::intValue).toArray(),
                sources.stream().map(RuleSource::name).toList(), hashOf(sources), limits);
    }

    /**
     * One literal per conjunction of a prefilter (the longest): every match of the pattern contains one of them (in
     * lower case). Null when there is no prefilter or a literal is not ASCII (whose case folding may differ from
     * {@code toLowerCase}).
     */
    static String[] anchors(List<List<String>> prefilter) {
        if (prefilter == null) {
            return null;
        }
        java.util.Set<String> out = new java.util.LinkedHashSet<>();
        for (List<String> and : prefilter) {
            String best = null;
            for (String lit : and) {
                for (int k = 0; k < lit.length(); k++) {
                    if (lit.charAt(k) >= 0x80) {
                        return null;
                    }
                }
                if (best == null || lit.length() > best.length()) {
                    best = lit;
                }
            }
            if (best == null || best.isEmpty()) {
                return null;
            }
            out.add(best);
        }
        return out.isEmpty() ? null : out.toArray(String[]::new);
    }

    private static void need(int i, List<String> names, Map<String, RuleFileParser.Definition> defs,
            Map<String, Integer> index, boolean[] needed) {
        if (needed[i]) {
            return;
        }
        needed[i] = true;
        RuleFileParser.Definition d = defs.get(names.get(i));
        if (d.meta() != null) {
            for (String ref : d.meta().rules()) {
                need(index.get(ref), names, defs, index, needed);
            }
        }
    }

    private static void visit(int i, List<String> names, Map<String, RuleFileParser.Definition> defs,
            Map<String, Integer> index, int[] state, List<Integer> out, List<String> path, List<String> errors) {
        RuleFileParser.Definition d = defs.get(names.get(i));
        if (d.meta() == null || state[i] == 2) {
            return;
        }
        if (state[i] == 1) {
            int from = path.indexOf(d.name());
            errors.add(d.where() + ": meta rules refer to each other in a cycle: "
                    + String.join(" -> ", path.subList(from, path.size())) + " -> " + d.name());
            return;
        }
        state[i] = 1;
        path.add(d.name());
        for (String ref : d.meta().rules()) {
            visit(index.get(ref), names, defs, index, state, out, path, errors);
        }
        path.remove(path.size() - 1);
        state[i] = 2;
        out.add(i);
    }

    /** The hash a set compiled from these sources has ({@link #hash()}), without compiling them. */
    public static String hashOf(List<RuleSource> sources) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (RuleSource s : sources) {
                md.update(s.name().getBytes(StandardCharsets.UTF_8));
                md.update((byte) 0);
                md.update(s.text().getBytes(StandardCharsets.UTF_8));
                md.update((byte) 0);
            }
            return "sha256:" + HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code sha256:<hex>} over the file names and contents, in order. */
    public String hash() {
        return hash;
    }

    /** Short version for verdicts: {@code rules-<first 12 hex digits of the hash>}. */
    public String version() {
        return "rules-" + hash.substring("sha256:".length(), "sha256:".length() + 12);
    }

    /** Rules defined (sub-rules included). */
    public int ruleCount() {
        return rules.length;
    }

    /** Rules that can produce a hit (not sub-rules, score not 0). */
    public int scoredRuleCount() {
        return scored;
    }

    /** Rule files, in the order they were applied. */
    public List<String> files() {
        return files;
    }

    /** The limits messages are parsed within. */
    public RuleLimits limits() {
        return limits;
    }

    /** Score of a rule (0 for sub-rules and disabled rules), or NaN when it is not defined. */
    public double score(String name) {
        for (Rule r : rules) {
            if (r.name().equals(name)) {
                return r.score();
            }
        }
        return Double.NaN;
    }

    /** Evaluates every rule on a raw message, without a deadline. */
    public RuleResult evaluate(byte[] message) {
        return evaluate(ParsedMessage.parse(message, limits), NO_DEADLINE);
    }

    /**
     * Evaluates every rule on a raw message.
     *
     * @param deadlineNanos a {@link System#nanoTime()} value after which evaluation stops
     * @throws RuleTimeoutException when the deadline passes
     */
    public RuleResult evaluate(byte[] message, long deadlineNanos) {
        return evaluate(ParsedMessage.parse(message, limits), deadlineNanos);
    }

    /** Evaluates every rule on a parsed message ({@code deadlineNanos} as above). */
    public RuleResult evaluate(ParsedMessage m, long deadlineNanos) {
        boolean[] hits = new boolean[rules.length];
        boolean timed = deadlineNanos != NO_DEADLINE;
        for (int i : order) {
            if (timed && System.nanoTime() - deadlineNanos > 0) {
                throw new RuleTimeoutException("rule evaluation passed its deadline before rule " + rules[i].name());
            }
            hits[i] = test(rules[i], m, hits, timed ? deadlineNanos : NO_DEADLINE);
        }
        List<RuleHit> out = new ArrayList<>();
        double score = 0;
        for (int i = 0; i < rules.length; i++) {
            Rule r = rules[i];
            if (hits[i] && r.reported()) {
                out.add(new RuleHit(r.name(), r.score(), r.description()));
                score += r.score();
            }
        }
        return new RuleResult(out, score, m.partial());
    }

    private static boolean test(Rule r, ParsedMessage m, boolean[] hits, long deadline) {
        switch (r.kind()) {
            case META:
                return r.meta().test(hits, m.facts());
            case HEADER:
                if (r.mode().equals("exists")) {
                    return m.hasHeader(r.header());
                }
                String v;
                if (r.header().equalsIgnoreCase("ALL")) {
                    v = m.allHeaders();
                } else {
                    v = switch (r.mode()) {
                        case "addr" -> m.address(r.header());
                        case "name" -> m.displayName(r.header());
                        case "raw" -> m.rawHeader(r.header());
                        default -> m.header(r.header());
                    };
                }
                return find(r.pattern(), v, deadline) != r.negate();
            case BODY:
                return (r.prefilter() == null || RegexPrefilter.mayMatch(r.prefilter(), m.lowerBody()))
                        && find(r, m.body(), m.lowerBody(), deadline);
            case RAWBODY:
                return (r.prefilter() == null || RegexPrefilter.mayMatch(r.prefilter(), m.lowerRawBody()))
                        && find(r, m.rawBody(), m.lowerRawBody(), deadline);
            case FULL:
                return (r.prefilter() == null || RegexPrefilter.mayMatch(r.prefilter(), m.lowerFull()))
                        && find(r, m.full(), m.lowerFull(), deadline);
            case URI:
                for (String u : m.uris()) {
                    if (find(r.pattern(), u, deadline)) {
                        return true;
                    }
                }
                return false;
            default:
                throw new IllegalStateException(r.kind().name());
        }
    }

    /** A prefiltered rule's search: around its literals when that is valid and cheaper, else the whole text. */
    private static boolean find(Rule r, String text, String lower, long deadline) {
        if (r.anchors() != null && r.width() > 0 && text.length() >= WINDOWED_MIN_CHARS) {
            int found = windowedFind(r.pattern(), text, lower, r.anchors(), r.width(), deadline);
            if (found != FALLBACK) {
                return found == 1;
            }
        }
        return find(r.pattern(), text, deadline);
    }

    /**
     * Whether the pattern matches the text, searching only windows around the occurrences of the anchors in the
     * lower-case text; {@link #FALLBACK} when that does not apply (text not ISO-8859-1, so its lower-case form may not
     * line up with it; too many occurrences; windows covering most of the text). Exact: every match spans at most
     * {@code width} characters (ISO-8859-1: one character per code point) and contains an anchor occurrence, so it
     * lies inside the window of that occurrence ({@code width} characters either side). Each merged window
     * {@code [s, e)} is searched from {@code s} (RE2J looks at the character before {@code s} for {@code \b} and
     * {@code ^}) in the text cut at {@code e}: a match found there ends before {@code e}, since any match ending at
     * {@code e} would contain an anchor whose window reaches past {@code e}, so it is a match of the whole text.
     *
     * @return 1 when it matches, 0 when not, {@link #FALLBACK}
     */
    static int windowedFind(com.google.re2j.Pattern p, String text, String lower, String[] anchors, int width,
            long deadline) {
        int n = text.length();
        if (lower.length() != n) {
            return FALLBACK;
        }
        long[] spans = new long[8];
        int k = 0;
        for (String a : anchors) {
            for (int q = lower.indexOf(a); q >= 0; q = lower.indexOf(a, q + 1)) {
                if (k == MAX_WINDOWS) {
                    return FALLBACK;
                }
                if (k == spans.length) {
                    spans = java.util.Arrays.copyOf(spans, k * 2);
                }
                long s = Math.max(0, (long) q - width);
                long e = Math.min(n, (long) q + a.length() + width);
                spans[k++] = s << 32 | e;
            }
        }
        if (k == 0) {
            return 0;
        }
        java.util.Arrays.sort(spans, 0, k);
        int m = 0;
        long covered = 0;
        for (int j = 0; j < k; j++) {
            int s = (int) (spans[j] >>> 32);
            int e = (int) spans[j];
            if (m > 0 && s <= (int) spans[m - 1]) {
                int prevStart = (int) (spans[m - 1] >>> 32);
                int prevEnd = Math.max((int) spans[m - 1], e);
                covered += prevEnd - (int) spans[m - 1];
                spans[m - 1] = (long) prevStart << 32 | prevEnd;
            } else {
                covered += e - s;
                spans[m++] = spans[j];
            }
        }
        if (covered * 2 > n) {
            return FALLBACK;
        }
        for (int c = 0; c < n; c++) {
            if (text.charAt(c) > 0xFF) {
                return FALLBACK;
            }
        }
        boolean timed = deadline != NO_DEADLINE && n > DEADLINE_VIEW_CHARS;
        for (int j = 0; j < m; j++) {
            int s = (int) (spans[j] >>> 32);
            int e = (int) spans[j];
            CharSequence view = e == n && !timed ? text : new DeadlineText(text, e, deadline, timed);
            if (p.matcher(view).find(s)) {
                return 1;
            }
        }
        return 0;
    }

    private static boolean find(com.google.re2j.Pattern p, String text, long deadline) {
        if (deadline != NO_DEADLINE && text.length() > DEADLINE_VIEW_CHARS) {
            // long texts only: the deadline view loses RE2/J's String.indexOf fast path for literal prefixes
            return p.matcher(new DeadlineText(text, deadline)).find();
        }
        return p.matcher(text).find();
    }
}

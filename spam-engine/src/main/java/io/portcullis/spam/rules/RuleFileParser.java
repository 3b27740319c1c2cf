package io.portcullis.spam.rules;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses one rule file (format: docs/spam-rules.md). One directive per line, {@code #} starts a comment line:
 * <pre>
 * header   NAME  Header =~ /re/flags      (also Header:addr, Header:name, Header:raw, ALL; !~ negates)
 * header   NAME  exists:Header
 * body     NAME  /re/flags
 * rawbody  NAME  /re/flags
 * uri      NAME  /re/flags
 * full     NAME  /re/flags
 * meta     NAME  expression
 * score    NAME  number
 * describe NAME  text
 * </pre>
 * Every problem is collected as {@code file:line: problem}; a file with any problem is refused whole.
 */
public final class RuleFileParser {
    /** Rule names: upper-case letters, digits and underscores, starting with a letter or underscore. */
    public static final Pattern NAME = Pattern.compile("[A-Z_][A-Z0-9_]{0,99}");
    /** Longest line accepted. */
    public static final int MAX_LINE_CHARS = 8192;
    /** Longest pattern accepted (between the slashes). */
    public static final int MAX_PATTERN_CHARS = 2000;
    /** Largest rule file accepted. */
    public static final int MAX_FILE_CHARS = 4 * 1024 * 1024;
    /** Errors collected per file before giving up on the rest of it. */
    static final int MAX_ERRORS = 100;
    private static final Pattern HEADER_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,100}");
    private static final Pattern HEADER_TEST = Pattern.compile(
            "([A-Za-z0-9_.-]{1,100})(?::(addr|name|raw))?\\s*(=~|!~)\\s*(/.*)");

    /** One rule definition. */
    record Definition(String name, RuleKind kind, String header, String mode, boolean negate, String pattern,
            String flags, com.google.re2j.Pattern compiled, MetaExpression meta, String file, int line) {

        /** Required literals of a body, rawbody or full pattern ({@link RegexPrefilter}), or null. */
        java.util.List<java.util.List<String>> prefilter() {
            return kind == RuleKind.BODY || kind == RuleKind.RAWBODY || kind == RuleKind.FULL
                    ? RegexPrefilter.of(pattern) : null;
        }

        String where() {
            return file + ":" + line;
        }
    }

    /** A {@code score} or {@code describe} line. */
    record Setting(String name, Double score, String text, String file, int line) {

        String where() {
            return file + ":" + line;
        }
    }

    /** What one file defines, in line order. */
    record ParsedFile(String name, List<Definition> definitions, List<Setting> scores, List<Setting> descriptions) {
    }

    private RuleFileParser() {
    }

    /**
     * Parses one file.
     *
     * @throws RuleFileException listing every problem, each {@code file:line: problem}
     */
    public static ParsedFile parse(RuleSource source) throws RuleFileException {
        List<String> errors = new ArrayList<>();
        ParsedFile f = parse(source, errors);
        if (!errors.isEmpty()) {
            throw new RuleFileException(errors);
        }
        return f;
    }

    static ParsedFile parse(RuleSource source, List<String> errors) {
        String file = source.name();
        List<Definition> defs = new ArrayList<>();
        List<Setting> scores = new ArrayList<>();
        List<Setting> descs = new ArrayList<>();
        int before = errors.size();
        if (source.text().length() > MAX_FILE_CHARS) {
            errors.add(file + ":1: file larger than " + MAX_FILE_CHARS + " characters");
            return new ParsedFile(file, defs, scores, descs);
        }
        if (source.text().indexOf('\0') >= 0) {
            errors.add(file + ":1: binary file (NUL character)");
            return new ParsedFile(file, defs, scores, descs);
        }
        Set<String> defined = new HashSet<>();
        Set<String> scored = new HashSet<>();
        Set<String> described = new HashSet<>();
        String[] lines = source.text().split("\r?\n|\r", -1);
        for (int i = 0; i < lines.length; i++) {
            if (errors.size() - before >= MAX_ERRORS) {
                errors.add(file + ":" + (i + 1) + ": too many errors, the rest of the file was not read");
                break;
            }
            String line = lines[i].strip();
            int no = i + 1;
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = file + ":" + no + ": ";
            if (line.length() > MAX_LINE_CHARS) {
                errors.add(where + "line longer than " + MAX_LINE_CHARS + " characters");
                continue;
            }
            String[] f = line.split("\\s+", 3);
            String directive = f[0].toLowerCase(Locale.ROOT);
            if (f.length < 2) {
                errors.add(where + "'" + shown(f[0]) + "' needs a rule name");
                continue;
            }
            String name = f[1];
            String rest = f.length > 2 ? f[2].strip() : "";
            if (!NAME.matcher(name).matches()) {
                errors.add(where + "bad rule name '" + shown(name) + "': use upper-case letters, digits and _"
                        + " (at most 100), starting with a letter or _");
                continue;
            }
            try {
                switch (directive) {
                    case "header", "body", "rawbody", "uri", "full", "meta" -> {
                        if (!defined.add(name)) {
                            throw new IllegalArgumentException("rule " + name + " is defined twice in this file");
                        }
                        defs.add(definition(directive, name, rest, file, no));
                    }
                    case "score" -> {
                        if (name.startsWith("__")) {
                            throw new IllegalArgumentException("sub-rule " + name + " cannot have a score");
                        }
                        if (!scored.add(name)) {
                            throw new IllegalArgumentException("score of " + name + " given twice in this file");
                        }
                        scores.add(new Setting(name, score(rest), null, file, no));
                    }
                    case "describe" -> {
                        if (rest.isEmpty()) {
                            throw new IllegalArgumentException("describe needs a text");
                        }
                        if (!described.add(name)) {
                            throw new IllegalArgumentException("description of " + name + " given twice in this file");
                        }
                        descs.add(new Setting(name, null, rest.length() > 200 ? rest.substring(0, 200) : rest, file,
                                no));
                    }
                    default -> throw new IllegalArgumentException("unknown directive '" + shown(f[0])
                            + "' (header, body, rawbody, uri, full, meta, score, describe)");
                }
            } catch (IllegalArgumentException e) {
                errors.add(where + e.getMessage());
            }
        }
        return new ParsedFile(file, defs, scores, descs);
    }

    private static Definition definition(String directive, String name, String rest, String file, int line) {
        if (rest.isEmpty()) {
            throw new IllegalArgumentException(directive + " " + name + " needs "
                    + (directive.equals("meta") ? "an expression" : directive.equals("header")
                    ? "'Header =~ /pattern/' or 'exists:Header'" : "a /pattern/"));
        }
        switch (directive) {
            case "meta" -> {
                MetaExpression m = MetaExpression.parse(rest);
                if (m.rules().contains(name)) {
                    throw new IllegalArgumentException("meta " + name + " refers to itself");
                }
                return new Definition(name, RuleKind.META, null, null, false, null, null, null, m, file, line);
            }
            case "header" -> {
                if (rest.regionMatches(true, 0, "exists:", 0, 7)) {
                    String h = rest.substring(7).strip();
                    if (!HEADER_NAME.matcher(h).matches()) {
                        throw new IllegalArgumentException("bad header name in '" + shown(rest) + "'");
                    }
                    return new Definition(name, RuleKind.HEADER, h, "exists", false, null, null, null, null, file,
                            line);
                }
                Matcher m = HEADER_TEST.matcher(rest);
                if (!m.matches()) {
                    throw new IllegalArgumentException("expected 'Header =~ /pattern/flags', 'Header !~ /pattern/'"
                            + " or 'exists:Header' (modifiers :addr :name :raw), got '" + shown(rest) + "'");
                }
                String header = m.group(1);
                String mode = m.group(2) == null ? "value" : m.group(2);
                if (header.equalsIgnoreCase("ALL") && m.group(2) != null) {
                    throw new IllegalArgumentException("ALL takes no :" + mode + " modifier");
                }
                String[] re = regex(m.group(4));
                return new Definition(name, RuleKind.HEADER, header, mode, m.group(3).equals("!~"), re[0], re[1],
                        compile(re[0], re[1]), null, file, line);
            }
            default -> {
                String[] re = regex(rest);
                return new Definition(name, RuleKind.valueOf(directive.toUpperCase(Locale.ROOT)), null, null, false,
                        re[0], re[1], compile(re[0], re[1]), null, file, line);
            }
        }
    }

    /** {@code /pattern/flags}: the pattern runs to the LAST slash on the line; flags from {@code i m s}. */
    static String[] regex(String s) {
        if (!s.startsWith("/")) {
            throw new IllegalArgumentException("a pattern is written /pattern/flags, got '" + shown(s) + "'");
        }
        int end = s.lastIndexOf('/');
        if (end == 0) {
            throw new IllegalArgumentException("pattern '" + shown(s) + "' has no closing /");
        }
        String pattern = s.substring(1, end);
        String flags = s.substring(end + 1);
        if (pattern.isEmpty()) {
            throw new IllegalArgumentException("empty pattern");
        }
        if (pattern.length() > MAX_PATTERN_CHARS) {
            throw new IllegalArgumentException("pattern longer than " + MAX_PATTERN_CHARS + " characters");
        }
        if (!flags.matches("[ims]*")) {
            throw new IllegalArgumentException("unknown pattern flags '" + shown(flags) + "' (i, m, s)");
        }
        return new String[] {pattern, flags};
    }

    static com.google.re2j.Pattern compile(String pattern, String flags) {
        int f = 0;
        if (flags.indexOf('i') >= 0) {
            f |= com.google.re2j.Pattern.CASE_INSENSITIVE;
        }
        if (flags.indexOf('m') >= 0) {
            f |= com.google.re2j.Pattern.MULTILINE;
        }
        if (flags.indexOf('s') >= 0) {
            f |= com.google.re2j.Pattern.DOTALL;
        }
        long cost = RegexCost.estimate(pattern);
        if (cost > RegexCost.MAX) {
            throw new IllegalArgumentException("pattern /" + shown(pattern) + "/ is too large (about " + cost
                    + " steps per character, at most " + RegexCost.MAX + "): lower its repetition counts");
        }
        try {
            return com.google.re2j.Pattern.compile(pattern, f);
        } catch (com.google.re2j.PatternSyntaxException e) {
            throw new IllegalArgumentException("bad pattern /" + shown(pattern) + "/: " + e.getDescription()
                    + " (RE2 syntax: no backreferences or lookaround)");
        } catch (RuntimeException | StackOverflowError e) {
            throw new IllegalArgumentException("bad pattern /" + shown(pattern) + "/: too complex");
        }
    }

    private static double score(String rest) {
        String[] f = rest.split("\\s+");
        if (rest.isEmpty() || f.length != 1) {
            throw new IllegalArgumentException("score needs exactly one number, got '" + shown(rest) + "'");
        }
        try {
            double v = Double.parseDouble(f[0]);
            if (!Double.isFinite(v) || Math.abs(v) > 1000 || !f[0].matches("[+-]?\\d+(\\.\\d+)?")) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("score '" + shown(f[0]) + "' is not a number between -1000 and 1000");
        }
    }

    /** Text quoted in an error: bounded, control characters replaced. */
    static String shown(String s) {
        String t = s.length() > 80 ? s.substring(0, 80) + "…" : s;
        return t.replaceAll("\\p{Cntrl}", "?");
    }
}

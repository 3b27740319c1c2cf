package io.portcullis.spam.rules;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.ToIntFunction;

/**
 * A {@code meta} rule's expression: C-like operators over rule hits (1 when the named rule matched, else 0) and
 * message facts (lower-case names, see {@link MessageFacts}), e.g. {@code (A + B + C) >= 2 && !__HAS_LIST_ID} or
 * {@code html_only && body_chars < 200}. Operators by precedence, loosest first: {@code ||}; {@code &&};
 * {@code == !=}; {@code < <= > >=}; {@code + -}; {@code * /}; unary {@code ! -}. A value is true when it is not 0;
 * comparisons and logical operators give 1 or 0. Division by 0 gives 0.
 */
public final class MetaExpression {
    /** Deepest nesting accepted (parentheses and unary operators). */
    static final int MAX_DEPTH = 64;

    private final Node root;
    private final Set<String> rules;
    private final Set<String> facts;

    private MetaExpression(Node root, Set<String> rules, Set<String> facts) {
        this.root = root;
        this.rules = rules;
        this.facts = facts;
    }

    /**
     * Parses an expression.
     *
     * @throws IllegalArgumentException with a short problem description (no position prefix)
     */
    public static MetaExpression parse(String text) {
        Parser p = new Parser(tokens(text));
        Node n = p.or(0);
        if (p.pos < p.tokens.size()) {
            throw new IllegalArgumentException("unexpected '" + p.tokens.get(p.pos) + "' in meta expression");
        }
        for (String f : p.facts) {
            if (MessageFacts.index(f) < 0) {
                throw new IllegalArgumentException("unknown fact '" + f + "' (facts: " + MessageFacts.NAMES + ")");
            }
        }
        return new MetaExpression(n, Set.copyOf(p.rules), Set.copyOf(p.facts));
    }

    /** Rule names the expression refers to. */
    public Set<String> rules() {
        return rules;
    }

    /** Fact names the expression refers to. */
    public Set<String> facts() {
        return facts;
    }

    /** The expression with rule names replaced by indices into the hit array given to {@link Bound#eval}. */
    Bound bind(ToIntFunction<String> ruleIndex) {
        return new Bound(root.bind(ruleIndex));
    }

    /** An expression ready to evaluate. */
    static final class Bound {
        private final Node root;

        private Bound(Node root) {
            this.root = root;
        }

        boolean test(boolean[] hits, int[] facts) {
            return root.eval(hits, facts) != 0;
        }

        double eval(boolean[] hits, int[] facts) {
            return root.eval(hits, facts);
        }
    }

    private interface Node {
        double eval(boolean[] hits, int[] facts);

        Node bind(ToIntFunction<String> ruleIndex);
    }

    private record Num(double v) implements Node {
        public double eval(boolean[] hits, int[] facts) {
            return v;
        }

        public Node bind(ToIntFunction<String> ruleIndex) {
            return this;
        }
    }

    private record RuleRef(String name, int index) implements Node {
        public double eval(boolean[] hits, int[] facts) {
            return hits[index] ? 1 : 0;
        }

        public Node bind(ToIntFunction<String> ruleIndex) {
            return new RuleRef(name, ruleIndex.applyAsInt(name));
        }
    }

    private record FactRef(int index) implements Node {
        public double eval(boolean[] hits, int[] facts) {
            return facts[index];
        }

        public Node bind(ToIntFunction<String> ruleIndex) {
            return this;
        }
    }

    private record Unary(String op, Node a) implements Node {
        public double eval(boolean[] hits, int[] facts) {
            double v = a.eval(hits, facts);
            return op.equals("!") ? (v == 0 ? 1 : 0) : -v;
        }

        public Node bind(ToIntFunction<String> ruleIndex) {
            return new Unary(op, a.bind(ruleIndex));
        }
    }

    private record Binary(String op, Node a, Node b) implements Node {
        public double eval(boolean[] hits, int[] facts) {
            double x = a.eval(hits, facts);
            switch (op) {
                case "&&":
                    return x != 0 && b.eval(hits, facts) != 0 ? 1 : 0;
                case "||":
                    return x != 0 || b.eval(hits, facts) != 0 ? 1 : 0;
                default:
                    break;
            }
            double y = b.eval(hits, facts);
            return switch (op) {
                case "+" -> x + y;
                case "-" -> x - y;
                case "*" -> x * y;
                case "/" -> y == 0 ? 0 : x / y;
                case "<" -> x < y ? 1 : 0;
                case "<=" -> x <= y ? 1 : 0;
                case ">" -> x > y ? 1 : 0;
                case ">=" -> x >= y ? 1 : 0;
                case "==" -> x == y ? 1 : 0;
                case "!=" -> x != y ? 1 : 0;
                default -> throw new IllegalStateException(op);
            };
        }

        public Node bind(ToIntFunction<String> ruleIndex) {
            return new Binary(op, a.bind(ruleIndex), b.bind(ruleIndex));
        }
    }

    private static List<String> tokens(String s) {
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (Character.isLetter(c) && c < 128 || c == '_') {
                int j = i;
                while (j < s.length() && (s.charAt(j) < 128 && Character.isLetterOrDigit(s.charAt(j))
                        || s.charAt(j) == '_')) {
                    j++;
                }
                out.add(s.substring(i, j));
                i = j;
            } else if (c >= '0' && c <= '9' || c == '.') {
                int j = i;
                while (j < s.length() && (s.charAt(j) >= '0' && s.charAt(j) <= '9' || s.charAt(j) == '.')) {
                    j++;
                }
                String num = s.substring(i, j);
                if (!num.matches("\\d+(\\.\\d+)?")) {
                    throw new IllegalArgumentException("bad number '" + num + "' in meta expression");
                }
                out.add(num);
                i = j;
            } else {
                String two = i + 1 < s.length() ? s.substring(i, i + 2) : "";
                if (Set.of("&&", "||", "<=", ">=", "==", "!=").contains(two)) {
                    out.add(two);
                    i += 2;
                } else if ("()!+-*/<>".indexOf(c) >= 0) {
                    out.add(String.valueOf(c));
                    i++;
                } else {
                    throw new IllegalArgumentException("unexpected character '" + c + "' in meta expression");
                }
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("empty meta expression");
        }
        return out;
    }

    private static final class Parser {
        final List<String> tokens;
        final Set<String> rules = new LinkedHashSet<>();
        final Set<String> facts = new LinkedHashSet<>();
        int pos;

        Parser(List<String> tokens) {
            this.tokens = tokens;
        }

        private boolean at(String t) {
            return pos < tokens.size() && tokens.get(pos).equals(t);
        }

        private String peek() {
            return pos < tokens.size() ? tokens.get(pos) : null;
        }

        Node or(int depth) {
            Node n = and(depth);
            while (at("||")) {
                pos++;
                n = new Binary("||", n, and(depth));
            }
            return n;
        }

        Node and(int depth) {
            Node n = eq(depth);
            while (at("&&")) {
                pos++;
                n = new Binary("&&", n, eq(depth));
            }
            return n;
        }

        Node eq(int depth) {
            Node n = rel(depth);
            while (at("==") || at("!=")) {
                String op = tokens.get(pos++);
                n = new Binary(op, n, rel(depth));
            }
            return n;
        }

        Node rel(int depth) {
            Node n = add(depth);
            while (at("<") || at("<=") || at(">") || at(">=")) {
                String op = tokens.get(pos++);
                n = new Binary(op, n, add(depth));
            }
            return n;
        }

        Node add(int depth) {
            Node n = mul(depth);
            while (at("+") || at("-")) {
                String op = tokens.get(pos++);
                n = new Binary(op, n, mul(depth));
            }
            return n;
        }

        Node mul(int depth) {
            Node n = unary(depth);
            while (at("*") || at("/")) {
                String op = tokens.get(pos++);
                n = new Binary(op, n, unary(depth));
            }
            return n;
        }

        Node unary(int depth) {
            if (depth > MAX_DEPTH) {
                throw new IllegalArgumentException("meta expression nested deeper than " + MAX_DEPTH);
            }
            if (at("!") || at("-")) {
                String op = tokens.get(pos++);
                return new Unary(op, unary(depth + 1));
            }
            return primary(depth);
        }

        Node primary(int depth) {
            String t = peek();
            if (t == null) {
                throw new IllegalArgumentException("meta expression ends early");
            }
            pos++;
            if (t.equals("(")) {
                Node n = or(depth + 1);
                if (!at(")")) {
                    throw new IllegalArgumentException("missing ')' in meta expression");
                }
                pos++;
                return n;
            }
            char c = t.charAt(0);
            if (c >= '0' && c <= '9' || c == '.') {
                return new Num(Double.parseDouble(t));
            }
            if (Character.isLetter(c) || c == '_') {
                if (t.equals(t.toLowerCase(java.util.Locale.ROOT)) && !t.startsWith("_")) {
                    facts.add(t);
                    return new FactRef(Math.max(0, MessageFacts.index(t)));
                }
                if (!RuleFileParser.NAME.matcher(t).matches()) {
                    throw new IllegalArgumentException("'" + t + "' is neither a rule name (upper case) nor a fact"
                            + " (lower case)");
                }
                rules.add(t);
                return new RuleRef(t, -1);
            }
            throw new IllegalArgumentException("unexpected '" + t + "' in meta expression");
        }
    }
}

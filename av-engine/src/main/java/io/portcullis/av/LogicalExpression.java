package io.portcullis.av;

import java.util.ArrayList;
import java.util.List;

/**
 * The logical expression of an ldb signature over subsignature match counts: indexes, {@code &} (binds tighter),
 * {@code |}, parentheses, and counts {@code X=N}, {@code X>N}, {@code X<N} with optional {@code ,M} (at least M
 * distinct subsignatures of the group matched). The count of a group is the sum of its subsignatures' counts.
 */
abstract class LogicalExpression {
    abstract boolean eval(int[] counts);

    abstract long count(int[] counts);

    abstract int distinct(int[] counts);

    abstract int maxIndex();

    static LogicalExpression parse(String text) {
        Parser p = new Parser(text);
        LogicalExpression e = p.or();
        if (p.pos != text.length()) throw new IllegalArgumentException("unexpected '" + text.charAt(p.pos) + "' at column " + (p.pos + 1) + " of logical expression");
        return e;
    }

    private static final class Parser {
        final String s;
        int pos;

        Parser(String s) { this.s = s; }

        LogicalExpression or() {
            List<LogicalExpression> xs = new ArrayList<>();
            xs.add(and());
            while (peek() == '|') { pos++; xs.add(and()); }
            return xs.size() == 1 ? xs.get(0) : new Group(xs, false);
        }

        LogicalExpression and() {
            List<LogicalExpression> xs = new ArrayList<>();
            xs.add(unary());
            while (peek() == '&') { pos++; xs.add(unary()); }
            return xs.size() == 1 ? xs.get(0) : new Group(xs, true);
        }

        LogicalExpression unary() {
            LogicalExpression e;
            if (peek() == '(') {
                pos++;
                e = or();
                if (peek() != ')') throw new IllegalArgumentException("unbalanced parentheses in logical expression at column " + (pos + 1));
                pos++;
            } else if (Character.isDigit(peek())) {
                e = new Leaf((int) number());
            } else {
                throw new IllegalArgumentException(pos >= s.length() ? "logical expression ends early"
                    : "unexpected '" + s.charAt(pos) + "' at column " + (pos + 1) + " of logical expression");
            }
            char c = peek();
            if (c == '=' || c == '>' || c == '<') {
                pos++;
                if (!Character.isDigit(peek())) throw new IllegalArgumentException("count expected after '" + c + "' at column " + (pos + 1));
                long n = number();
                long m = 0;
                if (peek() == ',') {
                    pos++;
                    if (!Character.isDigit(peek())) throw new IllegalArgumentException("count expected after ',' at column " + (pos + 1));
                    m = number();
                }
                e = new Compare(e, c, n, (int) m);
            }
            return e;
        }

        long number() {
            int start = pos;
            while (pos < s.length() && Character.isDigit(s.charAt(pos))) pos++;
            if (pos - start > 9) throw new IllegalArgumentException("number too large in logical expression");
            return Long.parseLong(s.substring(start, pos));
        }

        char peek() { return pos < s.length() ? s.charAt(pos) : '\0'; }
    }

    private static final class Leaf extends LogicalExpression {
        final int index;

        Leaf(int index) { this.index = index; }

        boolean eval(int[] c) { return c[index] > 0; }
        long count(int[] c) { return c[index]; }
        int distinct(int[] c) { return c[index] > 0 ? 1 : 0; }
        int maxIndex() { return index; }
    }

    private static final class Group extends LogicalExpression {
        final List<LogicalExpression> xs;
        final boolean and;

        Group(List<LogicalExpression> xs, boolean and) { this.xs = xs; this.and = and; }

        boolean eval(int[] c) {
            for (LogicalExpression x : xs) {
                if (x.eval(c) != and) return !and;
            }
            return and;
        }

        long count(int[] c) {
            long n = 0;
            for (LogicalExpression x : xs) n += x.count(c);
            return n;
        }

        int distinct(int[] c) {
            int n = 0;
            for (LogicalExpression x : xs) n += x.distinct(c);
            return n;
        }

        int maxIndex() {
            int m = -1;
            for (LogicalExpression x : xs) m = Math.max(m, x.maxIndex());
            return m;
        }
    }

    private static final class Compare extends LogicalExpression {
        final LogicalExpression x;
        final char op;
        final long n;
        final int m;

        Compare(LogicalExpression x, char op, long n, int m) { this.x = x; this.op = op; this.n = n; this.m = m; }

        boolean eval(int[] c) {
            long k = x.count(c);
            boolean ok = op == '=' ? k == n : op == '>' ? k > n : k < n;
            return ok && (m == 0 || x.distinct(c) >= m);
        }

        long count(int[] c) { return x.count(c); }
        int distinct(int[] c) { return x.distinct(c); }
        int maxIndex() { return x.maxIndex(); }
    }
}

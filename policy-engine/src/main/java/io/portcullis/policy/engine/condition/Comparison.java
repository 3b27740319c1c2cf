package io.portcullis.policy.engine.condition;

import io.portcullis.policy.engine.PolicyValidationException;

/** A numeric comparison of a condition: {@code > >= < <= == !=}. */
enum Comparison {
    GT(">"), GE(">="), LT("<"), LE("<="), EQ("=="), NE("!=");

    private final String symbol;

    Comparison(String symbol) {
        this.symbol = symbol;
    }

    static Comparison parse(String op, String field) {
        if (op == null || op.isBlank()) {
            throw new PolicyValidationException(field + ".operator", "a numeric condition needs an operator: > >= < <= == !=");
        }
        for (Comparison c : values()) {
            if (c.symbol.equals(op.strip())) {
                return c;
            }
        }
        throw new PolicyValidationException(field + ".operator", "unknown operator '" + op + "' (> >= < <= == !=)");
    }

    static double threshold(Double t, String field) {
        if (t == null || t.isNaN() || t.isInfinite()) {
            throw new PolicyValidationException(field + ".threshold", "a numeric condition needs a finite threshold");
        }
        return t;
    }

    boolean test(double value, double threshold) {
        return switch (this) {
            case GT -> value > threshold;
            case GE -> value >= threshold;
            case LT -> value < threshold;
            case LE -> value <= threshold;
            case EQ -> value == threshold;
            case NE -> value != threshold;
        };
    }
}

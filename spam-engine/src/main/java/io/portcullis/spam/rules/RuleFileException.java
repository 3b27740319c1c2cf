package io.portcullis.spam.rules;

import java.util.List;

/** A rule file (or the set built from several) was refused; every problem is one {@code file:line: problem}. */
public final class RuleFileException extends Exception {
    private static final long serialVersionUID = 1L;
    /** Problems named in the message; all are kept in {@link #errors()}. */
    private static final int SHOWN = 10;

    private final List<String> errors;

    public RuleFileException(List<String> errors) {
        super(message(errors));
        this.errors = List.copyOf(errors);
    }

    /** Every problem found, in file and line order, each {@code file:line: problem}. */
    public List<String> errors() {
        return errors;
    }

    private static String message(List<String> errors) {
        String head = String.join("; ", errors.subList(0, Math.min(SHOWN, errors.size())));
        return errors.size() > SHOWN ? head + "; and " + (errors.size() - SHOWN) + " more" : head;
    }
}

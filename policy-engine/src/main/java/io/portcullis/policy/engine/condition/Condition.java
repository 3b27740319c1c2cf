package io.portcullis.policy.engine.condition;

import io.portcullis.policy.engine.EvaluationContext;
import java.util.List;

/** One compiled condition. Implementations are immutable and thread-safe. */
public interface Condition {

    /** Whether the condition holds for the message. */
    boolean test(EvaluationContext ctx);

    /** Whether the condition is about single attachments (then {@link #attachments} says which fit). */
    default boolean aboutAttachments() {
        return false;
    }

    /** The attachments (paths) that fit the condition, for {@code strip-attachments}; empty when not about them. */
    default List<String> attachments(EvaluationContext ctx) {
        return List.of();
    }
}

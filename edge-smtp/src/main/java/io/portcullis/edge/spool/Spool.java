package io.portcullis.edge.spool;

import jakarta.inject.Qualifier;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Qualifies the durable-acceptance beans: the {@link KafkaSpoolSink} (as a
 * {@link io.portcullis.edge.smtp.MessageSink}) and its Kafka producer, so that other parts of the module can have
 * sinks and producers of their own without ambiguity.
 */
@Qualifier
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.FIELD, ElementType.PARAMETER})
public @interface Spool {

    /** For programmatic lookup and QuarkusMock. */
    final class Literal extends jakarta.enterprise.util.AnnotationLiteral<Spool> implements Spool {
        public static final Literal INSTANCE = new Literal();
        private static final long serialVersionUID = 1L;
    }
}

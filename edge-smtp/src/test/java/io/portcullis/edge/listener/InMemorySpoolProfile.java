package io.portcullis.edge.listener;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Set;

/** Swaps the Kafka spool for {@link InMemorySpoolSink} and the SMTP events producer for a capturing one. */
public class InMemorySpoolProfile implements QuarkusTestProfile {

    @Override
    public Set<Class<?>> getEnabledAlternatives() {
        return Set.of(InMemorySpoolSink.class, CapturingSmtpEventsProducer.class);
    }
}

package io.portcullis.policy.ipprofiler;

import io.portcullis.contracts.events.EventJson;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import org.jboss.logging.Logger;

/**
 * A record as {@link EventJson} bytes; null is a tombstone both ways. Bytes that are not a valid record fail with a
 * {@link SerializationException}, which the {@link SkipBadRecordHandler} logs, counts and skips.
 */
public final class JsonSerde<T> implements Serde<T> {
    private static final Logger LOG = Logger.getLogger(JsonSerde.class);
    private final Class<T> type;
    private final boolean lenient;

    public JsonSerde(Class<T> type) {
        this(type, false);
    }

    private JsonSerde(Class<T> type, boolean lenient) {
        this.type = type;
        this.lenient = lenient;
    }

    /**
     * A serde that reads unparseable bytes as null instead of failing: for the control topic's global table, which
     * may be restored from the topic without the exception handler, so one bad record can never stop the
     * application (a null value is "no command" for that key).
     */
    public static <T> JsonSerde<T> lenient(Class<T> type) {
        return new JsonSerde<>(type, true);
    }

    @Override
    public Serializer<T> serializer() {
        return (topic, value) -> value == null ? null : EventJson.write(value);
    }

    @Override
    public Deserializer<T> deserializer() {
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            try {
                return EventJson.read(bytes, type);
            } catch (IllegalArgumentException e) {
                if (lenient) {
                    LOG.debugf("ignoring an unparseable %s record on %s", type.getSimpleName(), topic);
                    return null;
                }
                throw new SerializationException("not a valid " + type.getSimpleName() + " record", e);
            }
        };
    }
}

package io.portcullis.policy.ipprofiler;

import io.portcullis.contracts.events.EventJson;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A record as {@link EventJson} bytes; null is a tombstone both ways. Bytes that are not a valid record fail with a
 * {@link SerializationException}, which the {@link SkipBadRecordHandler} logs, counts and skips.
 */
public final class JsonSerde<T> implements Serde<T> {
    private final Class<T> type;

    public JsonSerde(Class<T> type) {
        this.type = type;
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
                throw new SerializationException("not a valid " + type.getSimpleName() + " record", e);
            }
        };
    }
}

package io.portcullis.policy.ipprofiler;

import java.nio.ByteBuffer;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/** The event timestamps of one (IP, kind) in the count store: big-endian longs, oldest first. */
final class TimestampListSerde implements Serde<long[]> {

    @Override
    public Serializer<long[]> serializer() {
        return (topic, value) -> {
            if (value == null) {
                return null;
            }
            ByteBuffer buffer = ByteBuffer.allocate(value.length * Long.BYTES);
            for (long v : value) {
                buffer.putLong(v);
            }
            return buffer.array();
        };
    }

    @Override
    public Deserializer<long[]> deserializer() {
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            if (bytes.length % Long.BYTES != 0) {
                throw new SerializationException("timestamp list of " + bytes.length + " bytes");
            }
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            long[] values = new long[bytes.length / Long.BYTES];
            for (int i = 0; i < values.length; i++) {
                values[i] = buffer.getLong();
            }
            return values;
        };
    }
}

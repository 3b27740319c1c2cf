package io.portcullis.contracts.events;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.Objects;

/**
 * Where the raw RFC 822 bytes of a message are. Small bodies travel inline in the record; larger ones
 * are written to object storage first and only the reference travels.
 *
 * @param inline the bytes when stored inline (base64 in JSON), else null
 * @param bucket object-storage bucket when stored in S3, else null
 * @param key    object key when stored in S3, else null
 * @param size   size of the body in bytes
 * @param sha256 lowercase hex SHA-256 of the body
 */
public record BodyRef(byte[] inline, String bucket, String key, long size, String sha256) {

    public static BodyRef inline(byte[] bytes, String sha256) {
        return new BodyRef(Objects.requireNonNull(bytes), null, null, bytes.length, sha256);
    }

    public static BodyRef stored(String bucket, String key, long size, String sha256) {
        return new BodyRef(null, Objects.requireNonNull(bucket), Objects.requireNonNull(key), size, sha256);
    }

    @JsonIgnore
    public boolean isInline() {
        return inline != null;
    }
}

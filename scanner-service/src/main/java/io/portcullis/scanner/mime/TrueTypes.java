package io.portcullis.scanner.mime;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.atomic.LongAdder;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.mime.MediaType;
import org.apache.tika.mime.MimeTypes;

/**
 * The true type of an item's bytes (Tika's magic detection, bytes only, no name hint), detected once per item: the
 * file-type engine and the policy's attachment conditions ask for the same items of a message, and the second asks
 * for a type already known. Remembered by the identity of the content array (weak keys: an entry goes with its
 * message's bytes), so equal bytes of different messages are detected again and nothing outlives a message.
 *
 * <p>Text extraction detects with Tika's container-aware detector and the file name as a hint (it tells docx from
 * zip), which can answer differently; it detects once per item on its own.
 */
@ApplicationScoped
public class TrueTypes {
    private static final MimeTypes TYPES = MimeTypes.getDefaultMimeTypes();

    private final Cache<byte[], MediaType> known = Caffeine.newBuilder().weakKeys().build();
    private final LongAdder detections = new LongAdder();

    /**
     * The type of the bytes, detected on the first call for this array and remembered.
     *
     * @throws IOException when detection fails (never for in-memory bytes in practice); nothing is remembered then
     */
    public MediaType of(byte[] content) throws IOException {
        try {
            return known.get(content, this::detect);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** Detections made (not answers from memory), for tests and benchmarks. */
    public long detections() {
        return detections.sum();
    }

    private MediaType detect(byte[] content) {
        detections.increment();
        try {
            return TYPES.detect(new ByteArrayInputStream(content), new Metadata());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

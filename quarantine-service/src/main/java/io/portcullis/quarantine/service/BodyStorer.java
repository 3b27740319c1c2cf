package io.portcullis.quarantine.service;

import io.opentelemetry.instrumentation.annotations.SpanAttribute;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.portcullis.contracts.events.BodyRef;
import io.portcullis.quarantine.storage.BucketInitializer;
import io.portcullis.quarantine.storage.ObjectNotFoundException;
import io.portcullis.quarantine.storage.ObjectStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;

/**
 * Puts a message body into the quarantine bucket: inline bytes are written, a spool reference is copied
 * server-side (the bytes never pass through this service). Writing the same message twice writes the same key.
 */
@ApplicationScoped
public class BodyStorer {
    static final String CONTENT_TYPE = "message/rfc822";

    private final ObjectStore store;
    private final BucketInitializer buckets;

    public BodyStorer(ObjectStore store, BucketInitializer buckets) {
        this.store = store;
        this.buckets = buckets;
    }

    /**
     * @param itemId the quarantine item (its own object: deleting one item of a split message keeps the others)
     * @return the reference to the quarantined copy
     * @throws PermanentFailure when the body reference is unusable or the spool object is gone
     * @throws io.portcullis.quarantine.storage.ObjectStoreException when S3 fails (transient)
     */
    @WithSpan("quarantine.store-body")
    public BodyRef store(@SpanAttribute("portcullis.message_id") String itemId, Instant receivedAt, BodyRef body) {
        if (body == null) {
            throw new PermanentFailure("verdict has no body reference");
        }
        String bucket = buckets.bucket();
        String key = ObjectKeys.quarantineKey(receivedAt, itemId);
        buckets.ensureBucket();
        if (body.isInline()) {
            store.put(bucket, key, body.inline(), CONTENT_TYPE);
            return BodyRef.stored(bucket, key, body.inline().length, body.sha256());
        }
        if (body.bucket() == null || body.key() == null || body.bucket().isBlank() || body.key().isBlank()) {
            throw new PermanentFailure("body reference has neither inline bytes nor bucket/key");
        }
        if (!(body.bucket().equals(bucket) && body.key().equals(key))) {
            try {
                store.copy(body.bucket(), body.key(), bucket, key);
            } catch (ObjectNotFoundException e) {
                if (!store.exists(bucket, key)) { // an earlier attempt may have copied it already
                    throw new PermanentFailure("spool object " + body.bucket() + "/" + body.key() + " is gone", e);
                }
            }
        }
        return BodyRef.stored(bucket, key, body.size(), body.sha256());
    }
}

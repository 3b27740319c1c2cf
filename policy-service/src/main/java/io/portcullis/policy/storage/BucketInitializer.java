package io.portcullis.policy.storage;

import io.portcullis.policy.signatures.SignatureSettings;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * Creates the signature bucket at start-up when missing. When S3 is down at start-up the service still starts
 * (readiness reports it) and the bucket is created before the first upload.
 */
@ApplicationScoped
public class BucketInitializer {
    private static final Logger LOG = Logger.getLogger(BucketInitializer.class);

    private final ObjectStore store;
    private final String bucket;
    private volatile boolean ready;

    public BucketInitializer(ObjectStore store, SignatureSettings settings) {
        this.store = store;
        this.bucket = settings.bucket();
    }

    void onStart(@Observes StartupEvent event) {
        try {
            ensureBucket();
            LOG.infof("signature bucket %s is ready", bucket);
        } catch (ObjectStoreException e) {
            LOG.warnf("signature bucket %s not ready at start-up (%s); will retry before the first upload", bucket,
                    e.getMessage());
        }
    }

    /** Creates the bucket unless that already succeeded once. */
    public void ensureBucket() {
        if (!ready) {
            store.createBucketIfMissing(bucket);
            ready = true;
        }
    }

    public String bucket() {
        return bucket;
    }
}

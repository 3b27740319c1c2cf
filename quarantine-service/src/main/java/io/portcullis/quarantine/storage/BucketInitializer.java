package io.portcullis.quarantine.storage;

import io.portcullis.quarantine.config.QuarantineConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/**
 * Creates the quarantine bucket at start-up when missing. When S3 is down at start-up the service still starts
 * (readiness reports it) and the bucket is created before the first store.
 */
@ApplicationScoped
public class BucketInitializer {
    private static final Logger LOG = Logger.getLogger(BucketInitializer.class);

    private final ObjectStore store;
    private final String bucket;
    private volatile boolean ready;

    @Inject
    public BucketInitializer(ObjectStore store, QuarantineConfig config) {
        this(store, config.s3().bucket());
    }

    public BucketInitializer(ObjectStore store, String bucket) {
        this.store = store;
        this.bucket = bucket;
    }

    void onStart(@Observes StartupEvent event) {
        try {
            ensureBucket();
            LOG.infof("quarantine bucket %s is ready", bucket);
        } catch (ObjectStoreException e) {
            LOG.warnf("quarantine bucket %s not ready at start-up (%s); will retry before the first store",
                    bucket, e.getMessage());
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

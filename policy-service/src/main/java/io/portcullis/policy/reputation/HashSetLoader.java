package io.portcullis.policy.reputation;

import io.opentelemetry.instrumentation.annotations.SpanAttribute;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.portcullis.av.SignatureSet;
import io.portcullis.policy.entity.SignatureBundle;
import io.portcullis.policy.service.UnavailableException;
import io.portcullis.policy.storage.ObjectStore;
import io.portcullis.policy.storage.ObjectStoreException;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;

/** Loads the hash set of a published bundle from object storage, checking the object against its row. */
@ApplicationScoped
public class HashSetLoader {
    private final ObjectStore store;

    public HashSetLoader(ObjectStore store) {
        this.store = store;
    }

    /** @throws UnavailableException when the object cannot be read or is not the recorded one */
    @WithSpan
    public SignatureSet load(@SpanAttribute("signatures.version") String version, SignatureBundle bundle) {
        try (InputStream in = store.open(bundle.bucket, bundle.objectKey)) {
            return BundleHashes.load(in, bundle.sha256, bundle.size);
        } catch (ObjectStoreException e) {
            throw new UnavailableException("signature bundle " + version + " cannot be read from object storage: "
                    + e.getMessage());
        } catch (BundleHashes.LoadFailure e) {
            throw new UnavailableException("signature bundle " + version + ": " + e.getMessage());
        } catch (IOException e) { // closing the stream
            throw new UnavailableException("signature bundle " + version + " cannot be read: " + e.getMessage());
        }
    }
}

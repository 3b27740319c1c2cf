package io.portcullis.policy.signatures;

import io.opentelemetry.instrumentation.annotations.SpanAttribute;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.portcullis.av.SignatureSet;
import io.portcullis.policy.api.SignatureBundleList;
import io.portcullis.policy.api.SignatureBundleView;
import io.portcullis.policy.entity.SignatureBundle;
import io.portcullis.policy.reputation.BundleHashes;
import io.portcullis.policy.reputation.HashSetLoader;
import io.portcullis.policy.reputation.ReputationIndex;
import io.portcullis.policy.service.DuplicateEntryException;
import io.portcullis.policy.service.UnavailableException;
import io.portcullis.policy.service.UnknownEntryException;
import io.portcullis.policy.storage.BucketInitializer;
import io.portcullis.policy.storage.ObjectStore;
import io.portcullis.policy.storage.ObjectStoreException;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Signature bundles: publication, activation of an earlier one, listing. Bytes go to S3 first; then one PostgreSQL
 * transaction inserts the row (publication), makes the bundle active and writes SignatureBundleActivated into the
 * outbox. The hash set of the bundle is built before that transaction and swapped into this instance's
 * {@link ReputationIndex} right after it commits, so this instance answers from the new bundle at once; other
 * instances follow through {@link io.portcullis.policy.reputation.ReputationRefreshJob}.
 */
@ApplicationScoped
public class SignatureBundleService {
    private static final Logger LOG = Logger.getLogger(SignatureBundleService.class);

    private final SignatureSettings settings;
    private final BundleRegistry registry;
    private final PublishLock publishLock;
    private final ObjectStore store;
    private final BucketInitializer bucket;
    private final HashSetLoader loader;
    private final ReputationIndex index;
    private final Clock clock;

    public SignatureBundleService(SignatureSettings settings, BundleRegistry registry, PublishLock publishLock,
            ObjectStore store, BucketInitializer bucket, HashSetLoader loader, ReputationIndex index) {
        this.settings = settings;
        this.registry = registry;
        this.publishLock = publishLock;
        this.store = store;
        this.bucket = bucket;
        this.loader = loader;
        this.index = index;
        this.clock = Clock.systemUTC();
    }

    /**
     * Checks an uploaded bundle, stores it and makes it active.
     *
     * @param requestedVersion the version, or null for the current UTC time as yyyyMMddHHmmss
     * @param upload           a tar or gzip'd tar of ClamAV database files
     */
    @WithSpan
    public SignatureBundleView publish(String requestedVersion, InputStream upload) {
        String version = BundleVersion.requestedOrDefault(requestedVersion, clock);
        if (registry.exists(version)) {
            throw new DuplicateEntryException("version", "signature bundle already exists: " + version);
        }
        Path normalized = tempFile();
        try (PublishLock.Held held = publishLock.acquire(version)) {
            if (registry.exists(version)) { // published by another instance while this one waited
                throw new DuplicateEntryException("version", "signature bundle already exists: " + version);
            }
            Instant createdAt = clock.instant();
            BundleParser.Result parsed = parse(upload, normalized, createdAt);
            SignatureSet hashes = hashes(normalized, parsed);

            SignatureBundle bundle = new SignatureBundle();
            bundle.version = version;
            bundle.bucket = bucket.bucket();
            bundle.objectKey = BundleVersion.objectKey(version);
            bundle.sha256 = parsed.sha256();
            bundle.size = parsed.size();
            bundle.files = parsed.files();
            bundle.signatures = parsed.signatures();
            bundle.createdAt = createdAt;
            upload(bundle, normalized);

            BundleRegistry.Activation activation = registry.publish(bundle);
            index.offer(new ReputationIndex.Loaded(activation.activation(), version, hashes));
            LOG.infof("signature bundle %s published and active (activation %d): %d files, %d bytes, %s", version,
                    activation.activation(), bundle.files.size(), bundle.size, bundle.signatures);
            return SignatureBundleView.of(bundle, true);
        } finally {
            try {
                Files.deleteIfExists(normalized);
            } catch (IOException e) {
                LOG.warnf("temporary bundle file %s not deleted: %s", normalized, e.getMessage());
            }
        }
    }

    /** Makes an existing bundle active again (rollback or roll forward); its bytes are checked first. */
    @WithSpan
    public SignatureBundleView activate(@SpanAttribute("signatures.version") String version) {
        BundleVersion.require(version);
        SignatureBundle bundle = registry.find(version)
                .orElseThrow(() -> new UnknownEntryException("version", "no such signature bundle"));
        SignatureSet hashes = loader.load(version, bundle); // 503 when S3 cannot give the recorded bytes
        BundleRegistry.Activation activation = registry.activate(version, BundleRegistry.ROLLBACK);
        index.offer(new ReputationIndex.Loaded(activation.activation(), version, hashes));
        LOG.infof("signature bundle %s activated again (activation %d)", version, activation.activation());
        return SignatureBundleView.of(bundle, true);
    }

    @WithSpan
    public SignatureBundleList list() {
        BundleRegistry.Listing listing = registry.listing();
        return new SignatureBundleList(listing.active(), listing.bundles().stream()
                .map(b -> SignatureBundleView.of(b, b.version.equals(listing.active()))).toList());
    }

    /** The active bundle with its bucket; 404 before the first publication. */
    @WithSpan
    public SignatureBundleView active() {
        SignatureBundle bundle = registry.activeState().bundle();
        if (bundle == null) {
            throw new UnknownEntryException(null, "no signature bundle is active");
        }
        return SignatureBundleView.withBucket(bundle, true);
    }

    private BundleParser.Result parse(InputStream upload, Path normalized, Instant createdAt) {
        BundleParser parser = new BundleParser(settings.maxBytes(), settings.maxFiles());
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(normalized), 1 << 16)) {
            return parser.parse(upload, out, createdAt);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the temporary bundle file", e);
        }
    }

    /** The hash set, read back from the file that is about to be uploaded (so also a check of that file). */
    private static SignatureSet hashes(Path normalized, BundleParser.Result parsed) {
        try (InputStream in = Files.newInputStream(normalized)) {
            return BundleHashes.load(in, parsed.sha256(), parsed.size());
        } catch (IOException | BundleHashes.LoadFailure e) {
            throw new IllegalStateException("the normalized bundle does not read back: " + e.getMessage(), e);
        }
    }

    private void upload(SignatureBundle bundle, Path normalized) {
        try {
            bucket.ensureBucket();
            store.put(bundle.bucket, bundle.objectKey, normalized, "application/x-tar",
                    Map.of("sha256", bundle.sha256, "version", bundle.version));
        } catch (ObjectStoreException e) {
            throw new UnavailableException("object storage unavailable, bundle not stored: " + e.getMessage());
        }
    }

    private static Path tempFile() {
        try {
            return Files.createTempFile("portcullis-bundle-", ".tar"); // owner-only permissions
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary bundle file", e);
        }
    }
}

package io.portcullis.policy.storage;

import io.minio.BucketExistsArgs;
import io.minio.GetObjectArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.UploadObjectArgs;
import io.minio.errors.ErrorResponseException;
import io.portcullis.policy.config.PolicyConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/** {@link ObjectStore} on any S3 API (MinIO, S3Proxy, AWS) through the MinIO Java client. */
@ApplicationScoped
public class MinioObjectStore implements ObjectStore {
    private static final Set<String> MISSING = Set.of("NoSuchKey", "NoSuchBucket", "NoSuchObject");

    private final MinioClient client;
    private final String region;

    public MinioObjectStore(PolicyConfig config) {
        this.region = config.s3().region();
        this.client = MinioClient.builder()
                .endpoint(config.s3().endpoint())
                .credentials(config.s3().accessKey(), config.s3().secretKey())
                .region(region)
                .build();
    }

    @Override
    public boolean bucketExists(String bucket) {
        return call("bucket-exists " + bucket, bucket, null,
                () -> client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build()));
    }

    @Override
    public void createBucketIfMissing(String bucket) {
        if (bucketExists(bucket)) {
            return;
        }
        try {
            call("make-bucket " + bucket, bucket, null, () -> {
                client.makeBucket(MakeBucketArgs.builder().bucket(bucket).region(region).build());
                return null;
            });
        } catch (ObjectStoreException e) {
            if (!bucketExists(bucket)) { // another instance may have created it meanwhile
                throw e;
            }
        }
    }

    @Override
    public void put(String bucket, String key, Path file, String contentType, Map<String, String> metadata) {
        call("put " + bucket + "/" + key, bucket, key, () -> client.uploadObject(UploadObjectArgs.builder()
                .bucket(bucket).object(key).filename(file.toString()).contentType(contentType)
                .userMetadata(metadata).build()));
    }

    @Override
    public InputStream open(String bucket, String key) {
        return call("get " + bucket + "/" + key, bucket, key,
                () -> client.getObject(GetObjectArgs.builder().bucket(bucket).object(key).build()));
    }

    private interface S3Call<T> {
        T run() throws Exception;
    }

    private static <T> T call(String what, String bucket, String key, S3Call<T> s3) {
        try {
            return s3.run();
        } catch (ErrorResponseException e) {
            if (MISSING.contains(e.errorResponse().code())) {
                throw new ObjectNotFoundException(bucket, key);
            }
            throw new ObjectStoreException(what + " failed: " + e.errorResponse().code(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ObjectStoreException(what + " interrupted", e);
        } catch (Exception e) {
            throw new ObjectStoreException(what + " failed: " + e.getClass().getSimpleName() + ": " + e.getMessage(), e);
        }
    }
}

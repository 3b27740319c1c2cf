package io.portcullis.quarantine.storage;

import io.minio.BucketExistsArgs;
import io.minio.CopyObjectArgs;
import io.minio.CopySource;
import io.minio.GetObjectArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.minio.StatObjectArgs;
import io.minio.errors.ErrorResponseException;
import io.portcullis.quarantine.config.QuarantineConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.Set;

/** {@link ObjectStore} on any S3 API (MinIO, S3Proxy, AWS) through the MinIO Java client. */
@ApplicationScoped
public class MinioObjectStore implements ObjectStore {
    private static final Set<String> MISSING = Set.of("NoSuchKey", "NoSuchBucket", "NoSuchObject");

    private final MinioClient client;
    private final String region;

    public MinioObjectStore(QuarantineConfig config) {
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
    public void put(String bucket, String key, byte[] bytes, String contentType) {
        call("put " + bucket + "/" + key, bucket, key, () -> client.putObject(PutObjectArgs.builder()
                .bucket(bucket).object(key).contentType(contentType)
                .stream(new ByteArrayInputStream(bytes), bytes.length, -1).build()));
    }

    @Override
    public void copy(String sourceBucket, String sourceKey, String bucket, String key) {
        call("copy " + sourceBucket + "/" + sourceKey, sourceBucket, sourceKey, () -> client.copyObject(
                CopyObjectArgs.builder().bucket(bucket).object(key)
                        .source(CopySource.builder().bucket(sourceBucket).object(sourceKey).build()).build()));
    }

    @Override
    public boolean exists(String bucket, String key) {
        try {
            call("stat " + bucket + "/" + key, bucket, key,
                    () -> client.statObject(StatObjectArgs.builder().bucket(bucket).object(key).build()));
            return true;
        } catch (ObjectNotFoundException e) {
            return false;
        }
    }

    @Override
    public InputStream open(String bucket, String key) {
        return call("get " + bucket + "/" + key, bucket, key,
                () -> client.getObject(GetObjectArgs.builder().bucket(bucket).object(key).build()));
    }

    @Override
    public void delete(String bucket, String key) {
        call("remove " + bucket + "/" + key, bucket, key, () -> {
            client.removeObject(RemoveObjectArgs.builder().bucket(bucket).object(key).build());
            return null;
        });
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

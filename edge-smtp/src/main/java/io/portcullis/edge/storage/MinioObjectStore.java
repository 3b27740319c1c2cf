package io.portcullis.edge.storage;

import io.minio.BucketExistsArgs;
import io.minio.GetObjectArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.minio.errors.ErrorResponseException;
import io.portcullis.edge.config.EdgeConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;

/** {@link ObjectStore} on any S3 API (MinIO, S3Proxy, AWS) through the MinIO Java client. */
@ApplicationScoped
public class MinioObjectStore implements ObjectStore {

    private final MinioClient client;
    private final String region;

    public MinioObjectStore(EdgeConfig config) {
        EdgeConfig.S3 s3 = config.s3();
        this.region = s3.region();
        this.client = MinioClient.builder().endpoint(s3.endpoint()).region(s3.region())
                .credentials(s3.accessKey(), s3.secretKey()).build();
        long timeout = Math.max(1000, config.spool().ackTimeout().toMillis());
        this.client.setTimeout(Duration.ofSeconds(5).toMillis(), timeout, timeout);
    }

    @Override
    public void put(String bucket, String key, InputStream body, long size, String contentType) throws IOException {
        call(() -> client.putObject(PutObjectArgs.builder().bucket(bucket).object(key).stream(body, size, -1)
                .contentType(contentType).build()));
    }

    @Override
    public InputStream open(String bucket, String key) throws IOException {
        try {
            return client.getObject(GetObjectArgs.builder().bucket(bucket).object(key).build());
        } catch (ErrorResponseException e) {
            String code = e.errorResponse() == null ? "" : e.errorResponse().code();
            if ("NoSuchKey".equals(code) || "NoSuchBucket".equals(code)) {
                throw new FileNotFoundException("s3://" + bucket + "/" + key + ": " + code);
            }
            throw new IOException("s3://" + bucket + "/" + key + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("s3://" + bucket + "/" + key + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void delete(String bucket, String key) throws IOException {
        call(() -> {
            client.removeObject(RemoveObjectArgs.builder().bucket(bucket).object(key).build());
            return null;
        });
    }

    @Override
    public boolean bucketExists(String bucket) throws IOException {
        return call(() -> client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build()));
    }

    @Override
    public void ensureBucket(String bucket) throws IOException {
        if (bucketExists(bucket)) {
            return;
        }
        try {
            call(() -> {
                client.makeBucket(MakeBucketArgs.builder().bucket(bucket).region(region).build());
                return null;
            });
        } catch (IOException e) {
            if (!(e.getCause() instanceof ErrorResponseException err)
                    || !"BucketAlreadyOwnedByYou".equals(err.errorResponse().code())) {
                throw e;
            }
        }
    }

    @FunctionalInterface
    private interface MinioCall<T> {
        T run() throws Exception;
    }

    private static <T> T call(MinioCall<T> call) throws IOException {
        try {
            return call.run();
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("object storage: " + e.getMessage(), e);
        }
    }
}

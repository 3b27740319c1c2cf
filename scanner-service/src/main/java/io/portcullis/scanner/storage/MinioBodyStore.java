package io.portcullis.scanner.storage;

import io.minio.BucketExistsArgs;
import io.minio.GetObjectArgs;
import io.minio.MinioClient;
import io.minio.errors.ErrorResponseException;
import io.portcullis.scanner.config.ScannerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** {@link BodyStore} on S3 (MinIO, S3Proxy, AWS) with the MinIO SDK. */
@ApplicationScoped
public class MinioBodyStore implements BodyStore {
    private static final Set<String> MISSING = Set.of("NoSuchKey", "NoSuchBucket", "NoSuchObject");

    private final MinioClient client;
    private final String spoolBucket;

    public MinioBodyStore(ScannerConfig config) {
        ScannerConfig.S3 s3 = config.s3();
        this.client = MinioClient.builder()
                .endpoint(s3.endpoint())
                .credentials(s3.accessKey(), s3.secretKey())
                .region(s3.region())
                .build();
        this.client.setTimeout(TimeUnit.SECONDS.toMillis(10), TimeUnit.SECONDS.toMillis(60),
                TimeUnit.SECONDS.toMillis(60));
        this.spoolBucket = s3.spoolBucket();
    }

    @Override
    public InputStream open(String bucket, String key) throws IOException {
        try {
            return client.getObject(GetObjectArgs.builder().bucket(bucket).object(key).build());
        } catch (ErrorResponseException e) {
            String code = e.errorResponse() == null ? null : e.errorResponse().code();
            if (code != null && MISSING.contains(code)) {
                throw new ObjectMissingException(code + ": " + bucket + "/" + key);
            }
            throw new IOException("S3 error " + code + " reading " + bucket + "/" + key, e);
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("S3 read of " + bucket + "/" + key + " failed: " + e.getClass().getSimpleName(), e);
        }
    }

    @Override
    public boolean reachable() {
        try {
            client.bucketExists(BucketExistsArgs.builder().bucket(spoolBucket).build());
            return true;
        } catch (Exception e) {
            return false;
        }
    }
}

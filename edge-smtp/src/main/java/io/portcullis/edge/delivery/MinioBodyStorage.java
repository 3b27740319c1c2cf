package io.portcullis.edge.delivery;

import io.minio.GetObjectArgs;
import io.minio.MinioClient;
import io.minio.errors.ErrorResponseException;
import io.portcullis.edge.config.EdgeConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;

/** {@link BodyStorage} on S3 (MinIO, S3Proxy, AWS) through the MinIO Java SDK; streams, never buffers whole. */
@ApplicationScoped
public class MinioBodyStorage implements BodyStorage {

    private final MinioClient client;

    public MinioBodyStorage(EdgeConfig config) {
        this.client = MinioClient.builder()
                .endpoint(config.s3().endpoint())
                .credentials(config.s3().accessKey(), config.s3().secretKey())
                .region(config.s3().region())
                .build();
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
}

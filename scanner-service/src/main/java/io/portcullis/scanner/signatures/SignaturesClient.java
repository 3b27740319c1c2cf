package io.portcullis.scanner.signatures;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;

/** MicroProfile REST client of policy-service's signature bundle endpoint (built with the configured URL). */
@Path("/api/v1/signatures")
public interface SignaturesClient {

    /**
     * The active bundle, as policy-service describes it (only the fields the scanner uses are checked).
     *
     * @param version    bundle version
     * @param bucket     S3 bucket
     * @param objectKey  S3 key of the tar
     * @param sha256     hex SHA-256 of the tar
     * @param size       tar size in bytes
     * @param files      database files in the bundle (informational)
     * @param signatures signature counts (informational)
     * @param active     whether it is the active bundle (true for this endpoint; absent counts as true)
     * @param createdAt  when it was created (informational)
     */
    record ActiveBundle(String version, String bucket, String objectKey, String sha256, long size, List<String> files,
            Map<String, Object> signatures, Boolean active, String createdAt) {
    }

    /** 200 with the active bundle, 404 when no bundle exists. */
    @GET
    @Path("/active")
    @Produces(MediaType.APPLICATION_JSON)
    ActiveBundle active();
}

package io.portcullis.contracts.events;

import java.time.Instant;

/**
 * A signature bundle (the pattern file) became the active one: every scanner loads it in the background and swaps it
 * in atomically. Publishing a new bundle and rolling back to an earlier one are both activations; the last event on
 * {@link Topics#SIGNATURES} is the set scanners must use.
 *
 * @param tenant      tenant id
 * @param version     the bundle version (unique, e.g. {@code 2026112701})
 * @param bucket      the S3 bucket holding the bundle
 * @param objectKey   the bundle's object key (a tar of ClamAV database files)
 * @param sha256      hex SHA-256 of the bundle object; scanners refuse a bundle that does not match
 * @param size        bundle size in bytes
 * @param activatedAt when it was activated
 * @param reason      {@code publish} or {@code rollback}, free text after a colon allowed
 */
public record SignatureBundleActivated(String tenant, String version, String bucket, String objectKey, String sha256,
        long size, Instant activatedAt, String reason) {
}

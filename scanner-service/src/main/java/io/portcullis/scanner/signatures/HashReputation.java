package io.portcullis.scanner.signatures;

import java.util.List;

/**
 * The central hash-reputation service ({@code POST /api/v1/reputation/files} on policy-service): whole-file hashes in,
 * one verdict per file out, in request order.
 */
@FunctionalInterface
public interface HashReputation {

    /** Request body: at most {@link SmartScan#BATCH} files. */
    record Request(List<FileHashes> files) {
    }

    /**
     * One file's verdict.
     *
     * @param sha256    the file's SHA-256 as sent
     * @param verdict   {@code MALICIOUS} or {@code UNKNOWN}
     * @param signature the matching signature name (MALICIOUS only)
     * @param category  an av-engine {@code ThreatCategory} name (MALICIOUS only)
     */
    record Result(String sha256, String verdict, String signature, String category) {
    }

    /**
     * Response body.
     *
     * @param version the central signature version that answered
     * @param results one per requested file, in request order
     */
    record Response(String version, List<Result> results) {
    }

    /**
     * Asks for the verdicts of {@code files} (at most {@link SmartScan#BATCH}).
     *
     * @throws RuntimeException when the service cannot be reached, times out or answers an error status
     */
    Response lookup(List<FileHashes> files);
}

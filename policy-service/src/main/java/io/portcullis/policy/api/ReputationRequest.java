package io.portcullis.policy.api;

import java.util.List;

/** {@code POST /api/v1/reputation/files}: 1 to 1000 files by their whole-file hashes and size. */
public record ReputationRequest(List<FileHashes> files) {

    /**
     * One file.
     *
     * @param md5    32 hex digits
     * @param sha1   40 hex digits, or null
     * @param sha256 64 hex digits
     * @param size   size in bytes (hash signatures match on hash and size)
     */
    public record FileHashes(String md5, String sha1, String sha256, Long size) {
    }
}

package io.portcullis.policy.api;

/**
 * What a bulk import did.
 *
 * @param created       entries added
 * @param unchanged     entries that already existed with the same kind (left as they were)
 * @param policyVersion the policy version after the import (unchanged when nothing was added)
 */
public record SenderListImportResult(int created, int unchanged, long policyVersion) {
}

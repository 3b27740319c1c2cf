package io.portcullis.policy.api;

/**
 * What an import did, in one policy version.
 *
 * @param source        the bundle's source cluster
 * @param outbreak      whether it was an outbreak bundle
 * @param created       rules that did not exist
 * @param replaced      existing rules replaced (of any origin, by id)
 * @param removed       rules of an earlier bundle of the same source that the bundle no longer has
 * @param policyVersion the version the import produced
 */
public record BundleImportResult(String source, boolean outbreak, int created, int replaced, int removed,
        long policyVersion) {
}

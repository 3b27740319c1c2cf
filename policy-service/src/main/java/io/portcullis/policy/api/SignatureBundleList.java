package io.portcullis.policy.api;

import java.util.List;

/** {@code GET /api/v1/signatures}: the active version (null before the first publication) and all bundles, newest first. */
public record SignatureBundleList(String active, List<SignatureBundleView> bundles) {
}

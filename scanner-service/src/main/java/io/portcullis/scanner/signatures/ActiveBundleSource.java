package io.portcullis.scanner.signatures;

import java.util.Optional;

/** Which signature bundle is active centrally ({@code GET /api/v1/signatures/active} on policy-service). */
@FunctionalInterface
public interface ActiveBundleSource {

    /**
     * @return the active bundle, or empty when none exists yet (404)
     * @throws RuntimeException when policy-service cannot be reached or answers something invalid
     */
    Optional<BundleRef> active();
}

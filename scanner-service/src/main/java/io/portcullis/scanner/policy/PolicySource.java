package io.portcullis.scanner.policy;

import io.portcullis.contracts.policy.PolicySnapshot;

/** Where the current policy snapshot comes from (the cache in production, a fixed snapshot in tests). */
@FunctionalInterface
public interface PolicySource {
    PolicySnapshot current();
}

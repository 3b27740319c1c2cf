package io.portcullis.scanner.policy;

import io.portcullis.policy.engine.Directory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/**
 * The directory policy scopes resolve aliases and groups in. Until the scanner asks policy-service's directory
 * lookup (issue 5, in progress), scopes match the envelope addresses as written: no aliases, no groups, so a
 * {@code group:} scope matches nobody (and its except-lists except nobody).
 */
@ApplicationScoped
public class DirectoryProducer {

    @Produces
    @ApplicationScoped
    Directory directory() {
        return Directory.NONE;
    }
}

package io.portcullis.scanner.policy;

import io.portcullis.policy.engine.Directory;
import io.portcullis.scanner.config.ScannerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/** The directory policy scopes resolve aliases and groups in: policy-service's look-up, cached. */
@ApplicationScoped
public class DirectoryProducer {

    @Produces
    @ApplicationScoped
    Directory directory(ScannerConfig config) {
        return new DirectoryClient(config.policy().url(), config.policy().directoryTimeout(),
                config.policy().directoryCacheTtl());
    }
}

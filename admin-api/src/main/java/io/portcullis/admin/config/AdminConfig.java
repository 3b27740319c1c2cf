package io.portcullis.admin.config;

import io.smallrye.config.ConfigMapping;
import java.net.URI;

/**
 * Everything admin-api reads from configuration ({@code portcullis.admin.*}). The REST clients take their URLs from
 * here ({@code quarkus.rest-client.<service>.url=${portcullis.admin.<service>-url}}); OIDC settings are the standard
 * {@code quarkus.oidc.*} keys.
 */
@ConfigMapping(prefix = "portcullis.admin")
public interface AdminConfig {

    /** Base URL of policy-service, {@code PORTCULLIS_POLICY_URL}. */
    URI policyUrl();

    /** Base URL of quarantine-service, {@code PORTCULLIS_QUARANTINE_URL}. */
    URI quarantineUrl();

    /** Base URL of report-service, {@code PORTCULLIS_REPORT_URL}. */
    URI reportUrl();
}

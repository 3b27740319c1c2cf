package io.portcullis.scanner.rest;

import io.portcullis.scanner.engine.SpamRulesEngine;
import io.portcullis.scanner.rules.SpamRulesStatus;
import jakarta.enterprise.inject.Instance;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * {@code GET /api/v1/spam/rules/status}: the spam rule set in use (version, hash, rule count, files), the last check
 * of the rule directories and the last refused reload. {@code "enabled": false} when the rule engine is off.
 */
@Path("/api/v1/spam/rules/status")
public class SpamRulesStatusResource {
    private final Instance<SpamRulesEngine> engine;

    public SpamRulesStatusResource(Instance<SpamRulesEngine> engine) {
        this.engine = engine;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public SpamRulesStatus status() {
        return engine.isResolvable() ? engine.get().status() : SpamRulesStatus.disabled();
    }
}

package io.portcullis.admin.config;

import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Fails start-up when a downstream URL cannot work. */
@Startup
@ApplicationScoped
public class ConfigCheck {
    private final AdminConfig config;

    public ConfigCheck(AdminConfig config) {
        this.config = config;
    }

    @PostConstruct
    void validate() {
        List<String> problems = problems(Map.of("policy-url", config.policyUrl(),
                "quarantine-url", config.quarantineUrl(), "report-url", config.reportUrl()));
        if (!problems.isEmpty()) {
            throw new IllegalStateException("invalid portcullis.admin configuration: " + String.join("; ", problems));
        }
    }

    static List<String> problems(Map<String, URI> urls) {
        List<String> problems = new ArrayList<>();
        urls.forEach((name, uri) -> {
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                problems.add(name + " must be an http(s) URL with a host");
            }
        });
        return problems;
    }
}

package io.portcullis.policy.api;

import java.util.List;

/** Body of PUT /settings: replaces both settings. */
public record SettingsRequest(Double spamThreshold, List<String> blockedExtensions) {
}

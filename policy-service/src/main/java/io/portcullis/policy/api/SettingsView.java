package io.portcullis.policy.api;

import java.util.List;

/** The global settings. */
public record SettingsView(double spamThreshold, List<String> blockedExtensions) {
}

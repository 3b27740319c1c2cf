package io.portcullis.policy.service;

import java.util.List;

/** Settings that passed {@link PolicyValidator}. */
public record ValidSettings(double spamThreshold, List<String> blockedExtensions) {
    public ValidSettings {
        blockedExtensions = List.copyOf(blockedExtensions);
    }
}

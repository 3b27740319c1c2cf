package io.portcullis.scanner.config;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URI;
import java.time.Duration;

/** Fails start-up on configuration that cannot work, instead of failing on the first message. */
@ApplicationScoped
public class ScannerConfigCheck {

    void onStart(@Observes StartupEvent event, ScannerConfig config) {
        check(config);
    }

    /** @throws IllegalStateException naming the first bad key */
    public static void check(ScannerConfig config) {
        ScannerConfig.Scanner s = config.scanner();
        positive("portcullis.scanner.max-message-bytes", s.maxMessageBytes());
        positive("portcullis.scanner.max-queued-body-bytes", s.maxQueuedBodyBytes());
        positive("portcullis.scanner.engine-threads", s.engineThreads());
        positive("portcullis.scanner.engine-timeout", s.engineTimeout());
        positive("portcullis.scanner.active-content.pdf-max-bytes", s.activeContent().pdfMaxBytes());
        positive("portcullis.scanner.active-content.html-max-bytes", s.activeContent().htmlMaxBytes());
        positive("portcullis.scanner.active-content.macro-max-source-bytes", s.activeContent().macroMaxSourceBytes());
        positive("portcullis.policy.refresh-interval", config.policy().refreshInterval());
        positive("portcullis.policy.retry-interval", config.policy().retryInterval());
        positive("portcullis.policy.timeout", config.policy().timeout());
        if (config.s3().readAttempts() < 0) {
            throw new IllegalStateException("portcullis.s3.read-attempts must be 0 (unbounded) or positive");
        }
        ScannerConfig.Updates u = s.signatures().updates();
        positive("portcullis.scanner.signatures.updates.poll-interval", u.pollInterval());
        positive("portcullis.scanner.signatures.updates.timeout", u.timeout());
        positive("portcullis.scanner.signatures.updates.retry-backoff", u.retryBackoff());
        positive("portcullis.scanner.signatures.updates.max-backoff", u.maxBackoff());
        positive("portcullis.scanner.signatures.updates.max-attempts", u.maxAttempts());
        positive("portcullis.scanner.signatures.updates.max-bundle-bytes", u.maxBundleBytes());
        if (u.startupWait().isNegative()) {
            throw new IllegalStateException("portcullis.scanner.signatures.updates.startup-wait must not be negative");
        }
        if (u.bucket().isBlank() || u.groupId().isBlank()) {
            throw new IllegalStateException(
                    "portcullis.scanner.signatures.updates.bucket and .group-id must not be blank");
        }
        positive("portcullis.scanner.smart-scan.cache-size", s.smartScan().cacheSize());
        positive("portcullis.scanner.smart-scan.cache-ttl", s.smartScan().cacheTtl());
        positive("portcullis.scanner.smart-scan.timeout", s.smartScan().timeout());
        io.portcullis.scanner.content.TextLimits.from(s.text());
        release(s.release());
        httpUrl("portcullis.policy.url", config.policy().url());
        httpUrl("portcullis.s3.endpoint", config.s3().endpoint());
        // DecompositionLimits validates its own values.
        io.portcullis.scanner.mime.DecompositionLimits.from(s.limits());
        if (s.clamd().enabled()) {
            io.portcullis.scanner.engine.ClamdEngine.check(s.clamd());
        }
        if (s.dnsbl().enabled()) {
            io.portcullis.scanner.engine.DnsblEngine.check(config);
        }
        if (s.auth().enabled()) {
            io.portcullis.scanner.engine.EmailAuthEngine.check(config);
        }
        if (s.rules().enabled()) {
            io.portcullis.scanner.engine.SpamRulesEngine.check(s);
        }
    }

    private static void release(ScannerConfig.Release r) {
        positive("portcullis.scanner.release.attempts", r.attempts());
        positive("portcullis.scanner.release.retry-delay", r.retryDelay());
        positive("portcullis.scanner.release.dedupe-max-entries", r.dedupeMaxEntries());
        positive("portcullis.scanner.release.dedupe-ttl", r.dedupeTtl());
        if (r.threatCategories().isEmpty()) {
            throw new IllegalStateException("portcullis.scanner.release.threat-categories must name a category");
        }
        for (io.portcullis.contracts.scan.Category c : r.threatCategories()) {
            if (c == io.portcullis.contracts.scan.Category.SPAM || c == io.portcullis.contracts.scan.Category.INFO
                    || c == io.portcullis.contracts.scan.Category.FAILURE) {
                throw new IllegalStateException("portcullis.scanner.release.threat-categories must not contain " + c
                        + ": a release is rescanned for threats only, and a failure is never clean");
            }
        }
    }

    private static void positive(String key, long value) {
        if (value <= 0) {
            throw new IllegalStateException(key + " must be positive, was " + value);
        }
    }

    private static void positive(String key, Duration value) {
        if (value.isNegative() || value.isZero()) {
            throw new IllegalStateException(key + " must be positive, was " + value);
        }
    }

    private static void httpUrl(String key, String value) {
        try {
            URI uri = URI.create(value);
            if (uri.getScheme() == null || !uri.getScheme().startsWith("http") || uri.getHost() == null) {
                throw new IllegalArgumentException("not an http(s) URL");
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(key + " must be an http(s) URL, was '" + value + "'", e);
        }
    }
}

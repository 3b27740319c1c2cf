package io.portcullis.scanner.engine;

import io.portcullis.av.ThreatCategory;
import io.portcullis.contracts.scan.Category;
import io.portcullis.contracts.scan.EngineResult;
import io.portcullis.contracts.scan.Finding;
import io.portcullis.contracts.scan.ScanEngine;
import io.portcullis.contracts.scan.ScanInput;
import io.portcullis.contracts.scan.ScanItem;
import io.portcullis.scanner.config.ScannerConfig;
import io.quarkus.arc.lookup.LookupIfProperty;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.nio.channels.ClosedByInterruptException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * The optional second antivirus engine: the raw message streamed to a clamd daemon with INSTREAM (clamd unpacks MIME
 * and archives itself, within its own limits). Only looked up by {@link EngineRunner} when
 * {@code portcullis.scanner.clamd.enabled=true}: when off it does not run at all.
 *
 * <p>Findings use the same symbols as {@link SignatureEngine}, so policy treats both engines alike: a FOUND name
 * becomes {@code AV_<category>} (av-engine's {@link ThreatCategory#of}), category GRAYWARE for spyware, adware,
 * dialers and PUA and VIRUS otherwise, detail {@code clamd: <name>}. {@code Heuristics.Limits*} and
 * {@code Heuristics.Encrypted*} are not malware but "not fully scanned": a {@value #HEURISTIC_SYMBOL} failure finding.
 *
 * <p>Failure is a value: refused connection, timeout, an ERROR, garbage, truncated or over-long reply give a
 * {@value #FAILURE_SYMBOL} failure (status FAILED or TIMEOUT); a message above {@code max-stream-bytes} is not sent
 * and gets {@value #LIMIT_SYMBOL}. Nothing but a complete {@code stream: OK} is ever clean.
 *
 * <p>The result carries clamd's {@code VERSION} (engine and database version), asked at most once a minute.
 */
@ApplicationScoped
@LookupIfProperty(name = "portcullis.scanner.clamd.enabled", stringValue = "true")
public class ClamdEngine implements ScanEngine {
    public static final String NAME = "clamd";
    public static final String FAILURE_SYMBOL = "CLAMD_FAIL";
    public static final String LIMIT_SYMBOL = "CLAMD_LIMIT";
    public static final String HEURISTIC_SYMBOL = "CLAMD_HEURISTIC";
    /** How long a VERSION answer is reused. */
    static final long VERSION_TTL_NANOS = TimeUnit.MINUTES.toNanos(1);
    /** Upper bound for the side requests VERSION and PING. */
    static final Duration SIDE_REQUEST_LIMIT = Duration.ofSeconds(5);

    private static final Logger LOG = Logger.getLogger(ClamdEngine.class);
    /** ExtendedDetectionInfo appends {@code (hash:size)} to the name. */
    private static final Pattern EXTENDED_INFO = Pattern.compile("^(.+)\\([0-9a-fA-F]{32,64}:\\d+\\)$");

    private final ClamdClient client;
    private final long maxStreamBytes;
    private final LongSupplier nanoClock;
    private final AtomicReference<CachedVersion> version = new AtomicReference<>();
    private final AtomicBoolean versionRefreshing = new AtomicBoolean();

    private record CachedVersion(String text, long askedAt) {
    }

    /** What a PING found, for readiness. */
    public record Health(boolean up, String address, String version, String error) {
    }

    @Inject
    public ClamdEngine(ScannerConfig config) {
        this(check(config.scanner().clamd()), config.scanner().clamd().maxStreamBytes(), System::nanoTime);
    }

    ClamdEngine(ClamdClient client, long maxStreamBytes, LongSupplier nanoClock) {
        if (maxStreamBytes <= 0) {
            throw new IllegalStateException("portcullis.scanner.clamd.max-stream-bytes must be positive, was "
                    + maxStreamBytes);
        }
        this.client = client;
        this.maxStreamBytes = maxStreamBytes;
        this.nanoClock = nanoClock;
        LOG.infof("clamd engine at %s (timeout %s, max stream %d bytes)", client.address(), client.timeout(),
                maxStreamBytes);
    }

    /**
     * Validates the clamd settings (also called by ScannerConfigCheck at start-up when enabled).
     *
     * @return a client for them
     * @throws IllegalStateException naming the bad key
     */
    public static ClamdClient check(ScannerConfig.Clamd config) {
        ClamdClient.Address address;
        try {
            address = ClamdClient.Address.parse(config.address());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("portcullis.scanner.clamd.address: " + e.getMessage(), e);
        }
        if (config.timeout().isNegative() || config.timeout().isZero()) {
            throw new IllegalStateException("portcullis.scanner.clamd.timeout must be positive, was "
                    + config.timeout());
        }
        if (config.maxStreamBytes() <= 0) {
            throw new IllegalStateException("portcullis.scanner.clamd.max-stream-bytes must be positive, was "
                    + config.maxStreamBytes());
        }
        return new ClamdClient(address, config.timeout());
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String failureSymbol() {
        return FAILURE_SYMBOL;
    }

    @Override
    public EngineResult scan(ScanInput input) {
        ScanItem raw = rawItem(input);
        if (raw == null) {
            return EngineResult.failed(NAME, EngineResult.Status.FAILED, FAILURE_SYMBOL,
                    "clamd: no raw message to scan");
        }
        byte[] content = raw.content();
        if (content.length > maxStreamBytes) {
            return EngineResult.ok(NAME, List.of(new Finding(LIMIT_SYMBOL, Category.FAILURE, 0,
                    "clamd: message of " + content.length + " bytes above max-stream-bytes " + maxStreamBytes
                            + ", not scanned")), cachedVersion());
        }
        List<String> found;
        try {
            found = client.instream(content);
        } catch (SocketTimeoutException e) {
            LOG.warnf("clamd timed out on %s", input.messageId());
            return EngineResult.failed(NAME, EngineResult.Status.TIMEOUT, FAILURE_SYMBOL,
                    "clamd timed out after " + client.timeout().toMillis() + " ms");
        } catch (InterruptedIOException | ClosedByInterruptException e) {
            Thread.currentThread().interrupt();
            return EngineResult.failed(NAME, EngineResult.Status.FAILED, FAILURE_SYMBOL, "clamd interrupted");
        } catch (IOException e) {
            LOG.warnf("clamd failed on %s: %s", input.messageId(), ClamdClient.describe(e));
            return EngineResult.failed(NAME, EngineResult.Status.FAILED, FAILURE_SYMBOL,
                    "clamd failed: " + ClamdClient.describe(e));
        }
        Set<String> names = new LinkedHashSet<>();
        for (String name : found) {
            names.add(withoutExtendedInfo(name));
        }
        List<Finding> findings = new ArrayList<>();
        for (String name : names) {
            findings.add(finding(name));
        }
        return EngineResult.ok(NAME, findings, version());
    }

    /** The finding for one name clamd reported. */
    static Finding finding(String name) {
        String detail = "clamd: " + name;
        if (name.startsWith("Heuristics.Limits") || name.startsWith("Heuristics.Encrypted")) {
            return new Finding(HEURISTIC_SYMBOL, Category.FAILURE, 0, detail);
        }
        ThreatCategory category = ThreatCategory.of(name);
        // the same symbol and category as our own engine's, so policy treats both alike
        return new Finding(SignatureEngine.symbol(category), SignatureEngine.category(category), 0, detail);
    }

    /** PINGs clamd (at most {@link #SIDE_REQUEST_LIMIT}), with the (cached) version; never throws. */
    public Health ping() {
        try {
            boolean pong = client.ping(SIDE_REQUEST_LIMIT);
            return new Health(pong, client.address().text(), pong ? version() : cachedVersion(),
                    pong ? null : "no PONG");
        } catch (IOException e) {
            return new Health(false, client.address().text(), cachedVersion(), ClamdClient.describe(e));
        }
    }

    /**
     * clamd's VERSION, asked again when the last answer is a minute old (one thread asks, the others use the cached
     * value); null while clamd has not answered it.
     */
    String version() {
        CachedVersion current = version.get();
        long now = nanoClock.getAsLong();
        if ((current == null || now - current.askedAt() >= VERSION_TTL_NANOS)
                && versionRefreshing.compareAndSet(false, true)) {
            try {
                String text = null;
                try {
                    text = client.version(SIDE_REQUEST_LIMIT);
                } catch (IOException e) {
                    LOG.debugf("clamd VERSION failed: %s", ClamdClient.describe(e));
                }
                version.set(new CachedVersion(text != null ? text : current == null ? null : current.text(), now));
            } finally {
                versionRefreshing.set(false);
            }
        }
        return cachedVersion();
    }

    private String cachedVersion() {
        CachedVersion v = version.get();
        return v == null ? null : v.text();
    }

    /** The raw message: the first depth-0 item. */
    private static ScanItem rawItem(ScanInput input) {
        for (ScanItem item : input.items()) {
            if (item.depth() == 0 && item.content() != null) {
                return item;
            }
        }
        return null;
    }

    private static String withoutExtendedInfo(String name) {
        Matcher m = EXTENDED_INFO.matcher(name);
        return m.matches() ? m.group(1) : name;
    }
}

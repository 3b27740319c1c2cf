package io.portcullis.scanner.engine;

import com.github.benmanes.caffeine.cache.Ticker;
import io.portcullis.contracts.events.Envelope;
import io.portcullis.contracts.scan.Category;
import io.portcullis.contracts.scan.EngineResult;
import io.portcullis.contracts.scan.Finding;
import io.portcullis.contracts.scan.ScanEngine;
import io.portcullis.contracts.scan.ScanInput;
import io.portcullis.contracts.scan.ScanItem;
import io.portcullis.mailauth.dkim.DkimVerifier;
import io.portcullis.mailauth.dkim.MailHeaders;
import io.portcullis.scanner.config.ScannerConfig;
import io.portcullis.scanner.engine.auth.AuthDns;
import io.portcullis.scanner.engine.auth.DmarcEvaluator;
import io.portcullis.scanner.engine.auth.DnsDkimKeyLookup;
import io.portcullis.scanner.engine.auth.SpfEvaluator;
import io.portcullis.scanner.engine.dns.DnsResolvers;
import io.portcullis.scanner.engine.dns.DnsblNames;
import io.quarkus.arc.lookup.LookupIfProperty;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntSupplier;
import org.apache.james.mime4j.dom.address.Address;
import org.apache.james.mime4j.dom.address.AddressList;
import org.apache.james.mime4j.dom.address.Mailbox;
import org.apache.james.mime4j.field.address.LenientAddressParser;
import org.jboss.logging.Logger;
import org.xbill.DNS.Resolver;

/**
 * Sender authentication: SPF (RFC 7208) for the envelope's MAIL FROM domain (HELO for the null sender) and client IP,
 * DKIM (RFC 6376, rsa-sha256 and ed25519-sha256) for the signatures of the raw message, and DMARC (RFC 7489) for the
 * From domain(s) with relaxed or strict alignment. Only looked up by {@link EngineRunner} when
 * {@code portcullis.scanner.auth.enabled=true} (the default).
 *
 * <p>Findings (SpamAssassin-like small scores; policy decides, e.g. {@code SYMBOL:DMARC_REJECT → QUARANTINE}):
 * {@code SPF_<RESULT>} (FAIL 1.0 and SOFTFAIL 0.5 are SPAM, the rest INFO 0; {@code SPF_SKIPPED} INFO without an
 * envelope or client IP), {@code DKIM_VALID} (INFO, {@code d=/s=} of each valid signature), {@code DKIM_INVALID}
 * (SPAM 1.0, why; only when no signature is valid), {@code DKIM_TEMPERROR}, {@code DKIM_NONE} (INFO),
 * {@code DMARC_PASS} (INFO), {@code DMARC_FAIL} (SPAM 1.0) plus the failing domain's policy {@code DMARC_REJECT}
 * (SPAM 2.0), {@code DMARC_QUARANTINE} (SPAM 1.5) or {@code DMARC_NONE_POLICY} (INFO), {@code DMARC_NONE} (no record)
 * and {@code DMARC_TEMPERROR} (INFO). A DNS timeout or failure is a TEMPERROR finding, never a pass. Details name
 * domains, never full addresses.
 */
@ApplicationScoped
@LookupIfProperty(name = "portcullis.scanner.auth.enabled", stringValue = "true")
public class EmailAuthEngine implements ScanEngine {
    public static final String NAME = "auth";
    public static final String FAILURE_SYMBOL = "AUTH_FAIL";
    static final String RESOLVER_KEY = "portcullis.scanner.auth.resolver";
    private static final Logger LOG = Logger.getLogger(EmailAuthEngine.class);
    /** From domains evaluated per message (a From field may list several mailboxes). */
    static final int MAX_FROM_DOMAINS = 3;

    private final SpfEvaluator spf;
    private final DkimVerifier dkim;
    private final DmarcEvaluator dmarc;
    private final AuthDns dns;
    private final Duration deadline;
    private final Clock clock;

    @Inject
    public EmailAuthEngine(ScannerConfig config) {
        this(config.scanner().auth(), check(config), Ticker.systemTicker(), Clock.systemUTC(),
                () -> ThreadLocalRandom.current().nextInt(100));
    }

    public EmailAuthEngine(ScannerConfig.Auth c, Resolver resolver, Ticker ticker, Clock clock, IntSupplier percent) {
        this.dns = new AuthDns(resolver, c.timeout(), c.cacheSize(), c.cacheTtl(), ticker);
        this.spf = new SpfEvaluator(dns);
        this.dkim = new DkimVerifier(new DnsDkimKeyLookup(dns), c.maxSignatures());
        this.dmarc = new DmarcEvaluator(dns, percent);
        this.deadline = c.deadline();
        this.clock = clock;
        LOG.infof("auth: SPF, DKIM, DMARC with resolver %s, query timeout %s, deadline %s",
                c.resolver().filter(r -> !r.isBlank()).orElse("system"), c.timeout(), c.deadline());
    }

    /**
     * Validates the configuration and builds the resolver.
     *
     * @throws IllegalStateException naming the bad key
     */
    public static Resolver check(ScannerConfig config) {
        return check(config.scanner().auth(), config.scanner().engineTimeout());
    }

    static Resolver check(ScannerConfig.Auth c, Duration engineTimeout) {
        String p = "portcullis.scanner.auth.";
        DnsResolvers.checkTiming(p, c.timeout(), c.deadline(), engineTimeout);
        if (c.cacheSize() <= 0 || c.cacheTtl().toSeconds() < 1 || c.maxSignatures() <= 0) {
            throw new IllegalStateException(p + "cache-size and max-signatures must be positive, cache-ttl at least 1s");
        }
        return resolver(c.resolver());
    }

    static Resolver resolver(Optional<String> address) {
        return DnsResolvers.resolver(RESOLVER_KEY, address);
    }

    /** The lookup cache (for tests). */
    AuthDns dns() {
        return dns;
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
    public EngineResult scan(ScanInput input) throws InterruptedException {
        long end = System.nanoTime() + deadline.toNanos();
        ScanItem raw = input.items().stream().filter(i -> i.depth() == 0).findFirst().orElse(null);
        if (raw == null || raw.content() == null) {
            return EngineResult.failed(NAME, EngineResult.Status.FAILED, FAILURE_SYMBOL, "no raw message");
        }
        MailHeaders message = MailHeaders.parse(raw.content());
        List<Finding> findings = new ArrayList<>();

        DmarcEvaluator.Spf spfSeen = spf(input.envelope(), end, findings);
        List<DkimVerifier.Outcome> signatures = dkim.verify(message, clock.instant().getEpochSecond(), end);
        dkimFindings(signatures, findings);

        Set<String> fromDomains = fromDomains(message);
        if (fromDomains.isEmpty()) {
            findings.add(new Finding("DMARC_NONE", Category.INFO, 0, "no From domain"));
        }
        for (String from : fromDomains) {
            dmarcFindings(dmarc.evaluate(from, spfSeen, signatures, end), findings);
        }
        return EngineResult.ok(NAME, findings);
    }

    private DmarcEvaluator.Spf spf(Envelope env, long end, List<Finding> findings) throws InterruptedException {
        if (env == null) {
            findings.add(new Finding("SPF_SKIPPED", Category.INFO, 0, "no envelope: SPF not evaluated"));
            return null;
        }
        Optional<InetAddress> ip = DnsblNames.parseIp(env.clientIp());
        if (ip.isEmpty()) {
            findings.add(new Finding("SPF_SKIPPED", Category.INFO, 0, "no client IP: SPF not evaluated"));
            return null;
        }
        String helo = env.helo() == null ? "" : env.helo().strip();
        String mailFrom = env.mailFrom() == null ? "" : env.mailFrom().strip();
        if (mailFrom.startsWith("<") && mailFrom.endsWith(">")) {
            mailFrom = mailFrom.substring(1, mailFrom.length() - 1);
        }
        int at = mailFrom.lastIndexOf('@');
        String domain;
        String sender;
        String identity;
        if (at > 0 && at < mailFrom.length() - 1) {
            domain = mailFrom.substring(at + 1);
            sender = mailFrom;
            identity = "mfrom";
        } else {
            domain = helo;
            sender = "postmaster@" + helo;
            identity = "helo";
        }
        domain = domain.toLowerCase(Locale.ROOT);
        SpfEvaluator.Outcome o = spf.check(ip.get(), domain, sender, helo, end);
        Category category = o.result() == SpfEvaluator.Result.FAIL || o.result() == SpfEvaluator.Result.SOFTFAIL
                ? Category.SPAM : Category.INFO;
        double score = switch (o.result()) {
            case FAIL -> 1.0;
            case SOFTFAIL -> 0.5;
            default -> 0;
        };
        findings.add(new Finding("SPF_" + o.result().name(), category, score,
                identity + "=" + shorten(domain) + " ip=" + ip.get().getHostAddress() + ": " + o.detail()));
        return new DmarcEvaluator.Spf(o.result(), domain);
    }

    private static void dkimFindings(List<DkimVerifier.Outcome> signatures, List<Finding> findings) {
        if (signatures.isEmpty()) {
            findings.add(new Finding("DKIM_NONE", Category.INFO, 0, "no DKIM-Signature"));
            return;
        }
        List<String> valid = new ArrayList<>();
        List<String> invalid = new ArrayList<>();
        List<String> temporary = new ArrayList<>();
        for (DkimVerifier.Outcome o : signatures) {
            String who = "d=" + shorten(o.domain()) + " s=" + shorten(o.selector());
            switch (o.status()) {
                case VALID -> valid.add(who);
                case INVALID -> invalid.add(who + ": " + o.reason());
                case TEMPERROR -> temporary.add(who + ": " + o.reason());
            }
        }
        if (!valid.isEmpty()) {
            findings.add(new Finding("DKIM_VALID", Category.INFO, 0, String.join("; ", valid)));
            return;
        }
        if (!invalid.isEmpty()) {
            findings.add(new Finding("DKIM_INVALID", Category.SPAM, 1.0, String.join("; ", invalid)));
        }
        if (!temporary.isEmpty()) {
            findings.add(new Finding("DKIM_TEMPERROR", Category.INFO, 0, String.join("; ", temporary)));
        }
    }

    private static void dmarcFindings(DmarcEvaluator.Outcome o, List<Finding> findings) {
        String detail = shorten(o.domain()) + ": " + o.detail();
        switch (o.result()) {
            case PASS -> findings.add(new Finding("DMARC_PASS", Category.INFO, 0, detail));
            case NONE -> findings.add(new Finding("DMARC_NONE", Category.INFO, 0, detail));
            case TEMPERROR -> findings.add(new Finding("DMARC_TEMPERROR", Category.INFO, 0, detail));
            case FAIL -> {
                findings.add(new Finding("DMARC_FAIL", Category.SPAM, 1.0, detail));
                String policy = shorten(o.domain()) + ": policy of " + o.recordDomain();
                switch (o.policy()) {
                    case REJECT -> findings.add(new Finding("DMARC_REJECT", Category.SPAM, 2.0, policy));
                    case QUARANTINE -> findings.add(new Finding("DMARC_QUARANTINE", Category.SPAM, 1.5, policy));
                    case NONE -> findings.add(new Finding("DMARC_NONE_POLICY", Category.INFO, 0, policy));
                }
            }
        }
    }

    /** The distinct domains of the mailboxes in the From field(s), at most {@link #MAX_FROM_DOMAINS}. */
    static Set<String> fromDomains(MailHeaders message) {
        Set<String> domains = new LinkedHashSet<>();
        for (MailHeaders.Field f : message.all("From")) {
            String value = f.value();
            if (value.length() > 4096) {
                value = value.substring(0, 4096);
            }
            AddressList list;
            try {
                list = LenientAddressParser.DEFAULT.parseAddressList(value);
            } catch (RuntimeException e) {
                continue;
            }
            for (Address a : list) {
                List<Mailbox> boxes = a instanceof Mailbox m ? List.of(m)
                        : a instanceof org.apache.james.mime4j.dom.address.Group g ? g.getMailboxes() : List.of();
                for (Mailbox m : boxes) {
                    String d = m.getDomain();
                    if (d != null && !d.isBlank() && SpfEvaluator.validDomain(d.strip()) != null
                            && domains.size() < MAX_FROM_DOMAINS) {
                        domains.add(d.strip().toLowerCase(Locale.ROOT));
                    }
                }
            }
        }
        return domains;
    }

    private static String shorten(String s) {
        return s == null ? "?" : s.length() > 100 ? s.substring(0, 100) + "..." : s;
    }
}

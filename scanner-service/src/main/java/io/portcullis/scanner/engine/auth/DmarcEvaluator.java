package io.portcullis.scanner.engine.auth;

import com.google.common.net.InternetDomainName;
import io.portcullis.mailauth.dkim.DkimVerifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntSupplier;
import org.xbill.DNS.Name;

/**
 * DMARC (RFC 7489) for one RFC5322.From domain: the {@code _dmarc} TXT record of the From domain, else of its
 * organizational domain (public suffix list: Guava's {@link InternetDomainName}; a name under no listed suffix takes
 * its last two labels), relaxed or strict alignment of SPF (the MAIL FROM domain, or HELO for the null sender) and
 * DKIM ({@code d=}), and the policy {@code p}/{@code sp} sampled by {@code pct} (a message outside the sample gets
 * the next milder policy). A DNS failure, or no aligned pass while an underlying check had a temporary error, is
 * TEMPERROR: never a pass, and not a failure either.
 */
public final class DmarcEvaluator {

    /** Evaluation result. */
    public enum Result { PASS, FAIL, NONE, TEMPERROR }

    /** The requested policy. */
    public enum Policy { NONE, QUARANTINE, REJECT }

    /**
     * @param result       the DMARC result
     * @param domain       the From domain
     * @param policy       the policy to apply (after pct sampling) for FAIL; the published one otherwise; null for
     *                     NONE and a TEMPERROR before any record was found
     * @param recordDomain where the record was found, or null
     * @param detail       why
     */
    public record Outcome(Result result, String domain, Policy policy, String recordDomain, String detail) {
    }

    /**
     * The SPF result as DMARC sees it.
     *
     * @param result the SPF result, or null when SPF was not evaluated
     * @param domain the domain SPF checked (MAIL FROM domain or HELO), or null
     */
    public record Spf(SpfEvaluator.Result result, String domain) {
    }

    record Record(Policy p, Policy sp, boolean strictDkim, boolean strictSpf, int pct) {
    }

    private final AuthDns dns;
    private final IntSupplier percent;

    /**
     * @param percent yields 0..99 for pct sampling (random in production)
     */
    public DmarcEvaluator(AuthDns dns, IntSupplier percent) {
        this.dns = dns;
        this.percent = percent;
    }

    public Outcome evaluate(String fromDomain, Spf spf, List<DkimVerifier.Outcome> dkim, long deadline)
            throws InterruptedException {
        String from = lower(fromDomain);
        String org = organizationalDomain(from);
        Found found = lookup(from, deadline);
        if (found.failure != null) {
            return new Outcome(Result.TEMPERROR, from, null, null, "_dmarc." + from + " lookup " + found.failure);
        }
        if (found.record == null && !org.equals(from)) {
            found = lookup(org, deadline);
            if (found.failure != null) {
                return new Outcome(Result.TEMPERROR, from, null, null, "_dmarc." + org + " lookup " + found.failure);
            }
        }
        if (found.record == null) {
            return new Outcome(Result.NONE, from, null, null, "no DMARC record");
        }
        Record r = found.record;
        boolean atOrg = !found.domain.equals(from);
        Policy policy = atOrg && r.sp() != null ? r.sp() : r.p();

        List<String> aligned = new ArrayList<>();
        boolean temporary = false;
        for (DkimVerifier.Outcome o : dkim) {
            if (o.status() == DkimVerifier.Status.VALID && o.domain() != null
                    && aligned(lower(o.domain()), from, r.strictDkim())) {
                aligned.add("dkim d=" + lower(o.domain()));
            }
            temporary |= o.status() == DkimVerifier.Status.TEMPERROR;
        }
        if (spf != null && spf.result() == SpfEvaluator.Result.PASS && spf.domain() != null
                && aligned(lower(spf.domain()), from, r.strictSpf())) {
            aligned.add("spf " + lower(spf.domain()));
        }
        temporary |= spf != null && spf.result() == SpfEvaluator.Result.TEMPERROR;
        String mode = "adkim=" + (r.strictDkim() ? "s" : "r") + " aspf=" + (r.strictSpf() ? "s" : "r");
        if (!aligned.isEmpty()) {
            return new Outcome(Result.PASS, from, policy, found.domain, "aligned " + String.join(", ", aligned)
                    + " (" + mode + ")");
        }
        if (temporary) {
            return new Outcome(Result.TEMPERROR, from, policy, found.domain,
                    "no aligned pass while SPF or DKIM had a temporary error (" + mode + ")");
        }
        Policy applied = policy;
        String sampled = "";
        if (r.pct() < 100 && percent.getAsInt() >= r.pct()) {
            applied = policy == Policy.REJECT ? Policy.QUARANTINE : Policy.NONE;
            sampled = ", outside pct=" + r.pct() + " sample";
        }
        return new Outcome(Result.FAIL, from, applied, found.domain, "no aligned SPF or DKIM pass (" + mode
                + ", p=" + lower(policy.name()) + sampled + ")");
    }

    private record Found(Record record, String domain, String failure) {
    }

    private Found lookup(String domain, long deadline) throws InterruptedException {
        Name name = AuthDns.name("_dmarc." + domain);
        if (name == null) {
            return new Found(null, domain, null);
        }
        AuthDns.Answer a = dns.query(name, AuthDns.TXT, deadline);
        if (a.failed()) {
            return new Found(null, domain, a.detail());
        }
        List<Record> records = new ArrayList<>();
        for (String txt : a.texts()) {
            Record r = parse(txt);
            if (r != null) {
                records.add(r);
            }
        }
        // RFC 7489 6.6.3: more than one record means none
        return new Found(records.size() == 1 ? records.get(0) : null, domain, null);
    }

    /** A DMARC record, or null when the text is none (must start with {@code v=DMARC1}). */
    static Record parse(String txt) {
        Map<String, String> tags = DkimVerifier.tags(txt);
        if (tags == null || tags.isEmpty() || !tags.keySet().iterator().next().equals("v")
                || !tags.get("v").equals("DMARC1")) {
            return null;
        }
        Policy p = policy(tags.get("p"));
        if (p == null) {
            p = Policy.NONE; // RFC 7489 6.6.3: an invalid or missing p= is treated as p=none
        }
        Policy sp = policy(tags.get("sp"));
        int pct = 100;
        String pctText = tags.get("pct");
        if (pctText != null && pctText.matches("\\d{1,3}") && Integer.parseInt(pctText) <= 100) {
            pct = Integer.parseInt(pctText);
        }
        return new Record(p, sp, "s".equalsIgnoreCase(tags.get("adkim")), "s".equalsIgnoreCase(tags.get("aspf")), pct);
    }

    private static Policy policy(String value) {
        if (value == null) {
            return null;
        }
        return switch (lower(value)) {
            case "none" -> Policy.NONE;
            case "quarantine" -> Policy.QUARANTINE;
            case "reject" -> Policy.REJECT;
            default -> null;
        };
    }

    static boolean aligned(String domain, String from, boolean strict) {
        String a = trimDot(domain);
        String b = trimDot(from);
        return strict ? a.equals(b) : organizationalDomain(a).equals(organizationalDomain(b));
    }

    /** The organizational domain: one label below the public suffix (RFC 7489 section 3.2). */
    public static String organizationalDomain(String domain) {
        String d = trimDot(lower(domain));
        try {
            InternetDomainName name = InternetDomainName.from(d);
            if (name.isUnderPublicSuffix()) {
                return name.topPrivateDomain().toString();
            }
            if (name.isPublicSuffix()) {
                return d;
            }
        } catch (IllegalArgumentException | IllegalStateException e) {
            // not a valid name for Guava: fall back to the default rule below
        }
        String[] labels = d.split("\\.");
        return labels.length <= 2 ? d : labels[labels.length - 2] + "." + labels[labels.length - 1];
    }

    private static String trimDot(String s) {
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    private static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}

package io.portcullis.quarantine.digest;

import io.portcullis.quarantine.config.ConfigCheck;
import io.portcullis.quarantine.config.QuarantineConfig;
import io.portcullis.quarantine.digest.LinkRefused.Reason;
import io.portcullis.quarantine.service.MessageIds;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs and verifies digest link tokens: {@code base64url(payload) "." base64url(HMAC-SHA256(key, domain || payload))}.
 * The payload is {@code 1 \n id \n itemId \n recipient \n action \n expiry-epoch-seconds}. A token that is malformed,
 * signed with another key or altered in any byte is refused as {@link Reason#INVALID}; an expired one as
 * {@link Reason#EXPIRED} (checked only after the signature, so expiry cannot be forged either).
 */
@ApplicationScoped
public class DigestLinkSigner {
    static final int MAX_TOKEN = 1024;
    private static final String DOMAIN = "portcullis-digest-link-v1\n";
    private static final Pattern TOKEN = Pattern.compile("^[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{43}$");
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    private final byte[] key;
    private final Clock clock;

    @Inject
    public DigestLinkSigner(QuarantineConfig config) {
        this(config.digest().key().orElse(null), Clock.systemUTC());
    }

    public DigestLinkSigner(String key, Clock clock) {
        this.key = key == null ? null : key.getBytes(StandardCharsets.UTF_8);
        if (this.key != null && key.length() < ConfigCheck.MIN_DIGEST_KEY) {
            throw new IllegalArgumentException("digest link key shorter than " + ConfigCheck.MIN_DIGEST_KEY);
        }
        this.clock = clock;
    }

    /** Whether links can be made and checked at all (a key is configured). */
    public boolean configured() {
        return key != null;
    }

    public String sign(DigestLink link) {
        requireKey();
        if (!MessageIds.isValidItemId(link.itemId()) || !plausible(link.recipient())) {
            throw new IllegalArgumentException("item id or recipient not signable");
        }
        String payload = String.join("\n", "1", link.id().toString(), link.itemId(), link.recipient(),
                link.action().code(), Long.toString(link.expiresAt().getEpochSecond()));
        String encoded = B64.encodeToString(payload.getBytes(StandardCharsets.UTF_8));
        return encoded + "." + B64.encodeToString(mac(encoded));
    }

    /** @throws LinkRefused INVALID or EXPIRED */
    public DigestLink verify(String token) {
        requireKey();
        if (token == null || token.length() > MAX_TOKEN || !TOKEN.matcher(token).matches()) {
            throw invalid();
        }
        int dot = token.indexOf('.');
        String encoded = token.substring(0, dot);
        byte[] signature;
        try {
            signature = B64D.decode(token.substring(dot + 1));
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
        if (!MessageDigest.isEqual(mac(encoded), signature)) {
            throw invalid();
        }
        String[] fields;
        try {
            fields = new String(B64D.decode(encoded), StandardCharsets.UTF_8).split("\n", -1);
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
        if (fields.length != 6 || !"1".equals(fields[0])) {
            throw invalid();
        }
        DigestLink link;
        try {
            link = new DigestLink(UUID.fromString(fields[1]), fields[2], fields[3],
                    DigestAction.ofCode(fields[4]).orElseThrow(DigestLinkSigner::invalid),
                    Instant.ofEpochSecond(Long.parseLong(fields[5])));
        } catch (IllegalArgumentException e) { // UUID and number format
            throw invalid();
        }
        if (!MessageIds.isValidItemId(link.itemId()) || !plausible(link.recipient())) {
            throw invalid();
        }
        if (!clock.instant().isBefore(link.expiresAt())) {
            throw new LinkRefused(Reason.EXPIRED, "This link has expired. Sign in to the quarantine to act on the message.");
        }
        return link;
    }

    private static boolean plausible(String recipient) {
        return recipient != null && !recipient.isEmpty() && recipient.length() <= 320 && recipient.indexOf('@') > 0
                && recipient.chars().noneMatch(c -> c <= 0x20 || c == 0x7f);
    }

    private static LinkRefused invalid() {
        return new LinkRefused(Reason.INVALID, "This link is not valid. It may have been altered or copied incompletely.");
    }

    private void requireKey() {
        if (key == null) {
            throw new LinkRefused(Reason.UNAVAILABLE, "digest links are not configured (no PORTCULLIS_DIGEST_KEY)");
        }
    }

    private byte[] mac(String encodedPayload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update(DOMAIN.getBytes(StandardCharsets.UTF_8));
            return mac.doFinal(encodedPayload.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}

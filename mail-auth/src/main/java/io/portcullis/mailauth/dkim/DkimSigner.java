package io.portcullis.mailauth.dkim;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * DKIM signing (RFC 6376): rsa-sha256 or ed25519-sha256 (RFC 8463) by the key's type, relaxed/relaxed
 * canonicalization ({@link DkimCanonicalization}, {@link DkimBodyHash}), the fields of {@link #SIGNED_FIELDS} that
 * are present, From over-signed (listed once more than it occurs, so a From added later breaks the signature),
 * {@code t=}.
 *
 * <p>The key is chosen by the domain of the message's single From address, or the closest parent domain with a key.
 * The edge streams the message (header fields, then the body through {@link DkimBodyHash#relaxedAsSent()}) and calls
 * {@link #signature}; {@link #sign(byte[])} does the same for a message in memory.
 */
public final class DkimSigner {

    /** Header fields signed when present, in this order. */
    public static final List<String> SIGNED_FIELDS = List.of("from", "sender", "reply-to", "to", "cc", "subject", "date",
            "message-id", "in-reply-to", "references", "mime-version", "content-type", "content-transfer-encoding",
            "list-id", "list-unsubscribe", "list-unsubscribe-post");
    private static final int FOLD = 76;

    private final Map<String, DkimKey> keys;
    private final Clock clock;

    public DkimSigner(List<DkimKey> keys, Clock clock) {
        Map<String, DkimKey> byDomain = new HashMap<>();
        for (DkimKey k : keys) {
            if (byDomain.put(k.domain(), k) != null) {
                throw new IllegalArgumentException("two keys for " + k.domain());
            }
        }
        this.keys = Map.copyOf(byDomain);
        this.clock = clock;
    }

    /**
     * A signer of keys given as {@code domain:selector:/path/key.pem} entries (blank ones skipped); every key is
     * read and made to sign once now, so that a key that cannot sign fails start-up, not the first message.
     *
     * @throws IllegalArgumentException naming the entry whose key is unusable
     */
    public static DkimSigner fromEntries(List<String> entries, Clock clock) {
        List<DkimKey> keys = new ArrayList<>();
        for (String entry : entries) {
            if (!entry.isBlank()) {
                keys.add(DkimKey.parse(entry));
            }
        }
        DkimSigner signer = new DkimSigner(keys, clock);
        for (DkimKey k : keys) {
            signer.signature(k, List.of(), "x".getBytes(StandardCharsets.US_ASCII));
        }
        return signer;
    }

    /** The keys, one per domain. */
    public List<DkimKey> keys() {
        return List.copyOf(keys.values());
    }

    public boolean enabled() {
        return !keys.isEmpty();
    }

    /** The key for a From domain: the domain's own, else the closest parent's. */
    public Optional<DkimKey> keyFor(String domain) {
        String d = domain.toLowerCase(Locale.ROOT);
        while (true) {
            DkimKey k = keys.get(d);
            if (k != null) {
                return Optional.of(k);
            }
            int dot = d.indexOf('.');
            if (dot < 0) {
                return Optional.empty();
            }
            d = d.substring(dot + 1);
        }
    }

    /**
     * The key for a message's header fields: by the domain of its single From address; empty when there is no From,
     * more than one, or no key for its domain.
     */
    public Optional<DkimKey> keyFor(List<String> fields) {
        List<String> froms = fields.stream().filter(f -> DkimCanonicalization.named(f, "from")).toList();
        if (froms.size() != 1) {
            return Optional.empty();
        }
        String domain = fromDomain(froms.get(0));
        return domain == null ? Optional.empty() : keyFor(domain);
    }

    /**
     * A message in memory, signed when a key matches its From domain, else the same bytes. Line ends as the edge
     * relay sends them: a bare CR or LF counts as CRLF.
     */
    public byte[] sign(byte[] message) {
        Optional<DkimKey> key = keyFor(fields(Arrays.copyOfRange(message, 0, headerEnd(message))));
        return key.isEmpty() ? message : sign(message, key.get());
    }

    /** A message in memory signed with the given key, whatever its From (third-party signatures in tests). */
    public byte[] sign(byte[] message, DkimKey key) {
        return sign(message, key, null);
    }

    /**
     * A message in memory signed with the given key and {@code h=} list, as given (no over-signing): for tests that
     * need a signature a later field does not break.
     *
     * @param signedNames the {@code h=} names, or null for {@link #SIGNED_FIELDS} present and From over-signed
     */
    public byte[] sign(byte[] message, DkimKey key, List<String> signedNames) {
        int split = headerEnd(message);
        List<String> fields = fields(Arrays.copyOfRange(message, 0, split));
        DkimBodyHash body = DkimBodyHash.relaxedAsSent();
        int skip = split < message.length && message[split] == '\n' ? 1
                : split + 1 < message.length && message[split] == '\r' && message[split + 1] == '\n' ? 2
                : split < message.length && message[split] == '\r' ? 1 : 0;
        body.update(message, split + skip, message.length - split - skip);
        byte[] digest = body.digest();
        byte[] field = signedNames == null ? signature(key, fields, digest) : signature(key, fields, digest, signedNames);
        byte[] out = Arrays.copyOf(field, field.length + message.length);
        System.arraycopy(message, 0, out, field.length, message.length);
        return out;
    }

    /** Where the empty line after the header starts (the header keeps its last line end); the length if none. */
    private static int headerEnd(byte[] m) {
        int lineStart = 0;
        for (int i = 0; i < m.length; i++) {
            if (m[i] == '\r' || m[i] == '\n') {
                if (i == lineStart) {
                    return i;
                }
                if (m[i] == '\r' && i + 1 < m.length && m[i + 1] == '\n') {
                    i++;
                }
                lineStart = i + 1;
            }
        }
        return m.length;
    }

    /** The DKIM-Signature field, CRLF-terminated, over the given header fields and body hash. */
    public byte[] signature(DkimKey key, List<String> fields, byte[] bodyHash) {
        List<String> names = new ArrayList<>();
        for (String name : SIGNED_FIELDS) {
            long count = fields.stream().filter(f -> DkimCanonicalization.named(f, name)).count();
            for (long i = 0; i < count; i++) {
                names.add(name);
            }
        }
        names.add("from"); // over-signed: one more than there are
        return signature(key, fields, bodyHash, names);
    }

    /** The DKIM-Signature field, CRLF-terminated, signing the fields named in {@code names} ({@code h=}). */
    public byte[] signature(DkimKey key, List<String> fields, byte[] bodyHash, List<String> names) {
        StringBuilder f = new StringBuilder("DKIM-Signature: v=1; a=").append(key.algorithm().tag())
                .append("; c=relaxed/relaxed; d=").append(key.domain()).append("; s=").append(key.selector())
                .append(";\r\n\tt=").append(clock.instant().getEpochSecond()).append("; h=");
        int line = "\tt=0000000000; h=".length();
        for (int i = 0; i < names.size(); i++) {
            String piece = (i == 0 ? "" : ":") + names.get(i);
            if (line + piece.length() > FOLD) {
                f.append("\r\n\t");
                line = 1;
            }
            f.append(piece);
            line += piece.length();
        }
        f.append(";\r\n\tbh=").append(Base64.getEncoder().encodeToString(bodyHash)).append(";\r\n\tb=");
        String unsigned = f.toString();

        byte[] input = DkimCanonicalization.headerData(fields, names, unsigned, true);
        String b;
        try {
            Signature signer;
            if (key.algorithm() == DkimKey.Algorithm.ED25519_SHA256) {
                signer = Signature.getInstance("Ed25519");
                signer.initSign(key.key());
                signer.update(MessageDigest.getInstance("SHA-256").digest(input));
            } else {
                signer = Signature.getInstance("SHA256withRSA");
                signer.initSign(key.key());
                signer.update(input);
            }
            b = Base64.getEncoder().encodeToString(signer.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("DKIM key " + key.domain() + ":" + key.selector() + " cannot sign: " + e, e);
        }
        StringBuilder out = new StringBuilder(unsigned);
        for (int i = 0; i < b.length(); i += 64) {
            if (i > 0) {
                out.append("\r\n\t");
            }
            out.append(b, i, Math.min(b.length(), i + 64));
        }
        out.append("\r\n");
        return out.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * The header fields of a header block, each with its folding as CRLF (bare CR or LF become CRLF, as on the
     * wire), without the final line end.
     */
    public static List<String> fields(byte[] header) {
        String text = new String(header, StandardCharsets.ISO_8859_1).replace("\r\n", "\n").replace('\r', '\n');
        List<String> fields = new ArrayList<>();
        StringBuilder current = null;
        for (String line : text.split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            if ((line.charAt(0) == ' ' || line.charAt(0) == '\t') && current != null) {
                current.append("\r\n").append(line);
            } else {
                if (current != null) {
                    fields.add(current.toString());
                }
                current = new StringBuilder(line);
            }
        }
        if (current != null) {
            fields.add(current.toString());
        }
        return fields;
    }

    /** The domain of the From field's (single) address, lower case; null when there is none. */
    public static String fromDomain(String fromField) {
        String value = fromField.substring(fromField.indexOf(':') + 1).replace("\r\n", "");
        int open = value.lastIndexOf('<');
        int close = value.lastIndexOf('>');
        String address = open >= 0 && close > open ? value.substring(open + 1, close) : value;
        address = address.replaceAll("\\([^)]*\\)", "").strip();
        int at = address.lastIndexOf('@');
        if (at < 0) {
            return null;
        }
        String domain = address.substring(at + 1).strip().toLowerCase(Locale.ROOT);
        return DomainNames.valid(domain) ? domain : null;
    }

    /** The key record a domain publishes at {@code selector._domainkey.domain} for a public key (RFC 6376 3.6.1). */
    public static String keyRecord(PublicKey key) {
        byte[] spki = key.getEncoded();
        if (key.getAlgorithm().equals("RSA")) {
            return "v=DKIM1; k=rsa; p=" + Base64.getEncoder().encodeToString(spki);
        }
        return "v=DKIM1; k=ed25519; p=" + Base64.getEncoder().encodeToString(Arrays.copyOfRange(spki, 12, 44));
    }
}

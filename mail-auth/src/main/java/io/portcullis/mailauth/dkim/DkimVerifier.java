package io.portcullis.mailauth.dkim;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * DKIM verification (RFC 6376) of every DKIM-Signature field of a message, up to a limit: rsa-sha256 (keys of 1024
 * bits and more, RFC 8301) and ed25519-sha256 (RFC 8463); simple and relaxed canonicalization of header and body;
 * {@code l=} (a length beyond the canonical body is invalid), {@code x=} expiry, {@code i=} within {@code d=}, key
 * record flags {@code t=s}, {@code h=}, {@code s=}, {@code k=} and revoked keys. rsa-sha1 is not accepted (RFC 8301).
 * A key lookup that times out or fails is TEMPERROR, never valid. Key records come from a {@link DkimKeyLookup}
 * (DNS in the scanner, a map in tests).
 */
public final class DkimVerifier {

    /** How one signature ended. */
    public enum Status { VALID, INVALID, TEMPERROR }

    /**
     * @param status   how it ended
     * @param domain   {@code d=} (may be null when the field could not be parsed)
     * @param selector {@code s=} (may be null)
     * @param reason   why it is not valid; null when valid
     */
    public record Outcome(Status status, String domain, String selector, String reason) {
    }

    /** Longest DKIM-Signature field considered (a real one is well under 4 KiB). */
    static final int MAX_FIELD_CHARS = 16384;
    /** Names in one h= list (real signers list a few dozen at most). */
    static final int MAX_SIGNED_FIELDS = 128;
    private static final byte[] ED25519_SPKI_PREFIX = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03,
        0x21, 0x00};

    private final DkimKeyLookup keys;
    private final int maxSignatures;

    public DkimVerifier(DkimKeyLookup keys, int maxSignatures) {
        this.keys = keys;
        this.maxSignatures = maxSignatures;
    }

    /** A body's hash under one canonicalization and limit, and the length of the whole canonical body. */
    private record BodyHash(byte[] sha256, long canonicalLength) {
    }

    /** Thrown inside the check of one signature. */
    private static final class Invalid extends Exception {
        final Status status;

        Invalid(Status status, String message) {
            super(message, null, false, false);
            this.status = status;
        }

        Invalid(String message) {
            this(Status.INVALID, message);
        }
    }

    /** Results in the order of the fields (top first); empty when the message has no DKIM-Signature. */
    public List<Outcome> verify(MailHeaders message, long nowEpochSeconds, long deadline)
            throws InterruptedException {
        List<MailHeaders.Field> signatures = message.all("DKIM-Signature");
        List<Outcome> out = new ArrayList<>();
        Map<String, BodyHash> bodyHashes = new HashMap<>();
        for (MailHeaders.Field f : signatures.subList(0, Math.min(maxSignatures, signatures.size()))) {
            Map<String, String> tags = null;
            try {
                if (f.raw().length() > MAX_FIELD_CHARS) {
                    throw new Invalid("DKIM-Signature longer than " + MAX_FIELD_CHARS + " characters");
                }
                tags = tags(f.value());
                if (tags == null) {
                    throw new Invalid("malformed tag list");
                }
                verifyOne(message, f, tags, nowEpochSeconds, deadline, bodyHashes);
                out.add(new Outcome(Status.VALID, tags.get("d"), tags.get("s"), null));
            } catch (Invalid e) {
                out.add(new Outcome(e.status, tag(tags, "d"), tag(tags, "s"), e.getMessage()));
            } catch (RuntimeException e) {
                out.add(new Outcome(Status.INVALID, tag(tags, "d"), tag(tags, "s"),
                        "unverifiable: " + e.getClass().getSimpleName()));
            }
        }
        return out;
    }

    private static String tag(Map<String, String> tags, String name) {
        if (tags == null) {
            return null;
        }
        String v = tags.get(name);
        return v == null || v.length() > 253 ? null : v;
    }

    private void verifyOne(MailHeaders message, MailHeaders.Field field, Map<String, String> t, long now,
            long deadline, Map<String, BodyHash> bodyHashes) throws Invalid, InterruptedException {
        for (String required : List.of("v", "a", "b", "bh", "d", "h", "s")) {
            if (!t.containsKey(required) || t.get(required).isEmpty() && !required.equals("b")) {
                throw new Invalid("missing " + required + "=");
            }
        }
        if (!t.get("v").equals("1")) {
            throw new Invalid("unknown version v=" + shorten(t.get("v")));
        }
        String algorithm = lower(t.get("a"));
        boolean ed25519 = switch (algorithm) {
            case "rsa-sha256" -> false;
            case "ed25519-sha256" -> true;
            case "rsa-sha1" -> throw new Invalid("rsa-sha1 is not accepted (RFC 8301)");
            default -> throw new Invalid("unknown algorithm " + shorten(algorithm));
        };
        String[] canon = lower(t.getOrDefault("c", "simple/simple")).split("/", -1);
        if (canon.length > 2 || !isCanon(canon[0]) || canon.length == 2 && !isCanon(canon[1])) {
            throw new Invalid("unknown canonicalization " + shorten(t.get("c")));
        }
        boolean relaxedHeader = canon[0].equals("relaxed");
        boolean relaxedBody = canon.length == 2 && canon[1].equals("relaxed");
        if (t.containsKey("q") && !lower(t.get("q")).contains("dns/txt")) {
            throw new Invalid("unknown query method " + shorten(t.get("q")));
        }
        String d = lower(t.get("d"));
        String selector = lower(t.get("s"));
        List<String> signed = new ArrayList<>();
        for (String h : t.get("h").split(":", -1)) {
            String name = h.strip();
            if (name.isEmpty()) {
                throw new Invalid("empty name in h=");
            }
            signed.add(name);
        }
        if (signed.size() > MAX_SIGNED_FIELDS) {
            throw new Invalid("more than " + MAX_SIGNED_FIELDS + " names in h=");
        }
        if (signed.stream().noneMatch(h -> h.equalsIgnoreCase("from"))) {
            throw new Invalid("From is not signed");
        }
        String identity = t.get("i");
        String identityDomain = null;
        if (identity != null) {
            int at = identity.lastIndexOf('@');
            identityDomain = at < 0 ? null : lower(identity.substring(at + 1));
            if (identityDomain == null || !(identityDomain.equals(d) || identityDomain.endsWith("." + d))) {
                throw new Invalid("i= is not within d=");
            }
        }
        Long length = number(t, "l");
        Long signedAt = number(t, "t");
        Long expires = number(t, "x");
        if (expires != null) {
            if (signedAt != null && expires < signedAt) {
                throw new Invalid("x= before t=");
            }
            if (expires < now) {
                throw new Invalid("signature expired");
            }
        }
        byte[] b = base64(t.get("b"), "b=");
        byte[] bh = base64(t.get("bh"), "bh=");
        if (b.length == 0 || bh.length != 32) {
            throw new Invalid(b.length == 0 ? "empty b=" : "bh= is not a SHA-256 hash");
        }
        String keyName = DomainNames.keyName(selector, d);
        if (keyName == null) {
            throw new Invalid("bad d= or s=");
        }

        // body: canonicalize once per (canonicalization, length) for all signatures of the message
        String key = relaxedBody + "/" + length;
        BodyHash bodyHash = bodyHashes.get(key);
        if (bodyHash == null) {
            DkimBodyHash h = DkimBodyHash.of(relaxedBody, length);
            byte[] body = message.body().getBytes(StandardCharsets.ISO_8859_1);
            h.update(body, 0, body.length);
            bodyHash = new BodyHash(h.digest(), h.length());
            bodyHashes.put(key, bodyHash);
        }
        if (length != null && length > bodyHash.canonicalLength()) {
            throw new Invalid("l= beyond the body");
        }
        if (!MessageDigest.isEqual(bodyHash.sha256(), bh)) {
            throw new Invalid("body hash mismatch");
        }

        // key record
        DkimKeyLookup.Answer answer = keys.txt(keyName, deadline);
        if (answer.failed()) {
            throw new Invalid(Status.TEMPERROR, "key lookup " + answer.failure());
        }
        Map<String, String> record = null;
        for (String txt : answer.texts()) {
            Map<String, String> parsed = tags(txt);
            if (parsed != null && (!parsed.containsKey("v") || parsed.get("v").equals("DKIM1"))) {
                record = parsed;
                break;
            }
        }
        if (record == null) {
            throw new Invalid("no key record at " + keyName + ".");
        }
        String k = lower(record.getOrDefault("k", "rsa"));
        if (!k.equals(ed25519 ? "ed25519" : "rsa")) {
            throw new Invalid("key type k=" + shorten(k) + " does not match a=" + algorithm);
        }
        if (record.containsKey("h") && !List.of(lower(record.get("h")).split(":")).stream().map(String::strip)
                .toList().contains("sha256")) {
            throw new Invalid("key does not allow sha256");
        }
        if (record.containsKey("s")) {
            List<String> services = List.of(lower(record.get("s")).split(":")).stream().map(String::strip).toList();
            if (!services.contains("*") && !services.contains("email")) {
                throw new Invalid("key is not for email");
            }
        }
        if (record.containsKey("t") && List.of(lower(record.get("t")).split(":")).stream().map(String::strip)
                .toList().contains("s") && identityDomain != null && !identityDomain.equals(d)) {
            throw new Invalid("key requires i= to equal d= (t=s)");
        }
        String p = record.get("p");
        if (p == null) {
            throw new Invalid("key record without p=");
        }
        if (p.isEmpty()) {
            throw new Invalid("key revoked");
        }
        PublicKey publicKey = publicKey(base64(p, "p="), ed25519);

        // headers: each name in h= takes the last unused field of that name; then this field without b=
        byte[] data = headerData(message, field, signed, relaxedHeader);
        try {
            Signature verifier;
            if (ed25519) {
                verifier = Signature.getInstance("Ed25519");
                verifier.initVerify(publicKey);
                verifier.update(sha256(data));
            } else {
                verifier = Signature.getInstance("SHA256withRSA");
                verifier.initVerify(publicKey);
                verifier.update(data);
            }
            if (!verifier.verify(b)) {
                throw new Invalid("signature does not verify");
            }
        } catch (GeneralSecurityException e) {
            throw new Invalid("signature does not verify (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static boolean isCanon(String c) {
        return c.equals("simple") || c.equals("relaxed");
    }

    private static Long number(Map<String, String> t, String tag) throws Invalid {
        String v = t.get(tag);
        if (v == null) {
            return null;
        }
        if (!v.matches("\\d{1,18}")) {
            throw new Invalid("bad " + tag + "=");
        }
        return Long.parseLong(v);
    }

    private static byte[] base64(String value, String what) throws Invalid {
        String compact = value.replaceAll("[ \t\r\n]", "");
        try {
            return Base64.getDecoder().decode(compact);
        } catch (IllegalArgumentException e) {
            throw new Invalid(what + " is not base64");
        }
    }

    private static PublicKey publicKey(byte[] p, boolean ed25519) throws Invalid {
        try {
            if (ed25519) {
                if (p.length != 32) {
                    throw new Invalid("bad ed25519 key");
                }
                byte[] spki = new byte[ED25519_SPKI_PREFIX.length + 32];
                System.arraycopy(ED25519_SPKI_PREFIX, 0, spki, 0, ED25519_SPKI_PREFIX.length);
                System.arraycopy(p, 0, spki, ED25519_SPKI_PREFIX.length, 32);
                return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
            }
            PublicKey key = KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(p));
            if (((RSAPublicKey) key).getModulus().bitLength() < 1024) {
                throw new Invalid("RSA key shorter than 1024 bits");
            }
            return key;
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new Invalid("bad key in p=");
        }
    }

    static byte[] headerData(MailHeaders message, MailHeaders.Field signature, List<String> signed,
            boolean relaxed) {
        return DkimCanonicalization.headerData(message.fields().stream().map(MailHeaders.Field::raw).toList(),
                signed, DkimCanonicalization.withoutSignature(signature.raw()), relaxed);
    }

    /**
     * A DKIM tag list (RFC 6376 section 3.2): names and values with surrounding whitespace removed; null when
     * malformed (no '=', a bad name, a repeated tag).
     */
    public static Map<String, String> tags(String list) {
        Map<String, String> tags = new LinkedHashMap<>();
        String[] parts = list.replace("\r\n", "").split(";", -1);
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            if (part.isBlank()) {
                if (i == parts.length - 1) {
                    break; // a trailing ';' is allowed
                }
                return null;
            }
            int eq = part.indexOf('=');
            if (eq < 0) {
                return null;
            }
            String name = part.substring(0, eq).strip();
            if (!name.matches("[A-Za-z][A-Za-z0-9_]*") || tags.containsKey(name)) {
                return null;
            }
            tags.put(name, part.substring(eq + 1).strip());
        }
        return tags;
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }

    private static String shorten(String s) {
        return s == null ? "" : s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}

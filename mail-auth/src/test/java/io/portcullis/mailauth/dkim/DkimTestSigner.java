package io.portcullis.mailauth.dkim;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * Signs test mail with DKIM (RFC 6376) and makes the key records to publish in a DNS (or a {@link DkimKeyLookup} map). Written
 * apart from the verifier (own canonicalization) so that the two do not share mistakes; the RFC 8463 vector in
 * DkimVerifierTest checks the verifier against mail signed elsewhere.
 */
public final class DkimTestSigner {
    private DkimTestSigner() {
    }

    public static KeyPair rsa(int bits) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(bits);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static KeyPair ed25519() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The TXT character-strings of the key record ({@code v=DKIM1; k=...; p=...} cut into 255-char strings). */
    public static String[] record(PublicKey key, String extraTags) {
        boolean ed = key.getAlgorithm().equals("Ed25519") || key.getAlgorithm().equals("EdDSA");
        byte[] encoded = key.getEncoded();
        byte[] p = ed ? Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length) : encoded;
        String text = "v=DKIM1; k=" + (ed ? "ed25519" : "rsa") + "; " + extraTags + "p="
                + Base64.getEncoder().encodeToString(p);
        List<String> chunks = new ArrayList<>();
        for (int i = 0; i < text.length(); i += 255) {
            chunks.add(text.substring(i, Math.min(text.length(), i + 255)));
        }
        return chunks.toArray(String[]::new);
    }

    /**
     * Prepends a DKIM-Signature to {@code message} (CRLF line ends).
     *
     * @param canon     e.g. {@code relaxed/relaxed}
     * @param headers   the h= list, e.g. {@code from:to:subject}
     * @param extraTags more tags, each ending in {@code "; "} (e.g. {@code "l=10; "}), or ""
     */
    public static String sign(String message, PrivateKey key, String domain, String selector, String canon,
            String headers, String extraTags) {
        boolean ed = key.getAlgorithm().equals("Ed25519") || key.getAlgorithm().equals("EdDSA");
        int split = message.indexOf("\r\n\r\n");
        String head = split < 0 ? message : message.substring(0, split + 2);
        String body = split < 0 ? "" : message.substring(split + 4);
        boolean relaxedHeaders = canon.startsWith("relaxed");
        boolean relaxedBody = canon.endsWith("/relaxed");
        String canonicalBody = relaxedBody ? relaxedBody(body) : simpleBody(body);
        String lengthPattern = "(.*; )?l=(\\d+); .*";
        Integer l = extraTags.matches(lengthPattern) ? Integer.valueOf(extraTags.replaceAll(lengthPattern, "$2")) : null;
        String hashed = l == null ? canonicalBody : canonicalBody.substring(0, Math.min(l, canonicalBody.length()));
        String bh = Base64.getEncoder().encodeToString(sha256(hashed.getBytes(StandardCharsets.ISO_8859_1)));
        String tags = "v=1; a=" + (ed ? "ed25519-sha256" : "rsa-sha256") + "; c=" + canon + "; d=" + domain
                + "; s=" + selector + "; " + extraTags + "h=" + headers + "; bh=" + bh + "; b=";
        List<String> fields = fields(head);
        StringBuilder data = new StringBuilder();
        List<Integer> used = new ArrayList<>();
        for (String name : headers.split(":")) {
            for (int i = fields.size() - 1; i >= 0; i--) {
                String f = fields.get(i);
                if (!used.contains(i) && f.substring(0, f.indexOf(':')).strip().equalsIgnoreCase(name.strip())) {
                    used.add(i);
                    data.append(relaxedHeaders ? relaxedHeader(f) : f).append("\r\n");
                    break;
                }
            }
        }
        String own = "DKIM-Signature: " + tags;
        data.append(relaxedHeaders ? relaxedHeader(own) : own);
        try {
            byte[] bytes = data.toString().getBytes(StandardCharsets.ISO_8859_1);
            Signature s = Signature.getInstance(ed ? "Ed25519" : "SHA256withRSA");
            s.initSign(key);
            s.update(ed ? sha256(bytes) : bytes);
            return own + Base64.getEncoder().encodeToString(s.sign()) + "\r\n" + message;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> fields(String head) {
        List<String> out = new ArrayList<>();
        for (String line : head.split("\r\n")) {
            if (line.isEmpty()) {
                continue;
            }
            if ((line.startsWith(" ") || line.startsWith("\t")) && !out.isEmpty()) {
                out.set(out.size() - 1, out.get(out.size() - 1) + "\r\n" + line);
            } else {
                out.add(line);
            }
        }
        return out;
    }

    private static String relaxedHeader(String field) {
        int colon = field.indexOf(':');
        String name = field.substring(0, colon).trim().toLowerCase(Locale.ROOT);
        String value = field.substring(colon + 1).replaceAll("\r\n", "").replaceAll("[ \t]+", " ").trim();
        return name + ":" + value;
    }

    private static String simpleBody(String body) {
        String b = body.replaceAll("(\r\n)+$", "");
        return b + "\r\n";
    }

    private static String relaxedBody(String body) {
        StringBuilder b = new StringBuilder();
        for (String line : body.split("\r\n", -1)) {
            b.append(line.replaceAll("[ \t]+", " ").replaceAll(" +$", "")).append("\r\n");
        }
        String r = b.toString().replaceAll("(\r\n)+$", "");
        return r.isEmpty() ? "" : r + "\r\n";
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}

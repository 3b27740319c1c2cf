package io.portcullis.edge.delivery;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.Signature;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Outbound DKIM signing (RFC 6376) of the bytes delivery actually sends: rsa-sha256 or ed25519-sha256 (RFC 8463)
 * by the key's type, relaxed/relaxed canonicalization, the fields of {@link #SIGNED_FIELDS} that are present, From
 * over-signed (listed once more than it occurs, so a From added later breaks the signature), {@code t=}.
 *
 * <p>The key is chosen by the domain of the message's single From address, or the closest parent domain with a key
 * ({@code portcullis.delivery.dkim-keys}). The message is read twice and never held whole: once to hash the header
 * and stream the body through {@link DkimBodyHash}, once to send it behind the new DKIM-Signature field; the two
 * reads must give the same bytes (delivery builds the outgoing message deterministically from the stored body).
 * A message without a From, with several, or with a header block larger than {@value #MAX_HEADER_BYTES} bytes goes
 * unsigned, with a log line.
 */
public final class DkimSigner {

    /** Opens the outgoing message afresh; called once or twice per signing. */
    @FunctionalInterface
    public interface MessageSource {
        OutgoingMessage open() throws IOException;
    }

    /** Header fields signed when present, in this order. */
    static final List<String> SIGNED_FIELDS = List.of("from", "sender", "reply-to", "to", "cc", "subject", "date",
            "message-id", "in-reply-to", "references", "mime-version", "content-type", "content-transfer-encoding",
            "list-id", "list-unsubscribe", "list-unsubscribe-post");
    static final int MAX_HEADER_BYTES = 1024 * 1024;
    private static final int FOLD = 76;

    private static final Logger LOG = Logger.getLogger(DkimSigner.class);

    private final Map<String, DkimKey> keys;
    private final Clock clock;

    public DkimSigner(List<DkimKey> keys, Clock clock) {
        Map<String, DkimKey> byDomain = new HashMap<>();
        for (DkimKey k : keys) {
            if (byDomain.put(k.domain(), k) != null) {
                throw new IllegalArgumentException("portcullis.delivery.dkim-keys: two keys for " + k.domain());
            }
        }
        this.keys = Map.copyOf(byDomain);
        this.clock = clock;
    }

    /**
     * The signer of {@code portcullis.delivery.dkim-keys}; every key is read and checked now.
     *
     * @throws IllegalArgumentException naming the entry whose key is unusable
     */
    public static DkimSigner fromConfig(Optional<List<String>> entries) {
        List<DkimKey> keys = new ArrayList<>();
        for (String entry : entries.orElse(List.of())) {
            if (entry.isBlank()) {
                continue;
            }
            try {
                keys.add(DkimKey.parse(entry));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("portcullis.delivery.dkim-keys: " + e.getMessage(), e);
            }
        }
        DkimSigner signer = new DkimSigner(keys, Clock.systemUTC());
        for (DkimKey k : keys) {
            // a key that cannot sign fails start-up, not the first message
            signer.signature(k, List.of(), "x".getBytes(StandardCharsets.US_ASCII));
            LOG.infof("DKIM signing for %s with selector %s (%s)", k.domain(), k.selector(), k.algorithm().tag);
        }
        return signer;
    }

    public boolean enabled() {
        return !keys.isEmpty();
    }

    /** The key for a From domain: the domain's own, else the closest parent's. */
    Optional<DkimKey> keyFor(String domain) {
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
     * The message to send: signed when a key matches its From domain, else the same bytes unsigned.
     *
     * @param queueId for log lines
     */
    public OutgoingMessage sign(MessageSource source, String queueId) throws IOException {
        OutgoingMessage first = source.open();
        HeaderBlock block = HeaderBlock.read(first.stream(), MAX_HEADER_BYTES);
        if (keys.isEmpty() || !block.complete()) {
            if (!keys.isEmpty()) {
                LOG.warnf("message %s: header block larger than %d bytes, not DKIM-signed", queueId, MAX_HEADER_BYTES);
            }
            return unchanged(first, block);
        }
        List<String> fields = fields(block.header());
        List<String> froms = fields.stream().filter(f -> named(f, "from")).toList();
        if (froms.size() != 1) {
            LOG.infof("message %s: %d From fields, not DKIM-signed", queueId, froms.size());
            return unchanged(first, block);
        }
        String domain = fromDomain(froms.get(0));
        Optional<DkimKey> key = domain == null ? Optional.empty() : keyFor(domain);
        if (key.isEmpty()) {
            LOG.debugf("message %s: no DKIM key for the From domain", queueId);
            return unchanged(first, block);
        }
        DkimBodyHash body = new DkimBodyHash();
        byte[] rest = block.rest();
        int skip = rest.length > 0 && rest[0] == '\n' ? 1 : rest.length > 1 && rest[0] == '\r' && rest[1] == '\n' ? 2 : 0;
        body.update(rest, skip, rest.length - skip);
        try (InputStream in = first.stream()) {
            byte[] buf = new byte[16 * 1024];
            int n;
            while ((n = in.read(buf)) >= 0) {
                body.update(buf, 0, n);
            }
        }
        byte[] field = signature(key.get(), fields, body.digest());
        OutgoingMessage second = source.open();
        LOG.debugf("message %s: DKIM-signed d=%s s=%s", queueId, key.get().domain(), key.get().selector());
        return new OutgoingMessage(new SequenceInputStream(new ByteArrayInputStream(field), second.stream()),
                second.size() + field.length);
    }

    private static OutgoingMessage unchanged(OutgoingMessage m, HeaderBlock block) {
        byte[] head = new byte[block.header().length + block.rest().length];
        System.arraycopy(block.header(), 0, head, 0, block.header().length);
        System.arraycopy(block.rest(), 0, head, block.header().length, block.rest().length);
        return new OutgoingMessage(new SequenceInputStream(new ByteArrayInputStream(head), m.stream()), m.size());
    }

    /** The DKIM-Signature field, CRLF-terminated, over the given header fields and body hash. */
    byte[] signature(DkimKey key, List<String> fields, byte[] bodyHash) {
        List<String> names = new ArrayList<>();
        for (String name : SIGNED_FIELDS) {
            long count = fields.stream().filter(f -> named(f, name)).count();
            for (long i = 0; i < count; i++) {
                names.add(name);
            }
        }
        names.add("from"); // over-signed: one more than there are
        StringBuilder f = new StringBuilder("DKIM-Signature: v=1; a=").append(key.algorithm().tag)
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

        StringBuilder data = new StringBuilder();
        Map<String, Integer> used = new HashMap<>();
        for (String name : names) {
            int skip = used.merge(name, 1, Integer::sum) - 1;
            int seen = 0;
            for (int i = fields.size() - 1; i >= 0; i--) {
                if (named(fields.get(i), name) && seen++ == skip) {
                    data.append(relaxed(fields.get(i))).append("\r\n");
                    break;
                }
            }
        }
        data.append(relaxed(unsigned));
        byte[] input = data.toString().getBytes(StandardCharsets.ISO_8859_1);
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
    static List<String> fields(byte[] header) {
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

    private static boolean named(String field, String name) {
        int colon = field.indexOf(':');
        return colon > 0 && field.substring(0, colon).strip().equalsIgnoreCase(name);
    }

    /** Relaxed header canonicalization (RFC 6376 section 3.4.2). */
    static String relaxed(String field) {
        int colon = field.indexOf(':');
        String name = field.substring(0, colon).replaceAll("[ \t]+$", "").toLowerCase(Locale.ROOT);
        String value = field.substring(colon + 1).replace("\r\n", "").replaceAll("[ \t]+", " ")
                .replaceAll("^ | $", "");
        return name + ":" + value;
    }

    /** The domain of the From field's (single) address, lower case; null when there is none. */
    static String fromDomain(String fromField) {
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
        return DeliveryRouter.validDomain(domain) ? domain : null;
    }
}

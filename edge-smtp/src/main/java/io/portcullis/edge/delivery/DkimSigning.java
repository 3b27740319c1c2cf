package io.portcullis.edge.delivery;

import io.portcullis.mailauth.dkim.DkimBodyHash;
import io.portcullis.mailauth.dkim.DkimCanonicalization;
import io.portcullis.mailauth.dkim.DkimKey;
import io.portcullis.mailauth.dkim.DkimSigner;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Outbound DKIM signing of the bytes delivery actually sends, with the shared {@link DkimSigner} (mail-auth): the key
 * of the domain of the message's single From address, or the closest parent domain with a key
 * ({@code portcullis.delivery.dkim-keys}). The message is read twice and never held whole: once to hash the header
 * and stream the body through {@link DkimBodyHash#relaxedAsSent()}, once to send it behind the new DKIM-Signature
 * field; the two reads must give the same bytes (delivery builds the outgoing message deterministically from the
 * stored body). A message without a From, with several, or with a header block larger than
 * {@value #MAX_HEADER_BYTES} bytes goes unsigned, with a log line.
 */
public final class DkimSigning {

    /** Opens the outgoing message afresh; called once or twice per signing. */
    @FunctionalInterface
    public interface MessageSource {
        OutgoingMessage open() throws IOException;
    }

    static final int MAX_HEADER_BYTES = 1024 * 1024;

    private static final Logger LOG = Logger.getLogger(DkimSigning.class);

    private final DkimSigner signer;

    public DkimSigning(DkimSigner signer) {
        this.signer = signer;
    }

    public DkimSigning(List<DkimKey> keys, Clock clock) {
        this(new DkimSigner(keys, clock));
    }

    /**
     * The signing of {@code portcullis.delivery.dkim-keys}; every key is read and checked now.
     *
     * @throws IllegalArgumentException naming the entry whose key is unusable
     */
    public static DkimSigning fromConfig(Optional<List<String>> entries) {
        DkimSigner signer;
        try {
            signer = DkimSigner.fromEntries(entries.orElse(List.of()), Clock.systemUTC());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("portcullis.delivery.dkim-keys: " + e.getMessage(), e);
        }
        for (DkimKey k : signer.keys()) {
            LOG.infof("DKIM signing for %s with selector %s (%s)", k.domain(), k.selector(), k.algorithm().tag());
        }
        return new DkimSigning(signer);
    }

    public boolean enabled() {
        return signer.enabled();
    }

    /** The key for a From domain: the domain's own, else the closest parent's. */
    Optional<DkimKey> keyFor(String domain) {
        return signer.keyFor(domain);
    }

    /**
     * The message to send: signed when a key matches its From domain, else the same bytes unsigned.
     *
     * @param queueId for log lines
     */
    public OutgoingMessage sign(MessageSource source, String queueId) throws IOException {
        OutgoingMessage first = source.open();
        HeaderBlock block = HeaderBlock.read(first.stream(), MAX_HEADER_BYTES);
        if (!signer.enabled() || !block.complete()) {
            if (signer.enabled()) {
                LOG.warnf("message %s: header block larger than %d bytes, not DKIM-signed", queueId, MAX_HEADER_BYTES);
            }
            return unchanged(first, block);
        }
        List<String> fields = DkimSigner.fields(block.header());
        long froms = fields.stream().filter(f -> DkimCanonicalization.named(f, "from")).count();
        if (froms != 1) {
            LOG.infof("message %s: %d From fields, not DKIM-signed", queueId, froms);
            return unchanged(first, block);
        }
        Optional<DkimKey> key = signer.keyFor(fields);
        if (key.isEmpty()) {
            LOG.debugf("message %s: no DKIM key for the From domain", queueId);
            return unchanged(first, block);
        }
        DkimBodyHash body = DkimBodyHash.relaxedAsSent();
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
        byte[] field = signer.signature(key.get(), fields, body.digest());
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
}

package io.portcullis.edge.ipblock;

import io.micrometer.core.instrument.MeterRegistry;
import io.portcullis.contracts.events.IpBlock;
import io.portcullis.edge.smtp.ClientGate;
import io.portcullis.edge.smtp.protocol.SmtpReplies;
import io.portcullis.edge.smtp.protocol.SmtpReply;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Locale;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Enforces the IP Profiler's blocks in the listener: an active {@link IpBlock.Response#TEMPFAIL} block answers
 * {@code 421 4.7.0 <reason>} instead of the greeting, an active {@link IpBlock.Response#REJECT} block answers
 * {@code 550 5.7.1 <reason>} to every RCPT. The reason is made safe for a reply line
 * ({@link SmtpReplies#safeText}). Every refusal is counted in {@code portcullis_ipblock_refusals_total{kind,
 * response}}.
 */
@ApplicationScoped
public class IpBlockGate implements ClientGate {

    private static final Logger LOG = Logger.getLogger(IpBlockGate.class);
    static final String TEMPFAIL_FALLBACK = "Too much suspicious traffic from your IP address, try again later";
    static final String REJECT_FALLBACK = "Mail from your IP address is refused";

    private final IpBlockList blocks;
    private final MeterRegistry registry;

    @Inject
    public IpBlockGate(IpBlockList blocks, MeterRegistry registry) {
        this.blocks = blocks;
        this.registry = registry;
    }

    @Override
    public Optional<SmtpReply> atConnect(String clientIp) {
        return blocks.activeBlock(clientIp).filter(b -> b.response() == IpBlock.Response.TEMPFAIL).map(b -> {
            count(b);
            LOG.infof("client=%s blocked at connect: kind=%s until=%s reply=421", clientIp, b.kind(), b.until());
            return tempfail(b);
        });
    }

    @Override
    public Optional<SmtpReply> atRecipient(String clientIp) {
        return blocks.activeBlock(clientIp).filter(b -> b.response() == IpBlock.Response.REJECT).map(b -> {
            count(b);
            LOG.debugf("client=%s blocked at RCPT: kind=%s until=%s reply=550", clientIp, b.kind(), b.until());
            return reject(b);
        });
    }

    /** {@code 421 4.7.0 <safe reason>}. */
    public static SmtpReply tempfail(IpBlock block) {
        return new SmtpReply(421, "4.7.0", SmtpReplies.safeText(block.reason(), TEMPFAIL_FALLBACK));
    }

    /** {@code 550 5.7.1 <safe reason>}. */
    public static SmtpReply reject(IpBlock block) {
        return new SmtpReply(550, "5.7.1", SmtpReplies.safeText(block.reason(), REJECT_FALLBACK));
    }

    private void count(IpBlock block) {
        registry.counter("portcullis.ipblock.refusals",
                "kind", block.kind() == null ? "unknown" : block.kind().name().toLowerCase(Locale.ROOT),
                "response", block.response().name().toLowerCase(Locale.ROOT)).increment();
    }
}

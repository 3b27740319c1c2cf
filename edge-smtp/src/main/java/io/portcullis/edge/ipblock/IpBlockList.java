package io.portcullis.edge.ipblock;

import io.portcullis.contracts.events.IpBlock;
import java.util.Optional;

/**
 * The block list as the SMTP listener sees it: answered from memory, safe on the event loop. Implemented by
 * {@link IpBlockMap}, fed from Kafka by {@link IpBlockConsumer}.
 */
public interface IpBlockList {

    /**
     * The block in force for a client now, if any. The address is normalised first ({@link IpAddresses}); an
     * expired block counts as absent even before its tombstone arrives.
     */
    Optional<IpBlock> activeBlock(String clientIp);
}

package io.portcullis.quarantine.service;

import io.portcullis.contracts.events.BodyRef;
import io.portcullis.contracts.events.Envelope;
import io.portcullis.contracts.events.EventJson;
import io.portcullis.contracts.events.QuarantineEvent;
import io.portcullis.quarantine.entity.QuarantinedMessage;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/** Builds the {@link QuarantineEvent}s this service publishes from an index row. */
public final class QuarantineEvents {
    /** Actor of pipeline-made changes. */
    public static final String SYSTEM = "system";

    private QuarantineEvents() {
    }

    public static QuarantineEvent quarantined(QuarantinedMessage row) {
        return event(row, QuarantineEvent.Type.QUARANTINED, row.quarantinedAt, SYSTEM);
    }

    public static QuarantineEvent released(QuarantinedMessage row, Instant at, String actor) {
        return event(row, QuarantineEvent.Type.RELEASED, at, actor);
    }

    public static QuarantineEvent deleted(QuarantinedMessage row, Instant at, String actor) {
        return event(row, QuarantineEvent.Type.DELETED, at, actor);
    }

    public static BodyRef bodyRef(QuarantinedMessage row) {
        return BodyRef.stored(row.bucket, row.objectKey, row.size, row.sha256);
    }

    public static Envelope envelope(QuarantinedMessage row) {
        return EventJson.read(row.envelope.getBytes(StandardCharsets.UTF_8), Envelope.class);
    }

    private static QuarantineEvent event(QuarantinedMessage row, QuarantineEvent.Type type, Instant at, String actor) {
        return new QuarantineEvent(row.messageId, row.tenant, at, type, envelope(row), bodyRef(row), row.reason, actor,
                row.itemId, row.area);
    }
}

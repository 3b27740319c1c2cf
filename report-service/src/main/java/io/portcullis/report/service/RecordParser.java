package io.portcullis.report.service;

import io.portcullis.contracts.events.DeliveryEvent;
import io.portcullis.contracts.events.EventJson;
import io.portcullis.contracts.events.QuarantineEvent;
import io.portcullis.contracts.events.VerdictIssued;

/**
 * Turns record bytes into events and checks what tracking needs. Anything else is a
 * {@link PoisonRecordException}: the record goes to the dead-letter topic instead of blocking the partition.
 */
public final class RecordParser {
    /** Longest message id accepted; ids are printable ASCII without spaces (they go into logs and URLs). */
    public static final int MAX_MESSAGE_ID_LENGTH = 255;

    private RecordParser() {
    }

    public static VerdictIssued verdict(byte[] bytes) {
        VerdictIssued v = read(bytes, VerdictIssued.class);
        messageId(v.messageId());
        require(v.receivedAt() != null, "receivedAt");
        require(v.scannedAt() != null, "scannedAt");
        require(v.envelope() != null, "envelope");
        require(v.action() != null, "action");
        return v;
    }

    public static DeliveryEvent delivery(byte[] bytes) {
        DeliveryEvent d = read(bytes, DeliveryEvent.class);
        messageId(d.messageId());
        require(d.at() != null, "at");
        require(d.status() != null, "status");
        return d;
    }

    public static QuarantineEvent quarantine(byte[] bytes) {
        QuarantineEvent q = read(bytes, QuarantineEvent.class);
        messageId(q.messageId());
        require(q.at() != null, "at");
        require(q.type() != null, "type");
        return q;
    }

    private static <T> T read(byte[] bytes, Class<T> type) {
        if (bytes == null || bytes.length == 0) {
            throw new PoisonRecordException("empty record, expected " + type.getSimpleName());
        }
        T value;
        try {
            value = EventJson.read(bytes, type);
        } catch (IllegalArgumentException e) {
            // the parser's message may quote the input; keep only the type
            throw new PoisonRecordException("not a valid " + type.getSimpleName(), e);
        } catch (RuntimeException e) {
            throw new PoisonRecordException("not a valid " + type.getSimpleName(), e);
        }
        if (value == null) {
            throw new PoisonRecordException("null record, expected " + type.getSimpleName());
        }
        return value;
    }

    private static void messageId(String id) {
        if (id == null || id.isEmpty() || id.length() > MAX_MESSAGE_ID_LENGTH) {
            throw new PoisonRecordException("messageId missing or longer than " + MAX_MESSAGE_ID_LENGTH);
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (c <= ' ' || c > '~') {
                throw new PoisonRecordException("messageId must be printable ASCII without spaces");
            }
        }
    }

    private static void require(boolean present, String field) {
        if (!present) {
            throw new PoisonRecordException(field + " is required");
        }
    }
}

package io.portcullis.report;

import io.portcullis.contracts.events.Action;
import io.portcullis.contracts.events.BodyRef;
import io.portcullis.contracts.events.DeliveryEvent;
import io.portcullis.contracts.events.Envelope;
import io.portcullis.contracts.events.Modifications;
import io.portcullis.contracts.events.QuarantineEvent;
import io.portcullis.contracts.events.VerdictIssued;
import io.portcullis.contracts.scan.Category;
import io.portcullis.contracts.scan.Finding;
import java.time.Instant;
import java.util.List;

/** Test events. */
public final class Events {
    private Events() {
    }

    public static Envelope envelope(String from, String... to) {
        return new Envelope(from, List.of(to), "client.example", "192.0.2.10", true);
    }

    public static VerdictIssued verdict(String id, Instant received, Action action, Envelope envelope,
            Finding... findings) {
        return new VerdictIssued(id, "default", received, received.plusSeconds(1), envelope,
                BodyRef.stored("portcullis-spool", "2026/01/01/" + id + ".eml", 100, "ab"), "<" + id + "@client>",
                "Hello " + id, action, action == Action.DELIVER ? null : "rule-x", false, false, 0.5,
                List.of(findings), Modifications.NONE, 1);
    }

    public static Finding finding(String symbol) {
        return new Finding(symbol, Category.VIRUS, 0, "detail");
    }

    public static DeliveryEvent delivery(String id, Instant at, DeliveryEvent.DeliveryStatus status,
            String... recipients) {
        return new DeliveryEvent(id, "default", at, status, List.of(recipients), 1, "mx.example:25", "250 2.0.0 OK");
    }

    public static QuarantineEvent quarantine(String id, Instant at, QuarantineEvent.Type type, Envelope envelope) {
        return new QuarantineEvent(id, "default", at, type, envelope,
                BodyRef.stored("portcullis-quarantine", "k", 100, "ab"), "virus-quarantine", "system");
    }
}

package io.portcullis.policy.simulation;

import io.portcullis.contracts.scan.Category;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Recorded verdicts as report-service serves them, for simulation tests. */
final class Recorded {
    static final Instant T = Instant.parse("2026-03-02T10:00:00Z"); // a Monday

    private final Map<String, Object> m = new LinkedHashMap<>();
    private final List<Map<String, Object>> findings = new ArrayList<>();
    private final List<Map<String, Object>> attachments = new ArrayList<>();

    private Recorded(String id, int minute) {
        m.put("messageId", id);
        m.put("tenant", "default");
        m.put("receivedAt", T.plusSeconds(60L * minute).toString());
        m.put("scannedAt", T.plusSeconds(60L * minute + 1).toString());
        m.put("sender", "alice@partner.example");
        m.put("recipients", List.of("bob@example.com"));
        m.put("subject", "Subject " + id);
        m.put("size", 20_000);
        m.put("findings", findings);
        m.put("attachments", attachments);
        m.put("matchedRules", List.of());
        m.put("action", "DELIVER");
        m.put("ruleId", null);
        m.put("policyVersion", 3);
    }

    static Recorded message(String id, int minute) {
        return new Recorded(id, minute);
    }

    Recorded to(String... recipients) {
        m.put("recipients", List.of(recipients));
        return this;
    }

    Recorded from(String sender) {
        m.put("sender", sender);
        return this;
    }

    Recorded attachment(String filename, String type, long size) {
        attachments.add(new LinkedHashMap<>(Map.of("path", "part/" + (attachments.size() + 2), "filename", filename,
                "trueType", type, "size", size)));
        return this;
    }

    Recorded finding(String symbol, Category category, double score) {
        findings.add(Map.of("symbol", symbol, "category", category.name(), "score", score));
        return this;
    }

    /** As older scanners recorded it: no size, no attachments. */
    Recorded withoutDetails() {
        m.put("size", 0);
        attachments.clear();
        return this;
    }

    Recorded recorded(String action, String ruleId) {
        m.put("action", action);
        m.put("ruleId", ruleId);
        return this;
    }

    Map<String, Object> json() {
        return m;
    }

    RecordedMessage parsed() {
        return io.portcullis.contracts.events.EventJson.mapper().convertValue(m, RecordedMessage.class);
    }

    static List<RecordedMessage> parsed(Recorded... all) {
        return java.util.Arrays.stream(all).map(r -> r.parsed()).toList();
    }

}

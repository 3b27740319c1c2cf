package io.portcullis.systemtests.trace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Prints the trace(s) of one message from the trace sink's file: every span whose trace contains a span with an
 * attribute equal to the message id, as an indented tree ordered by start time.
 *
 * <p>Usage: {@code TraceQuery FILE MESSAGE_ID}
 */
public final class TraceQuery {
    private static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: TraceQuery FILE MESSAGE_ID");
        }
        List<JsonNode> spans = read(Path.of(args[0]));
        List<JsonNode> trace = spansOfMessage(spans, args[1]);
        if (trace.isEmpty()) {
            System.out.println("no spans mention " + args[1]);
            System.exit(1);
        }
        print(trace);
    }

    public static List<JsonNode> read(Path file) throws IOException {
        List<JsonNode> spans = new ArrayList<>();
        if (!Files.exists(file)) {
            return spans;
        }
        try (Stream<String> lines = Files.lines(file)) {
            for (String line : (Iterable<String>) lines::iterator) {
                if (!line.isBlank()) {
                    spans.add(JSON.readTree(line));
                }
            }
        }
        return spans;
    }

    /** Every span of every trace in which some span carries {@code messageId} as an attribute value. */
    public static List<JsonNode> spansOfMessage(List<JsonNode> spans, String messageId) {
        Set<String> traces = new LinkedHashSet<>();
        for (JsonNode s : spans) {
            for (JsonNode v : (Iterable<JsonNode>) s.path("attributes")::elements) {
                if (v.asText().equals(messageId)) {
                    traces.add(s.get("traceId").asText());
                }
            }
        }
        return spans.stream().filter(s -> traces.contains(s.get("traceId").asText()))
                .sorted(Comparator.comparingLong(s -> s.get("startNanos").asLong())).toList();
    }

    private static void print(List<JsonNode> trace) {
        long t0 = trace.get(0).get("startNanos").asLong();
        for (JsonNode s : trace) {
            int depth = depth(trace, s);
            System.out.printf("%s %8.1f ms %6.1f ms  %-18s %s%n", s.get("traceId").asText().substring(0, 8),
                    (s.get("startNanos").asLong() - t0) / 1e6,
                    (s.get("endNanos").asLong() - s.get("startNanos").asLong()) / 1e6, s.get("service").asText(),
                    "  ".repeat(depth) + s.get("name").asText());
        }
    }

    private static int depth(List<JsonNode> trace, JsonNode span) {
        int d = 0;
        String parent = span.get("parentSpanId").asText();
        while (!parent.isEmpty() && d < 50) {
            String p = parent;
            JsonNode up = trace.stream().filter(s -> s.get("spanId").asText().equals(p)).findFirst().orElse(null);
            if (up == null) {
                break;
            }
            d++;
            parent = up.get("parentSpanId").asText();
        }
        return d;
    }
}

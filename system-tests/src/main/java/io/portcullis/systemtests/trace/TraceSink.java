package io.portcullis.systemtests.trace;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HexFormat;
import java.util.concurrent.Executors;

/**
 * A development OTLP/HTTP trace receiver: {@code POST /v1/traces} with protobuf bodies, one JSON line per span
 * appended to a file. {@code ./portcullis up} runs it when no collector is configured, and
 * {@code ./portcullis trace ID} reads the file. Not for production: use a real collector there.
 *
 * <p>Usage: {@code TraceSink PORT FILE}
 */
public final class TraceSink {
    private static final int MAX_BODY = 16 * 1024 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final BufferedWriter out;

    private TraceSink(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: TraceSink PORT FILE");
        }
        TraceSink sink = new TraceSink(Path.of(args[1]));
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", Integer.parseInt(args[0])), 64);
        server.createContext("/v1/traces", sink::handle);
        server.createContext("/health", ex -> reply(ex, 200, "UP"));
        server.setExecutor(Executors.newFixedThreadPool(2));
        server.start();
        System.out.println("trace sink listening on 127.0.0.1:" + args[0] + ", writing " + args[1]);
    }

    private void handle(HttpExchange ex) throws IOException {
        if (!"POST".equals(ex.getRequestMethod())) {
            reply(ex, 405, "POST only");
            return;
        }
        byte[] body;
        try (InputStream in = ex.getRequestBody()) {
            body = in.readNBytes(MAX_BODY + 1);
        }
        if (body.length > MAX_BODY) {
            reply(ex, 413, "too large");
            return;
        }
        ExportTraceServiceRequest request;
        try {
            request = ExportTraceServiceRequest.parseFrom(body);
        } catch (IOException e) {
            reply(ex, 400, "not an OTLP protobuf trace export: " + e.getMessage());
            return;
        }
        write(request);
        ex.getResponseHeaders().add("Content-Type", "application/x-protobuf");
        byte[] ok = io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse.getDefaultInstance()
                .toByteArray();
        ex.sendResponseHeaders(200, ok.length == 0 ? -1 : ok.length);
        if (ok.length > 0) {
            ex.getResponseBody().write(ok);
        }
        ex.close();
    }

    private synchronized void write(ExportTraceServiceRequest request) throws IOException {
        HexFormat hex = HexFormat.of();
        for (ResourceSpans rs : request.getResourceSpansList()) {
            String service = rs.getResource().getAttributesList().stream()
                    .filter(kv -> kv.getKey().equals("service.name")).map(kv -> text(kv.getValue())).findFirst()
                    .orElse("?");
            for (ScopeSpans ss : rs.getScopeSpansList()) {
                for (Span span : ss.getSpansList()) {
                    ObjectNode line = JSON.createObjectNode();
                    line.put("traceId", hex.formatHex(span.getTraceId().toByteArray()));
                    line.put("spanId", hex.formatHex(span.getSpanId().toByteArray()));
                    line.put("parentSpanId", hex.formatHex(span.getParentSpanId().toByteArray()));
                    line.put("service", service);
                    line.put("name", span.getName());
                    line.put("kind", span.getKind().name());
                    line.put("startNanos", span.getStartTimeUnixNano());
                    line.put("endNanos", span.getEndTimeUnixNano());
                    ObjectNode attrs = line.putObject("attributes");
                    for (KeyValue kv : span.getAttributesList()) {
                        attrs.put(kv.getKey(), text(kv.getValue()));
                    }
                    out.write(JSON.writeValueAsString(line));
                    out.newLine();
                }
            }
        }
        out.flush();
    }

    private static String text(AnyValue v) {
        return switch (v.getValueCase()) {
            case STRING_VALUE -> v.getStringValue();
            case INT_VALUE -> Long.toString(v.getIntValue());
            case BOOL_VALUE -> Boolean.toString(v.getBoolValue());
            case DOUBLE_VALUE -> Double.toString(v.getDoubleValue());
            default -> v.toString().trim();
        };
    }

    private static void reply(HttpExchange ex, int status, String text) throws IOException {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(status, b.length);
        ex.getResponseBody().write(b);
        ex.close();
    }
}

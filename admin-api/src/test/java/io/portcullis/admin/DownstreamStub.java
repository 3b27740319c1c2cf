package io.portcullis.admin;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** A tiny HTTP server standing in for one downstream service: records requests, answers canned responses. */
public final class DownstreamStub {

    /** One request as the downstream saw it. */
    public record Request(String method, String path, String query, Headers headers, byte[] body) {
        public String header(String name) {
            return headers.getFirst(name);
        }

        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private record Canned(int status, String contentType, byte[] body, Map<String, String> headers) {
    }

    private final String name;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Map<String, Canned> canned = new ConcurrentHashMap<>();

    public DownstreamStub(String name) {
        this.name = name;
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public void stop() {
        server.stop(0);
        executor.shutdownNow();
    }

    public void reset() {
        requests.clear();
        canned.clear();
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    public Request last() {
        if (requests.isEmpty()) {
            throw new AssertionError(name + " received no request");
        }
        return requests.get(requests.size() - 1);
    }

    /** Answers {@code method path} (path without query) with this status, type and body. */
    public void respond(String method, String path, int status, String contentType, String body,
            Map<String, String> headers) {
        canned.put(method + " " + path, new Canned(status, contentType,
                body == null ? null : body.getBytes(StandardCharsets.UTF_8), headers));
    }

    public void respond(String method, String path, int status, String json) {
        respond(method, path, status, "application/json", json, Map.of());
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readAllBytes();
            Headers headers = new Headers();
            headers.putAll(exchange.getRequestHeaders());
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getRawPath();
            requests.add(new Request(method, path, exchange.getRequestURI().getRawQuery(), headers, body));
            Canned answer = canned.getOrDefault(method + " " + path, new Canned(200, "application/json",
                    ("{\"service\":\"" + name + "\",\"method\":\"" + method + "\",\"path\":\"" + path + "\"}")
                            .getBytes(StandardCharsets.UTF_8), Map.of()));
            answer.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
            if (answer.body() == null || answer.body().length == 0) {
                exchange.sendResponseHeaders(answer.status(), -1);
                return;
            }
            exchange.getResponseHeaders().add("Content-Type", answer.contentType());
            exchange.sendResponseHeaders(answer.status(), answer.body().length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer.body());
            }
        }
    }
}

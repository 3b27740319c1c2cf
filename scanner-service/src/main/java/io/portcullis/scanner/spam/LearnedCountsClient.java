package io.portcullis.scanner.spam;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.portcullis.spam.LearnedCounts;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@link LearnedCountsSource} over HTTP. The counts answer
 * ({@code {"tenant","sequence","spamMessages","hamMessages","tokens":[[hash,spam,ham],...]}}) is parsed as a stream,
 * at most {@code maxBytes}; anything malformed is a failed fetch ({@link IllegalStateException}), never a partial model.
 */
public class LearnedCountsClient implements LearnedCountsSource {
    private static final JsonFactory JSON = new JsonFactory();

    private final HttpClient http;
    private final URI base;
    private final Duration timeout;
    private final long maxBytes;

    public LearnedCountsClient(String policyUrl, Duration timeout, long maxBytes) {
        this.base = URI.create(policyUrl.endsWith("/") ? policyUrl : policyUrl + "/");
        this.timeout = timeout;
        this.maxBytes = maxBytes;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    @Override
    public List<String> tenants() {
        try (InputStream in = get("api/v1/spam/learned"); JsonParser p = JSON.createParser(in)) {
            List<String> tenants = new ArrayList<>();
            expect(p.nextToken(), JsonToken.START_OBJECT);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if ("models".equals(field)) {
                    expect(value, JsonToken.START_ARRAY);
                    while (p.nextToken() == JsonToken.START_OBJECT) {
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String f = p.currentName();
                            p.nextToken();
                            if ("tenant".equals(f)) {
                                tenants.add(p.getValueAsString());
                            } else {
                                p.skipChildren();
                            }
                        }
                    }
                } else {
                    p.skipChildren();
                }
            }
            return tenants;
        } catch (IOException e) {
            throw new IllegalStateException("learned model list from policy-service is malformed: " + e.getMessage(),
                    e);
        }
    }

    @Override
    public LearnedCounts fetch(String tenant) {
        try (InputStream in = get("api/v1/spam/learned?tenant=" + URLEncoder.encode(tenant, StandardCharsets.UTF_8))) {
            return read(in, tenant);
        } catch (IOException e) {
            throw new IllegalStateException("learned counts of " + tenant + " from policy-service are malformed: "
                    + e.getMessage(), e);
        }
    }

    /** Parses one counts answer; the tenant must be the one asked for. */
    static LearnedCounts read(InputStream in, String tenant) throws IOException {
        try (JsonParser p = JSON.createParser(in)) {
            String got = null;
            long sequence = -1;
            int spamMessages = -1;
            int hamMessages = -1;
            long[] hashes = new long[0];
            int[] spam = new int[0];
            int[] ham = new int[0];
            expect(p.nextToken(), JsonToken.START_OBJECT);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "tenant" -> got = p.getValueAsString();
                    case "sequence" -> sequence = number(p, value).longValue();
                    case "spamMessages" -> spamMessages = Math.toIntExact(number(p, value).longValue());
                    case "hamMessages" -> hamMessages = Math.toIntExact(number(p, value).longValue());
                    case "tokens" -> {
                        expect(value, JsonToken.START_ARRAY);
                        int n = 0;
                        hashes = new long[1024];
                        spam = new int[1024];
                        ham = new int[1024];
                        while (p.nextToken() == JsonToken.START_ARRAY) {
                            if (n == hashes.length) {
                                hashes = Arrays.copyOf(hashes, n * 2);
                                spam = Arrays.copyOf(spam, n * 2);
                                ham = Arrays.copyOf(ham, n * 2);
                            }
                            hashes[n] = number(p, p.nextToken()).longValue();
                            spam[n] = Math.toIntExact(number(p, p.nextToken()).longValue());
                            ham[n] = Math.toIntExact(number(p, p.nextToken()).longValue());
                            expect(p.nextToken(), JsonToken.END_ARRAY);
                            n++;
                        }
                        hashes = Arrays.copyOf(hashes, n);
                        spam = Arrays.copyOf(spam, n);
                        ham = Arrays.copyOf(ham, n);
                    }
                    default -> p.skipChildren();
                }
            }
            if (!tenant.equals(got) || sequence < 0 || spamMessages < 0 || hamMessages < 0) {
                throw new IOException("answer for tenant " + got + " is incomplete or not the one asked for");
            }
            try {
                return LearnedCounts.of(sequence, spamMessages, hamMessages, hashes, spam, ham);
            } catch (IllegalArgumentException e) {
                throw new IOException(e.getMessage(), e);
            }
        } catch (ArithmeticException e) {
            throw new IOException("count out of range", e);
        }
    }

    private static Number number(JsonParser p, JsonToken t) throws IOException {
        if (t != JsonToken.VALUE_NUMBER_INT) {
            throw new IOException("expected an integer, got " + t);
        }
        return p.getNumberValue();
    }

    private static void expect(JsonToken got, JsonToken wanted) throws IOException {
        if (got != wanted) {
            throw new IOException("expected " + wanted + ", got " + got);
        }
    }

    private InputStream get(String path) {
        HttpRequest request = HttpRequest.newBuilder(base.resolve(path)).timeout(timeout)
                .header("Accept", "application/json").GET().build();
        HttpResponse<InputStream> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException("policy-service unreachable: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while fetching learned counts", e);
        }
        if (response.statusCode() != 200) {
            try (InputStream ignored = response.body()) {
                // drain and close
            } catch (IOException ignored) {
                // nothing to do
            }
            throw new IllegalStateException("policy-service answered " + response.statusCode() + " to GET " + path);
        }
        return new Bounded(response.body(), maxBytes);
    }

    /** Fails once more than {@code max} bytes were read. */
    private static final class Bounded extends FilterInputStream {
        private final long max;
        private long count;

        Bounded(InputStream in, long max) {
            super(in);
            this.max = max;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0 && ++count > max) {
                throw new IOException("answer larger than " + max + " bytes");
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0 && (count += n) > max) {
                throw new IOException("answer larger than " + max + " bytes");
            }
            return n;
        }
    }
}

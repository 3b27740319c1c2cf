package io.portcullis.admin;

import static io.restassured.RestAssured.given;

import io.restassured.response.ValidatableResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Supplier;

/** Every admin-api endpoint, with the downstream it is proxied to. */
public final class Endpoints {

    public record Endpoint(String method, String path, String body, String contentType,
            Supplier<DownstreamStub> downstream) {
        /** A JSON body (or none). */
        public Endpoint(String method, String path, String body, Supplier<DownstreamStub> downstream) {
            this(method, path, body, "application/json", downstream);
        }

        public ValidatableResponse call() {
            return call(null);
        }

        public ValidatableResponse call(String bearer) {
            var request = given();
            if (bearer != null) {
                request = request.auth().oauth2(bearer);
            }
            if (body != null) {
                request = request.contentType(contentType).body(body.getBytes(StandardCharsets.UTF_8));
            }
            return request.when().request(method, path).then();
        }

        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    public static final List<Endpoint> READS = List.of(
            new Endpoint("GET", "/api/v1/policy/snapshot", null, () -> DownstreamStubs.policy),
            new Endpoint("GET", "/api/v1/policy/domains", null, () -> DownstreamStubs.policy),
            new Endpoint("GET", "/api/v1/policy/rules", null, () -> DownstreamStubs.policy),
            new Endpoint("GET", "/api/v1/policy/settings", null, () -> DownstreamStubs.policy),
            new Endpoint("GET", "/api/v1/quarantine", null, () -> DownstreamStubs.quarantine),
            new Endpoint("GET", "/api/v1/quarantine/m1", null, () -> DownstreamStubs.quarantine),
            new Endpoint("GET", "/api/v1/quarantine/m1/raw", null, () -> DownstreamStubs.quarantine),
            new Endpoint("GET", "/api/v1/tracking", null, () -> DownstreamStubs.report),
            new Endpoint("GET", "/api/v1/tracking/m1", null, () -> DownstreamStubs.report),
            new Endpoint("GET", "/api/v1/signatures", null, () -> DownstreamStubs.policy),
            new Endpoint("GET", "/api/v1/signatures/active", null, () -> DownstreamStubs.policy),
            new Endpoint("GET", "/api/v1/sender-lists", null, () -> DownstreamStubs.policy),
            new Endpoint("GET", "/api/v1/sender-lists/7", null, () -> DownstreamStubs.policy),
            new Endpoint("GET", "/api/v1/policy/versions/5", null, () -> DownstreamStubs.policy),
            new Endpoint("GET", "/api/v1/policy/bundle", null, () -> DownstreamStubs.policy),
            new Endpoint("GET", "/api/v1/policy/templates", null, () -> DownstreamStubs.policy),
            new Endpoint("GET", "/api/v1/policy/templates/held", null, () -> DownstreamStubs.policy),
            new Endpoint("GET", "/api/v1/quarantine/areas", null, () -> DownstreamStubs.quarantine),
            new Endpoint("GET", "/api/v1/quarantine/areas/spam", null, () -> DownstreamStubs.quarantine));

    /** Writes and the other admin-only endpoints. */
    public static final List<Endpoint> WRITES = List.of(
            new Endpoint("POST", "/api/v1/policy/domains", "{\"domain\":\"example.org\"}", () -> DownstreamStubs.policy),
            new Endpoint("DELETE", "/api/v1/policy/domains/example.org", null, () -> DownstreamStubs.policy),
            new Endpoint("POST", "/api/v1/policy/rules", "{\"id\":\"r1\"}", () -> DownstreamStubs.policy),
            new Endpoint("PUT", "/api/v1/policy/rules/r1", "{\"id\":\"r1\",\"priority\":2}", () -> DownstreamStubs.policy),
            new Endpoint("DELETE", "/api/v1/policy/rules/r1", null, () -> DownstreamStubs.policy),
            new Endpoint("PUT", "/api/v1/policy/settings", "{\"spamThreshold\":6.5}", () -> DownstreamStubs.policy),
            new Endpoint("POST", "/api/v1/quarantine/m1/release", null, () -> DownstreamStubs.quarantine),
            new Endpoint("DELETE", "/api/v1/quarantine/m1", null, () -> DownstreamStubs.quarantine),
            new Endpoint("POST", "/api/v1/signatures", "not really a tar", "application/x-tar",
                    () -> DownstreamStubs.policy),
            new Endpoint("POST", "/api/v1/signatures/2026112701/activate", null, () -> DownstreamStubs.policy),
            new Endpoint("POST", "/api/v1/sender-lists",
                    "{\"owner\":\"*\",\"sender\":\"spam.example\",\"kind\":\"BLOCKED\"}", () -> DownstreamStubs.policy),
            new Endpoint("POST", "/api/v1/sender-lists/import", "{\"entries\":[]}", () -> DownstreamStubs.policy),
            new Endpoint("DELETE", "/api/v1/sender-lists/7", null, () -> DownstreamStubs.policy),
            new Endpoint("POST", "/api/v1/policy/bundle", "{\"format\":1,\"rules\":[]}",
                    () -> DownstreamStubs.policy),
            // admin only although a read: the audit log
            new Endpoint("GET", "/api/v1/policy/audit", null, () -> DownstreamStubs.policy),
            new Endpoint("POST", "/api/v1/policy/simulate", "{\"rule\":{\"id\":\"r1\"},\"limit\":10}",
                    () -> DownstreamStubs.policy),
            new Endpoint("PUT", "/api/v1/policy/templates/held", "{\"subject\":\"s\",\"body\":\"b\"}",
                    () -> DownstreamStubs.policy),
            new Endpoint("DELETE", "/api/v1/policy/templates/held", null, () -> DownstreamStubs.policy),
            new Endpoint("POST", "/api/v1/quarantine/areas",
                    "{\"name\":\"legal\",\"retentionDays\":365,\"userRight\":\"NONE\"}",
                    () -> DownstreamStubs.quarantine),
            new Endpoint("PUT", "/api/v1/quarantine/areas/legal", "{\"retentionDays\":30}",
                    () -> DownstreamStubs.quarantine),
            new Endpoint("DELETE", "/api/v1/quarantine/areas/legal", null, () -> DownstreamStubs.quarantine));

    /** What a quarantine-manager may do besides reading: release and delete any item. */
    public static final List<Endpoint> QUARANTINE_ACTIONS = List.of(
            new Endpoint("POST", "/api/v1/quarantine/m1/release", "{\"recipients\":[\"bob@example.com\"]}",
                    () -> DownstreamStubs.quarantine),
            new Endpoint("DELETE", "/api/v1/quarantine/m1", null, () -> DownstreamStubs.quarantine));

    public static final Endpoint ME = new Endpoint("GET", "/api/v1/me", null, () -> null);

    private Endpoints() {
    }
}

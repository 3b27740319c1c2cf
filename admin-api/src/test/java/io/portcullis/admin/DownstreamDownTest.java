package io.portcullis.admin;

import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.security.TestSecurity;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every downstream points at a closed port: answers are 503 with a JSON error, never a hang or a 500. */
@QuarkusTest
@TestProfile(DownstreamDownTest.Down.class)
@TestSecurity(user = "root", roles = "admin")
class DownstreamDownTest {

    public static class Down implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            String dead = "http://127.0.0.1:" + closedPort();
            return Map.of("portcullis.admin.policy-url", dead, "portcullis.admin.quarantine-url", dead,
                    "portcullis.admin.report-url", dead);
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(OidcTestKeys.class));
        }

        private static int closedPort() {
            try (ServerSocket socket = new ServerSocket(0)) {
                return socket.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Test
    void unreachableDownstreamIs503WithJsonError() {
        Endpoints.READS.get(0).call().statusCode(503).body("status", equalTo(503))
                .body("message", equalTo("policy-service is unavailable"));
        Endpoints.READS.get(5).call().statusCode(503).body("message", equalTo("quarantine-service is unavailable"));
        Endpoints.READS.get(6).call().statusCode(503);
        Endpoints.READS.get(7).call().statusCode(503).body("message", equalTo("report-service is unavailable"));
        Endpoints.WRITES.get(0).call().statusCode(503);
        Endpoints.WRITES.get(6).call().statusCode(503).body("error", equalTo("Service Unavailable"));
        Endpoints.WRITES.get(8).call().statusCode(503).body("message", equalTo("policy-service is unavailable"));
        Endpoints.READS.get(9).call().statusCode(503);
    }
}

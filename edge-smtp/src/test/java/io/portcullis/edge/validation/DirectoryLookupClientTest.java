package io.portcullis.edge.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.edge.policy.StubPolicyService;
import io.portcullis.edge.smtp.RecipientVerdict;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The HTTP client of policy-service's directory look-up against a stub server. */
class DirectoryLookupClientTest {
    private StubPolicyService stub;
    private ExecutorService executor;
    private DirectoryLookupClient client;

    @BeforeEach
    void start() throws Exception {
        stub = StubPolicyService.start();
        executor = Executors.newFixedThreadPool(2);
        client = new DirectoryLookupClient(stub.url() + "/", Duration.ofMillis(500), executor);
        stub.directory("alice@example.com", "a+b&c=d@example.com");
    }

    @AfterEach
    void stop() {
        stub.close();
        executor.shutdownNow();
    }

    @Test
    void knownIsAcceptUnknownIsUnknownUser() {
        assertEquals(RecipientVerdict.ACCEPT, client.lookup("Alice@example.com").join());
        assertEquals(RecipientVerdict.UNKNOWN_USER, client.lookup("bob@example.com").join());
    }

    @Test
    void addressIsQueryEncoded() {
        assertEquals(RecipientVerdict.ACCEPT, client.lookup("a+b&c=d@example.com").join());
    }

    @Test
    void serviceUnavailableIsAnOutageNotUnknown() {
        stub.directoryStatus(503);
        CompletionException e = assertThrows(CompletionException.class, () -> client.lookup("x@example.com").join());
        assertTrue(e.getCause() instanceof DirectoryLookupClient.DirectoryUnavailableException, e.toString());
        stub.directoryStatus(500);
        assertThrows(CompletionException.class, () -> client.lookup("x@example.com").join());
    }

    @Test
    void unreachablePolicyServiceIsAnOutage() {
        DirectoryLookupClient nowhere = new DirectoryLookupClient("http://127.0.0.1:1", Duration.ofMillis(500),
                executor);
        assertThrows(CompletionException.class, () -> nowhere.lookup("x@example.com").join());
    }

    @Test
    void slowAnswerTimesOut() {
        stub.directoryDelay(Duration.ofSeconds(2));
        assertThrows(CompletionException.class, () -> client.lookup("alice@example.com").join());
    }
}

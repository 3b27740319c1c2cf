package io.portcullis.policy.health;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.portcullis.av.LoadOptions;
import io.portcullis.av.SignatureSet;
import io.portcullis.policy.reputation.ReputationIndex;
import java.nio.charset.StandardCharsets;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

class ReputationReadinessCheckTest {
    private final ReputationIndex index = new ReputationIndex();
    private final ReputationReadinessCheck check = new ReputationReadinessCheck(index);

    @Test
    void downWhileTheFirstLoadIsStillRunning() {
        assertEquals(HealthCheckResponse.Status.DOWN, check.call().getStatus());
    }

    @Test
    void upWithoutAnyBundle() {
        index.offer(ReputationIndex.Loaded.none(1));
        HealthCheckResponse r = check.call();
        assertEquals(HealthCheckResponse.Status.UP, r.getStatus());
        assertEquals("none", r.getData().orElseThrow().get("version"));
    }

    @Test
    void upWithTheLoadedVersionAndItsSize() throws Exception {
        SignatureSet set = SignatureSet.builder(LoadOptions.strictOptions())
                .load("a.hdb", "44d88612fea8a8f36de82e1278abb02f:68:Eicar-Test-Signature\n"
                        .getBytes(StandardCharsets.US_ASCII)).build();
        index.offer(new ReputationIndex.Loaded(2, "v2", set));
        HealthCheckResponse r = check.call();
        assertEquals(HealthCheckResponse.Status.UP, r.getStatus());
        assertEquals("v2", r.getData().orElseThrow().get("version"));
        assertEquals(1L, r.getData().orElseThrow().get("hashes"));
    }

    @Test
    void aFailedFirstLoadDoesNotKeepTheServiceOutButIsShown() {
        index.failed("signature bundle v3 cannot be read from object storage");
        HealthCheckResponse r = check.call();
        assertEquals(HealthCheckResponse.Status.UP, r.getStatus());
        assertEquals("not loaded", r.getData().orElseThrow().get("version"));
        assertEquals("signature bundle v3 cannot be read from object storage",
                r.getData().orElseThrow().get("loadFailure"));
    }
}

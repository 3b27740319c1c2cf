package io.portcullis.policy.signatures;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SignatureSettingsTest {
    private static final Duration TEN = Duration.ofSeconds(10);
    private static final String S3 = "http://localhost:9000";

    private static String rejected(String bucket, long maxBytes, int maxFiles, Duration refresh, String endpoint) {
        return assertThrows(IllegalArgumentException.class,
                () -> new SignatureSettings(bucket, maxBytes, maxFiles, refresh, endpoint)).getMessage();
    }

    @Test
    void defaultsAreAccepted() {
        SignatureSettings s = new SignatureSettings("portcullis-signatures", 512L << 20, 1000, TEN, S3);
        assertEquals("portcullis-signatures", s.bucket());
        assertEquals(512L << 20, s.maxBytes());
    }

    @Test
    void badValuesFailAtStartUpNamingTheKey() {
        assertTrue(rejected("Bad_Bucket", 1 << 20, 10, TEN, S3).startsWith("portcullis.policy.signatures.bucket"));
        assertTrue(rejected("ab", 1 << 20, 10, TEN, S3).startsWith("portcullis.policy.signatures.bucket"));
        assertTrue(rejected("b", 1 << 20, 10, TEN, S3).contains("bucket"));
        assertTrue(rejected("bucket", 100, 10, TEN, S3).startsWith("portcullis.policy.signatures.max-bytes"));
        assertTrue(rejected("bucket", 9L << 30, 10, TEN, S3).startsWith("portcullis.policy.signatures.max-bytes"));
        assertTrue(rejected("bucket", 1 << 20, 0, TEN, S3).startsWith("portcullis.policy.signatures.max-files"));
        assertTrue(rejected("bucket", 1 << 20, 10, Duration.ZERO, S3)
                .startsWith("portcullis.policy.reputation.refresh-interval"));
        assertTrue(rejected("bucket", 1 << 20, 10, TEN, "localhost:9000").startsWith("portcullis.policy.s3.endpoint"));
        assertTrue(rejected("bucket", 1 << 20, 10, TEN, "ftp://x").startsWith("portcullis.policy.s3.endpoint"));
        assertTrue(rejected("bucket", 1 << 20, 10, TEN, "http://bad host").startsWith("portcullis.policy.s3.endpoint"));
    }
}

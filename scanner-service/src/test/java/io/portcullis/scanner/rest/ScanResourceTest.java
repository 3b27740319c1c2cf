package io.portcullis.scanner.rest;

import static io.portcullis.scanner.support.TestMessages.EICAR;
import static io.portcullis.scanner.support.TestMessages.GTUBE;
import static io.portcullis.scanner.support.TestMessages.ascii;
import static io.portcullis.scanner.support.TestMessages.crlf;
import static io.portcullis.scanner.support.TestMessages.plain;
import static io.portcullis.scanner.support.TestMessages.withAttachment;
import static io.portcullis.scanner.support.TestMessages.zip;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import io.portcullis.scanner.mime.TrueTypes;
import io.portcullis.scanner.service.ScanOutcome;
import io.portcullis.scanner.service.ScanService;
import io.portcullis.scanner.support.KafkaTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.util.Random;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class ScanResourceTest {

    @Inject
    ScanService scans;

    @Inject
    TrueTypes types;

    @Test
    void eachAttachmentsTrueTypeIsDetectedOncePerScan() {
        java.util.Map<String, byte[]> entries = new java.util.LinkedHashMap<>();
        entries.put("a.pdf", ascii("%PDF-1.4\n%%EOF\n"));
        entries.put("b.txt", ascii("hello"));
        long before = types.detections();

        ScanOutcome outcome = scans.scan("truetype-once", null, withAttachment("files.zip", zip(entries)),
                java.util.List.of());

        org.junit.jupiter.api.Assertions.assertEquals(3, outcome.attachments().size(), "the zip and two entries");
        // the text part, the zip and its two entries: once each (the policy's three attachments used to be
        // detected a second time: 7)
        org.junit.jupiter.api.Assertions.assertEquals(4, types.detections() - before,
                "the file-type engine and the policy's attachment conditions share one detection per item");
        org.junit.jupiter.api.Assertions.assertEquals("application/pdf", outcome.attachments().get(1).trueType());
    }

    @Test
    void eicarIsQuarantined() {
        given().contentType("message/rfc822").body(plain("test", EICAR))
                .when().post("/api/v1/scan")
                .then().statusCode(200)
                .contentType("application/json")
                .body("action", equalTo("quarantine"))
                .body("virus", equalTo(true))
                .body("spam", equalTo(false))
                .body("symbols", hasItem("AV_TEST"))
                .body("findings[0].symbol", equalTo("AV_TEST"))
                .body("findings[0].category", equalTo("VIRUS"))
                .body("findings[0].detail", equalTo("Eicar-Test-Signature in raw"))
                .body("ruleId", equalTo("virus-quarantine"))
                .body("policyVersion", equalTo(0))
                .body("subject", equalTo("test"));
    }

    @Test
    void eicarInsideATarGzInsideA7zIsQuarantinedThroughTheApi() {
        byte[] tgz = io.portcullis.scanner.support.Archives.gzip(io.portcullis.scanner.support.Archives.tar(
                java.util.Map.of("dir/eicar.txt", ascii(EICAR))), null);
        byte[] seven = io.portcullis.scanner.support.Archives.sevenZ(java.util.Map.of("files.tar.gz", tgz));
        given().contentType("message/rfc822").body(withAttachment("outer.7z", seven))
                .when().post("/api/v1/scan")
                .then().statusCode(200)
                .body("action", equalTo("quarantine"))
                .body("virus", equalTo(true))
                .body("findings.detail", hasItem(
                        "Eicar-Test-Signature in part/2/7z:files.tar.gz/gz:files.tar/tar:dir/eicar.txt"));
    }

    @Test
    void rarIsUnscannableAndQuarantinedThroughTheApi() {
        byte[] rar = {'R', 'a', 'r', '!', 0x1A, 0x07, 0x01, 0x00, 1, 2, 3};
        given().contentType("message/rfc822").body(withAttachment("a.rar", rar))
                .when().post("/api/v1/scan")
                .then().statusCode(200)
                .body("action", equalTo("quarantine"))
                .body("symbols", hasItem("ARCHIVE_UNSCANNABLE"))
                .body("ruleId", equalTo("scan-failure-quarantine"));
    }

    @Test
    void gtubeIsTaggedAsSpam() {
        given().contentType("message/rfc822").body(plain("cheap", GTUBE))
                .when().post("/api/v1/scan")
                .then().statusCode(200)
                .body("action", equalTo("tag"))
                .body("spam", equalTo(true))
                .body("virus", equalTo(false))
                .body("findings.find { it.symbol == 'GTUBE' }.score", equalTo(1000.0f))
                .body("score", equalTo(1000.0f)) // the classifier adds nothing to this one (BAYES_40, score 0)
                .body("symbols", hasItem("GTUBE"))
                .body("symbols", hasItem("BAYES_40"))
                .body("ruleId", equalTo("spam-tag"));
    }

    @Test
    void cleanMessageIsDelivered() {
        given().contentType("message/rfc822").body(plain("hello", "nothing to see here"))
                .when().post("/api/v1/scan")
                .then().statusCode(200)
                .body("action", equalTo("deliver"))
                .body("virus", equalTo(false))
                .body("spam", equalTo(false))
                // only the classifier's finding: near 0.5 for a one-line note, well under the threshold
                .body("score", org.hamcrest.Matchers.lessThanOrEqualTo(1.0f))
                .body("symbols", org.hamcrest.Matchers.contains(org.hamcrest.Matchers.startsWith("BAYES_")))
                .body("findings[0].category", equalTo("SPAM"))
                .body("engineVersions.bayes", notNullValue())
                .body("ruleId", nullValue());
    }

    @Test
    void exeAttachmentIsQuarantined() {
        given().contentType("application/octet-stream").body(withAttachment("run.exe", ascii("MZ")))
                .when().post("/api/v1/scan")
                .then().statusCode(200)
                .body("action", equalTo("quarantine"))
                .body("symbols", hasItem("BANNED_EXTENSION"))
                .body("findings.find { it.symbol == 'BANNED_EXTENSION' }.detail", equalTo("exe in part/2"))
                .body("ruleId", equalTo("blocked-attachment-quarantine"));
    }

    @Test
    void eicarInZipSentAsTextPlainIsQuarantined() {
        given().contentType("text/plain").body(withAttachment("a.zip", zip("x/eicar.txt", ascii(EICAR))))
                .when().post("/api/v1/scan")
                .then().statusCode(200)
                .body("action", equalTo("quarantine"))
                .body("findings[0].detail", equalTo("Eicar-Test-Signature in part/2/zip:x/eicar.txt"));
    }

    @Test
    void emptyBodyIs400WithJsonError() {
        given().contentType("message/rfc822").body(new byte[0])
                .when().post("/api/v1/scan")
                .then().statusCode(400)
                .contentType("application/json")
                .body("error", containsString("empty"));
    }

    @Test
    void bodyAboveTheLimitIs413WithJsonError() {
        // %test limit: 65536 bytes
        given().contentType("message/rfc822").body(plain("big", "x".repeat(70_000)))
                .when().post("/api/v1/scan")
                .then().statusCode(413)
                .contentType("application/json")
                .body("error", containsString("65536"));
    }

    @Test
    void streamedBodyAboveTheLimitIs413WithJsonError() {
        byte[] big = crlf("Subject: chunked\n\n" + "y".repeat(100_000) + "\n");
        given().contentType("message/rfc822").body(new ByteArrayInputStream(big))
                .when().post("/api/v1/scan")
                .then().statusCode(413)
                .body("error", notNullValue());
    }

    @Test
    void bodyExactlyAtTheLimitIsScanned() {
        byte[] head = crlf("Subject: edge\n\n");
        byte[] msg = new byte[65536];
        System.arraycopy(head, 0, msg, 0, head.length);
        java.util.Arrays.fill(msg, head.length, msg.length, (byte) 'z');
        given().contentType("message/rfc822").body(msg)
                .when().post("/api/v1/scan")
                .then().statusCode(200)
                .body("action", equalTo("deliver"));
    }

    @Test
    void garbageBytesGiveAResultNotA500() {
        byte[] garbage = new byte[30_000];
        new Random(7).nextBytes(garbage);
        given().contentType("application/octet-stream").body(garbage)
                .when().post("/api/v1/scan")
                .then().statusCode(200)
                .body("action", notNullValue());
    }

    @Test
    void unsupportedContentTypeIsRefused() {
        given().contentType("application/json").body("{}")
                .when().post("/api/v1/scan")
                .then().statusCode(415);
    }

    @Test
    void readinessReportsTheDefaultPolicyAsDataNotDown() {
        given().when().get("/q/health/ready")
                .then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.find { it.name == 'policy-snapshot' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'policy-snapshot' }.data.source", equalTo("built-in default"))
                .body("checks.find { it.name == 'policy-snapshot' }.data.version", equalTo(0))
                .body("checks.find { it.name == 'object-storage' }.status", equalTo("UP"));
    }

    @Test
    void metricsCountVerdictsByActionAndTimeScans() {
        given().contentType("message/rfc822").body(plain("m", EICAR)).post("/api/v1/scan").then().statusCode(200);
        given().when().get("/q/metrics")
                .then().statusCode(200)
                .body(containsString("portcullis_scanner_verdicts_total{action=\"quarantine\"}"))
                .body(containsString("portcullis_scanner_scan_duration_seconds_count"));
    }
}

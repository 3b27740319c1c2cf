package io.portcullis.scanner.rest;

import static io.portcullis.scanner.support.TestMessages.EICAR;
import static io.portcullis.scanner.support.TestMessages.ascii;
import static io.portcullis.scanner.support.TestMessages.withAttachment;
import static io.portcullis.scanner.support.TestMessages.zip;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.portcullis.scanner.support.Containers;
import io.portcullis.scanner.support.KafkaTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The new containers and true file types through {@code POST /api/v1/scan}, with every engine wired by CDI. */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class ContainerScanResourceTest {

    @Test
    void eicarInAPdfInAZipInATnefIsQuarantined() {
        byte[] pdf = Containers.pdf(Map.of("eicar.com", ascii(EICAR)), true, null);
        byte[] tnef = Containers.tnef(Map.of("documents.zip", zip("report.pdf", pdf)));
        given().contentType("message/rfc822").body(withAttachment("winmail.dat", tnef))
                .when().post("/api/v1/scan")
                .then().statusCode(200)
                .body("action", equalTo("quarantine"))
                .body("virus", equalTo(true))
                .body("ruleId", equalTo("virus-quarantine"))
                .body("findings.detail", hasItem(
                        "Eicar-Test-Signature in part/2/tnef:documents.zip/zip:report.pdf/pdf:eicar.com"));
    }

    @Test
    void executableRenamedToPdfIsQuarantinedAsABlockedAttachment() {
        byte[] pe = Containers.peWithOverlay(new byte[0]);
        given().contentType("message/rfc822").body(withAttachment("invoice.pdf", pe))
                .when().post("/api/v1/scan")
                .then().statusCode(200)
                .body("action", equalTo("quarantine"))
                .body("symbols", hasItem("TRUE_TYPE_EXECUTABLE"))
                .body("ruleId", equalTo("blocked-attachment-quarantine"));
    }
}

package io.portcullis.scanner.rest;

import static io.portcullis.scanner.support.TestMessages.ascii;
import static io.portcullis.scanner.support.TestMessages.base64;
import static io.portcullis.scanner.support.TestMessages.crlf;
import static io.portcullis.scanner.support.TestMessages.withAttachment;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import io.portcullis.scanner.engine.macro.OfficeFixtures;
import io.portcullis.scanner.support.ClamavTestFiles;
import io.portcullis.scanner.support.KafkaTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The active-content engines are registered and report through {@code POST /api/v1/scan}. */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class ActiveContentScanResourceTest {

    @Test
    void macroDocumentAndHtmlSmugglingAttachmentAreReportedWithTheirSymbols() {
        byte[] doc = OfficeFixtures.wordDoc(Map.of("NewMacros", "Sub AutoOpen()\r\n Shell \"cmd\"\r\nEnd Sub\r\n"));
        String smuggler = "<html><body><script>const blob = new Blob([payload], {type: 'application/zip'});"
                + "const a = document.createElement('a'); a.href = URL.createObjectURL(blob);"
                + "a.download = 'invoice.zip'; a.click();</script></body></html>";
        byte[] msg = crlf("From: <a@example.net>\nTo: <b@example.com>\nSubject: invoice\nMIME-Version: 1.0\n"
                + "Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\nsee attached\n--b\n"
                + "Content-Type: application/msword; name=\"invoice.doc\"\n"
                + "Content-Disposition: attachment; filename=\"invoice.doc\"\nContent-Transfer-Encoding: base64\n\n"
                + base64(doc) + "\n--b\nContent-Type: text/html; name=\"view.html\"\n"
                + "Content-Disposition: attachment; filename=\"view.html\"\nContent-Transfer-Encoding: base64\n\n"
                + base64(ascii(smuggler)) + "\n--b--\n");
        given().contentType("message/rfc822").body(msg)
                .when().post("/api/v1/scan")
                .then().statusCode(200)
                .body("symbols", hasItems("MACRO_VBA", "HTML_SMUGGLING", "HTML_ATTACHMENT_SCRIPT"))
                .body("findings.find { it.symbol == 'MACRO_VBA' }.category", equalTo("ACTIVE_CONTENT"))
                .body("findings.find { it.symbol == 'MACRO_VBA' }.detail", equalTo(
                        "VBA project Macros/VBA: modules NewMacros; auto-exec AutoOpen; suspicious Shell in part/2"))
                .body("findings.find { it.symbol == 'HTML_SMUGGLING' }.category", equalTo("ACTIVE_CONTENT"))
                .body("findings.find { it.symbol == 'HTML_SMUGGLING' }.detail", equalTo(
                        "script builds a Blob or File and triggers a download in part/3"));
    }

    @Test
    void packedExecutableIsAnIntelliTrapFindingAndQuarantined() {
        byte[] exe = ClamavTestFiles.read("clam-upx.exe");
        given().contentType("message/rfc822").body(withAttachment("setup.dat", exe))
                .when().post("/api/v1/scan")
                .then().statusCode(200)
                .body("findings.find { it.symbol == 'PACKED_EXECUTABLE' }.detail", equalTo("upx in part/2"))
                .body("findings.find { it.symbol == 'PACKED_EXECUTABLE' }.category", equalTo("FAILURE"))
                .body("action", equalTo("quarantine"));
    }
}

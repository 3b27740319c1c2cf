package io.portcullis.scanner.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;

import io.portcullis.scanner.content.MessageText;
import io.portcullis.scanner.content.TextExtractor;
import io.portcullis.scanner.support.KafkaTestResource;
import io.portcullis.scanner.support.TestMessages;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;

/** The text extractor inside the service: configured limits (application.properties, %test) and the ops endpoint. */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class ContentTextResourceTest {

    @Inject
    TextExtractor extractor;

    @Test
    void beanRunsWithTheConfiguredLimits() {
        Assertions.assertEquals(5000, extractor.limits().maxAttachmentChars());
        Assertions.assertEquals(Duration.ofSeconds(10), extractor.limits().attachmentTimeout());
        byte[] message = TestMessages.withAttachment("long.txt", "x".repeat(20_000).getBytes(StandardCharsets.UTF_8));
        MessageText text = extractor.extract("quarkus-1", message);
        MessageText.PartText part = text.attachments().get(0);
        Assertions.assertEquals(MessageText.Status.TRUNCATED, part.status(), part.toString());
        Assertions.assertEquals(5000, part.text().length());
    }

    @Test
    void endpointReturnsTheMessageText() {
        String html = "<html><body><p>Visible offer</p><script>var hidden='SCRIPTTEXT'</script></body></html>";
        byte[] message = TestMessages.crlf("From: <a@example.net>\nSubject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe?=\n"
                + "MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"b\"\n\n"
                + "--b\nContent-Type: text/html; charset=utf-8\n\n" + html + "\n"
                + "--b\nContent-Type: application/octet-stream; name=\"x.pdf\"\nContent-Transfer-Encoding: base64\n\n"
                + TestMessages.base64("not a pdf at all".getBytes(StandardCharsets.US_ASCII)) + "\n--b--\n");
        given().contentType("message/rfc822").body(message)
                .when().post("/api/v1/content/text")
                .then().statusCode(200)
                .body("subject", equalTo("Grüße"))
                .body("body", hasSize(1))
                .body("body[0].text", containsString("Visible offer"))
                .body("body[0].text", not(containsString("SCRIPTTEXT")))
                .body("body[0].status", equalTo("OK"))
                .body("attachments[0].filename", equalTo("x.pdf"))
                // text named .pdf: the true type decides, and its text is found
                .body("attachments[0].trueType", equalTo("text/plain"))
                .body("attachments[0].text", containsString("not a pdf at all"))
                .body("attachments[0].status", equalTo("OK"));
    }

    @Test
    void officeDocumentsAreDetectedAndParsedInsideTheService() throws Exception {
        java.io.ByteArrayOutputStream docx = new java.io.ByteArrayOutputStream();
        try (org.apache.poi.xwpf.usermodel.XWPFDocument doc = new org.apache.poi.xwpf.usermodel.XWPFDocument()) {
            doc.createParagraph().createRun().setText("Board minutes draft");
            doc.write(docx);
        }
        given().contentType("message/rfc822").body(TestMessages.withAttachment("minutes.docx", docx.toByteArray()))
                .when().post("/api/v1/content/text")
                .then().statusCode(200)
                .body("attachments", hasSize(1))
                .body("attachments[0].trueType",
                        equalTo("application/vnd.openxmlformats-officedocument.wordprocessingml.document"))
                .body("attachments[0].text", containsString("Board minutes draft"))
                .body("attachments[0].status", equalTo("OK"));
    }

    @Test
    void endpointRefusesAnEmptyBody() {
        given().contentType("message/rfc822").body(new byte[0])
                .when().post("/api/v1/content/text")
                .then().statusCode(400);
    }
}

package io.portcullis.policy.simulation;

import static io.portcullis.policy.simulation.Recorded.message;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.portcullis.contracts.scan.Category;
import io.portcullis.policy.InMemoryKafkaResource;
import io.portcullis.policy.PolicyDatabase;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code POST /api/v1/policy/simulate} against the seeded policy and a stub report-service. */
@QuarkusTest
@QuarkusTestResource(InMemoryKafkaResource.class)
@QuarkusTestResource(value = ReportServiceStub.class, restrictToAnnotatedClass = true)
class SimulationResourceTest {
    private static final String SIMULATE = "/api/v1/policy/simulate";
    private static final String QUARANTINE_EXE = """
            {"id":"quarantine-exe","name":"Quarantine .exe","priority":22,
             "conditions":[{"type":"attachment-extension","values":["exe"]}],
             "actions":[{"type":"quarantine","value":"executables"}]}""";

    @Inject
    PolicyDatabase database;

    @BeforeEach
    void seedAndMail() {
        await().atMost(Duration.ofSeconds(30)).until(() -> database.count("outbox") == 0);
        database.resetToSeed();
        ReportServiceStub.serve(
                message("m-exe", 1).attachment("setup.exe", "application/x-dosexec", 4096),
                message("m-zip-exe", 2).attachment("Tool.EXE", "application/x-dosexec", 50)
                        .attachment("readme.txt", "text/plain", 10),
                message("m-pdf", 3).attachment("invoice.pdf", "application/pdf", 9000),
                message("m-spam", 4).finding("BAYES_SPAM", Category.SPAM, 7.5).recorded("TAG", "spam-tag"),
                message("m-virus", 5).attachment("x.exe", "application/x-dosexec", 100)
                        .finding("AV_TEST", Category.VIRUS, 0).recorded("QUARANTINE", "virus-quarantine"),
                message("m-plain", 6).to("bob@example.com", "carol@example.org"));
    }

    private static io.restassured.response.ValidatableResponse simulate(String body) {
        return given().contentType(ContentType.JSON).body(body).post(SIMULATE).then();
    }

    @Test
    void quarantiningExeAttachmentsChangesExactlyTheMessagesWithExeAttachments() {
        simulate("{\"rule\":" + QUARANTINE_EXE + ",\"limit\":500}").statusCode(200)
                .body("messages", equalTo(6))
                .body("changed", equalTo(2))
                .body("uncertain", equalTo(0))
                .body("changes.messageId", contains("m-exe", "m-zip-exe"))
                .body("changes[0].before[0].action", equalTo("deliver"))
                .body("changes[0].after[0].action", equalTo("quarantine"))
                .body("changes[0].after[0].main.value", equalTo("executables"))
                .body("changes[0].decidedBy", contains("quarantine-exe"))
                .body("changes[0].sender", equalTo("alice@partner.example"))
                .body("changes[0].subject", equalTo("Subject m-exe"))
                .body("changes[0].recorded.action", equalTo("DELIVER"))
                .body("byAction", hasSize(1))
                .body("byAction[0].from", equalTo("deliver"))
                .body("byAction[0].to", equalTo("quarantine"))
                .body("byAction[0].messages", equalTo(2))
                .body("unevaluable", hasSize(0));
        // the virus with an .exe is quarantined by virus-quarantine (priority 10) either way: not a change
        assertEquals(List.of("limit=500&tenant=default"), ReportServiceStub.queries);
    }

    @Test
    void replacingTheSeededSpamRuleActionChangesTheSpamMessage() {
        simulate("""
                {"rule":{"id":"spam-tag","name":"Quarantine spam","priority":40,"match":"SPAM",
                         "action":"QUARANTINE"},
                 "replaceRuleId":"spam-tag"}""").statusCode(200)
                .body("changed", equalTo(1))
                .body("changes[0].messageId", equalTo("m-spam"))
                .body("changes[0].before[0].action", equalTo("deliver"))
                .body("changes[0].before[0].others[0].type", equalTo("tag-subject"))
                .body("changes[0].before[0].others[0].value", equalTo("[SPAM] "))
                .body("changes[0].after[0].action", equalTo("quarantine"))
                .body("changes[0].after[0].ruleId", equalTo("spam-tag"))
                .body("byAction[0].from", equalTo("deliver"))
                .body("byAction[0].to", equalTo("quarantine"));
        assertEquals(List.of("limit=1000&tenant=default"), ReportServiceStub.queries, "default limit");
    }

    @Test
    void aBadRuleIs400NamingTheField() {
        simulate("""
                {"rule":{"id":"big","name":"Big","priority":5,
                         "conditions":[{"type":"message-size","operator":"~","threshold":10}],
                         "actions":[{"type":"quarantine"}]}}""").statusCode(400)
                .body("field", equalTo("rule.conditions[0].operator"))
                .body("error", containsString("unknown operator"));
        simulate("""
                {"rule":{"id":"hdr","name":"Hdr","priority":5,
                         "conditions":[{"type":"header","field":"Subject","values":["(unclosed"]}],
                         "actions":[{"type":"delete"}]}}""").statusCode(400)
                .body("field", equalTo("rule.conditions[0].values[0]"));
        simulate("{\"rule\":{\"name\":\"no id\",\"priority\":1,\"match\":\"SPAM\",\"action\":\"DELETE\"}}")
                .statusCode(400).body("field", equalTo("rule.id"));
        simulate("{\"rule\":{\"id\":\"p\",\"name\":\"No priority\",\"match\":\"SPAM\",\"action\":\"DELETE\"}}")
                .statusCode(400).body("field", equalTo("rule.priority"));
        simulate("{\"rule\":{\"id\":\"v\",\"name\":\"V\",\"priority\":1,\"conditions\":[{\"type\":\"symbol\","
                + "\"values\":[null]}],\"actions\":[{\"type\":\"delete\"}]}}").statusCode(400)
                .body("field", equalTo("rule.conditions[0].values"));
        simulate("{\"rule\":" + QUARANTINE_EXE + ",\"limit\":0}").statusCode(400).body("field", equalTo("limit"));
        simulate("{\"rule\":" + QUARANTINE_EXE + ",\"limit\":10001}").statusCode(400)
                .body("field", equalTo("limit"));
        simulate("{\"limit\":10}").statusCode(400).body("field", equalTo("rule"));
        simulate("{\"rule\":" + QUARANTINE_EXE + ",\"replaceRuleId\":\"no-such-rule\"}").statusCode(400)
                .body("field", equalTo("replaceRuleId"));
        simulate("{\"rule\":" + QUARANTINE_EXE + ",\"disabled\":[\"virus-quarantine\",\"nope\"]}").statusCode(400)
                .body("field", equalTo("disabled[1]"));
        simulate("{\"rule\":{\"id\":\"spam-tag\",\"name\":\"x\",\"priority\":1,\"match\":\"SPAM\","
                + "\"action\":\"DELETE\"}}").statusCode(400).body("field", equalTo("rule.id"));
        simulate("{\"rule\":" + QUARANTINE_EXE + ",\"surprise\":1}").statusCode(400)
                .body("field", equalTo("surprise"));
        assertEquals(List.of(), ReportServiceStub.queries, "nothing is read for a bad request");
    }

    @Test
    void aHeaderConditionFlagsTheMessagesItCouldDecideAsUncertain() {
        simulate("""
                {"rule":{"id":"bulk-header","name":"Delete bulk mailers","priority":50,
                         "conditions":[{"type":"header","field":"X-Mailer","values":["(?i)bulk"]}],
                         "actions":[{"type":"delete"}]}}""").statusCode(200)
                .body("changed", equalTo(0))
                .body("uncertain", equalTo(4))
                // the virus (priority 10) and the spam (spam-tag, 40) are decided before priority 50
                .body("uncertainMessages.messageId", contains("m-exe", "m-zip-exe", "m-pdf", "m-plain"))
                .body("uncertainMessages[0].uncertainRules", contains("bulk-header"))
                .body("unevaluable", hasSize(1))
                .body("unevaluable[0].ruleId", equalTo("bulk-header"))
                .body("unevaluable[0].type", equalTo("header"))
                .body("unevaluable[0].field", equalTo("conditions[0]"))
                .body("unevaluable[0].messages", equalTo(6))
                .body("unevaluable[0].treatment", containsString("never guessed"));
    }

    @Test
    void disablingARuleIsSimulatedToo() {
        simulate("{\"rule\":" + QUARANTINE_EXE + ",\"disabled\":[\"spam-tag\"]}").statusCode(200)
                .body("changes.messageId", contains("m-exe", "m-zip-exe", "m-spam"))
                .body("changes[2].after[0].action", equalTo("deliver"))
                .body("changes[2].after[0].others", hasSize(0));
    }

    @Test
    void reportServiceDownIs503WithAClearMessage() throws Exception {
        ReportServiceStub.down();
        try {
            simulate("{\"rule\":" + QUARANTINE_EXE + "}").statusCode(503)
                    .body("error", containsString("report-service"));
        } finally {
            ReportServiceStub.up();
        }
        simulate("{\"rule\":" + QUARANTINE_EXE + "}").statusCode(200).body("changed", equalTo(2));
    }
}

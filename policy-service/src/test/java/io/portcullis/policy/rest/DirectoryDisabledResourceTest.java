package io.portcullis.policy.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.portcullis.policy.InMemoryKafkaResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** The default configuration: no directory. Look-ups say so (503), readiness is not affected. */
@QuarkusTest
@QuarkusTestResource(InMemoryKafkaResource.class)
class DirectoryDisabledResourceTest {

    @Test
    void lookupAnswers503NotConfigured() {
        given().queryParam("address", "alice@example.com").get("/api/v1/directory/lookup").then().statusCode(503)
                .body("error", equalTo("directory not configured"));
    }

    @Test
    void statusAndReadinessSayDisabled() {
        given().get("/api/v1/directory/status").then().statusCode(200).body("configured", equalTo(false));
        given().get("/q/health/ready").then()
                .body("checks.find { it.name == 'directory' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'directory' }.data.state", equalTo("disabled"));
    }
}

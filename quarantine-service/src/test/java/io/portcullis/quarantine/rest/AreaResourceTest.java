package io.portcullis.quarantine.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import io.portcullis.quarantine.InMemoryKafkaResource;
import io.portcullis.quarantine.QuarantineTestSupport;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(InMemoryKafkaResource.class)
class AreaResourceTest extends QuarantineTestSupport {
    private static final String AREAS = "/api/v1/quarantine/areas";

    @AfterEach
    void dropCustomAreas() {
        for (String name : new String[] {"legal", "hr-hold"}) {
            given().when().delete(AREAS + "/" + name);
        }
    }

    @Test
    void theFiveBuiltInAreasAreSeededWithTheirRights() {
        given().when().get(AREAS).then().statusCode(200)
                .body("areas.name", hasItems("dlp", "policy", "spam", "unscannable", "virus"))
                .body("areas.find { it.name == 'spam' }.userRight", equalTo("RELEASE"))
                .body("areas.find { it.name == 'spam' }.retentionDays", equalTo(30))
                .body("areas.find { it.name == 'virus' }.userRight", equalTo("REQUEST"))
                .body("areas.find { it.name == 'dlp' }.userRight", equalTo("REQUEST"))
                .body("areas.find { it.name == 'unscannable' }.userRight", equalTo("REQUEST"))
                .body("areas.find { it.name == 'policy' }.userRight", equalTo("REQUEST"))
                .body("areas.find { it.name == 'policy' }.builtIn", equalTo(true));
    }

    @Test
    void anAdminCreatesUpdatesAndDeletesAnArea() {
        given().contentType(ContentType.JSON).header("X-Portcullis-Actor", "admin-ann")
                .body("{\"name\":\"legal\",\"retentionDays\":365,\"userRight\":\"none\",\"description\":\"Legal hold\"}")
                .when().post(AREAS).then().statusCode(201)
                .header("Location", containsString("/api/v1/quarantine/areas/legal"))
                .body("name", equalTo("legal")).body("userRight", equalTo("NONE")).body("builtIn", equalTo(false))
                .body("updatedBy", equalTo("admin-ann"));
        given().contentType(ContentType.JSON)
                .body("{\"name\":\"legal\",\"retentionDays\":5,\"userRight\":\"RELEASE\"}")
                .when().post(AREAS).then().statusCode(409);
        given().contentType(ContentType.JSON).body("{\"retentionDays\":730}")
                .when().put(AREAS + "/legal").then().statusCode(200)
                .body("retentionDays", equalTo(730)).body("userRight", equalTo("NONE"))
                .body("description", equalTo("Legal hold"));
        given().when().get(AREAS + "/legal").then().statusCode(200).body("retentionDays", equalTo(730));
        given().when().delete(AREAS + "/legal").then().statusCode(204);
        given().when().get(AREAS + "/legal").then().statusCode(404);
    }

    @Test
    void invalidInputIs400NamingTheField() {
        String[][] cases = {
                {"{\"name\":\"Legal Hold\",\"retentionDays\":5,\"userRight\":\"NONE\"}", "name"},
                {"{\"name\":\"../x\",\"retentionDays\":5,\"userRight\":\"NONE\"}", "name"},
                {"{\"name\":\"legal\",\"retentionDays\":0,\"userRight\":\"NONE\"}", "retentionDays"},
                {"{\"name\":\"legal\",\"retentionDays\":99999,\"userRight\":\"NONE\"}", "retentionDays"},
                {"{\"name\":\"legal\",\"userRight\":\"NONE\"}", "retentionDays"},
                {"{\"name\":\"legal\",\"retentionDays\":5,\"userRight\":\"MAYBE\"}", "userRight"},
                {"{\"name\":\"legal\",\"retentionDays\":5}", "userRight"},
                {"{\"name\":\"legal\",\"retentionDays\":5,\"userRight\":\"NONE\",\"description\":\"a\\u0000b\"}",
                        "description"},
        };
        for (String[] c : cases) {
            given().contentType(ContentType.JSON).body(c[0]).when().post(AREAS).then().statusCode(400)
                    .body("field", equalTo(c[1]));
        }
        given().contentType(ContentType.JSON).body("{\"retentionDays\":-1}").when().put(AREAS + "/spam")
                .then().statusCode(400).body("field", equalTo("retentionDays"));
        given().contentType(ContentType.JSON).body("{\"name\":\"other\"}").when().put(AREAS + "/spam")
                .then().statusCode(400).body("field", equalTo("name"));
        given().when().get(AREAS + "/NOPE").then().statusCode(400).body("field", equalTo("name"));
        given().when().get(AREAS + "/nope").then().statusCode(404);
    }

    @Test
    void aBuiltInAreaOrAnAreaInUseCannotBeDeleted() {
        given().when().delete(AREAS + "/spam").then().statusCode(409).body("message", containsString("built in"));
        given().contentType(ContentType.JSON).body("{\"name\":\"hr-hold\",\"retentionDays\":5,\"userRight\":\"NONE\"}")
                .when().post(AREAS).then().statusCode(201);
        quarantineIn("hr-hold", "salary list", "alice@example.org", "bob@example.com");
        given().when().delete(AREAS + "/hr-hold").then().statusCode(409)
                .body("message", containsString("still holds items"));
        resetQuarantine();
        given().when().delete(AREAS + "/hr-hold").then().statusCode(204);
    }
}

package io.portcullis.admin;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The OpenAPI document lists every admin-api endpoint and says they need Keycloak's bearer token. */
@QuarkusTest
@QuarkusTestResource(value = DownstreamStubs.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = OidcTestKeys.class, restrictToAnnotatedClass = true)
class OpenApiDocumentTest {

    private static JsonNode document() throws Exception {
        String json = given().queryParam("format", "json").get("/q/openapi").then().statusCode(200).extract()
                .asString();
        return new ObjectMapper().readTree(json);
    }

    @Test
    void documentsEveryEndpointWithItsMethod() throws Exception {
        JsonNode paths = document().path("paths");
        List<String> missing = new ArrayList<>();
        List<Endpoints.Endpoint> all = Stream.of(Endpoints.READS, Endpoints.WRITES, List.of(Endpoints.ME))
                .flatMap(List::stream).toList();
        for (Endpoints.Endpoint endpoint : all) {
            if (!documented(paths, endpoint)) {
                missing.add(endpoint.toString());
            }
        }
        assertEquals(List.of(), missing, "endpoints missing from /q/openapi");
    }

    @Test
    void protectedEndpointsNeedTheBearerToken() throws Exception {
        JsonNode doc = document();
        assertEquals("bearer", doc.path("components").path("securitySchemes").path("keycloak").path("scheme").asText());
        JsonNode rules = doc.path("paths").path("/api/v1/policy/rules").path("post");
        assertTrue(rules.path("security").toString().contains("keycloak"), rules.toString());
    }

    private static boolean documented(JsonNode paths, Endpoints.Endpoint endpoint) {
        Iterator<Map.Entry<String, JsonNode>> it = paths.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> path = it.next();
            Pattern template = Pattern.compile(path.getKey().replaceAll("\\{[^}]+}", "[^/]+"));
            if (template.matcher(endpoint.path()).matches()
                    && path.getValue().has(endpoint.method().toLowerCase(Locale.ROOT))) {
                return true;
            }
        }
        return false;
    }
}

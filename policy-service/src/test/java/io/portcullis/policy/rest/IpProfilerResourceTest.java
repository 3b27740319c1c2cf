package io.portcullis.policy.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.contracts.events.EventJson;
import io.portcullis.contracts.events.IpBlock;
import io.portcullis.contracts.events.IpProfilerCommand;
import io.portcullis.policy.ipprofiler.IpProfilerCommands;
import io.portcullis.policy.ipprofiler.IpProfilerKafkaResource;
import io.portcullis.policy.ipprofiler.IpProfilerView;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.memory.InMemoryConnector;
import io.smallrye.reactive.messaging.memory.InMemorySink;
import jakarta.enterprise.inject.Any;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The IP Profiler REST endpoints with the Streams application off and the control channel in memory. */
@QuarkusTest
@QuarkusTestResource(IpProfilerKafkaResource.class)
class IpProfilerResourceTest {
    private static final String BASE = "/api/v1/ip-profiler";

    @Inject
    @Any
    InMemoryConnector connector;

    @Inject
    IpProfilerView view;

    private InMemorySink<byte[]> sink;

    @BeforeEach
    void reset() {
        sink = connector.sink(IpProfilerCommands.CHANNEL);
        sink.clear();
        view.clear();
    }

    private List<Message<byte[]>> sent() {
        return sink.received().stream().<Message<byte[]>>map(m -> m).toList();
    }

    private static IpProfilerCommand command(Message<byte[]> message) {
        return EventJson.read(message.getPayload(), IpProfilerCommand.class);
    }

    private static String key(Message<byte[]> message) {
        return (String) message.getMetadata(OutgoingKafkaRecordMetadata.class).orElseThrow().getKey();
    }

    @Test
    void allowPublishesACommandKeyedByTheCanonicalIpAndListsIt() {
        given().contentType("application/json").header("X-Portcullis-Actor", "root")
                .body("{\"ip\":\"2001:DB8:0:0::7\",\"note\":\"partner MTA\"}")
                .when().post(BASE + "/allow").then().statusCode(202)
                .body("type", equalTo("ALLOW")).body("ip", equalTo("2001:db8::7")).body("actor", equalTo("root"));
        assertEquals(1, sent().size());
        IpProfilerCommand command = command(sent().get(0));
        assertEquals("2001:db8::7", key(sent().get(0)));
        assertEquals(IpProfilerCommand.Type.ALLOW, command.type());
        assertEquals("partner MTA", command.note());
        assertEquals("root", command.actor());
        given().when().get(BASE + "/allow").then().statusCode(200)
                .body("entries", hasSize(1)).body("entries[0].ip", equalTo("2001:db8::7"))
                .body("entries[0].note", equalTo("partner MTA")).body("entries[0].actor", equalTo("root"));
    }

    @Test
    void allowAcceptsCidrBlocksOfBothFamilies() {
        given().contentType("application/json").body("{\"ip\":\"198.51.100.0/24\"}").when().post(BASE + "/allow")
                .then().statusCode(202).body("ip", equalTo("198.51.100.0/24")).body("actor", equalTo("api"))
                .body("note", nullValue());
        given().contentType("application/json").body("{\"ip\":\"2001:db8:1::/48\",\"note\":null}").when()
                .post(BASE + "/allow").then().statusCode(202).body("ip", equalTo("2001:db8:1::/48"));
        given().contentType("application/json").body("{\"ip\":\"192.0.2.1/32\"}").when().post(BASE + "/allow")
                .then().statusCode(202).body("ip", equalTo("192.0.2.1"));
        assertEquals(List.of("198.51.100.0/24", "2001:db8:1::/48", "192.0.2.1"),
                sent().stream().map(IpProfilerResourceTest::key).toList());
    }

    @Test
    void invalidAllowEntriesAre400NamingTheFieldAndPublishNothing() {
        for (String bad : List.of("\"\"", "\"not-an-ip\"", "\"example.org\"", "\"256.0.0.1\"", "\"10.0.0.1/33\"",
                "\"10.0.0.1/8\"", "\"10.0.0.0/\"", "\"10.0.0.0/-1\"", "\"10.0.0.0/08\"", "\"fe80::1%eth0\"",
                "\"::1/129\"", "\"01.2.3.4\"", "\"1.2.3\"", "\" 1.2.3.4/24/8\"", "null", "5",
                "\"" + "1".repeat(10_000) + "\"")) {
            given().contentType("application/json").body("{\"ip\":" + bad + "}").when().post(BASE + "/allow")
                    .then().statusCode(400).body("field", equalTo("ip"));
        }
        given().contentType("application/json").body("{\"ip\":\"10.0.0.1/8\"}").when().post(BASE + "/allow")
                .then().statusCode(400).body("error", containsString("10.0.0.0/8"));
        assertTrue(sent().isEmpty());
    }

    @Test
    void malformedBodiesAre400() {
        given().contentType("application/json").body("{\"ip\":\"192.0.2.1\"").when().post(BASE + "/allow").then()
                .statusCode(400);
        given().contentType("application/json").body("{\"ip\":\"192.0.2.1\",\"admin\":true}").when()
                .post(BASE + "/allow").then().statusCode(400).body("error", equalTo("unknown field"));
        given().contentType("application/json").body("[]").when().post(BASE + "/allow").then().statusCode(400);
        given().contentType("application/json").when().post(BASE + "/allow").then().statusCode(400);
        given().contentType("application/json").body("{\"ip\":\"192.0.2.1\",\"note\":\"" + "n".repeat(501) + "\"}")
                .when().post(BASE + "/allow").then().statusCode(400).body("field", equalTo("note"));
        given().contentType("application/json").body("{\"ip\":\"192.0.2.1\",\"note\":\"a\\u0000b\"}")
                .when().post(BASE + "/allow").then().statusCode(400).body("field", equalTo("note"));
        given().contentType("application/json").header("X-Portcullis-Actor", "x".repeat(300))
                .body("{\"ip\":\"192.0.2.1\"}").when().post(BASE + "/allow").then().statusCode(400)
                .body("field", equalTo("actor"));
        assertTrue(sent().isEmpty());
    }

    @Test
    void deleteFromTheAllowListPublishesDisallowForAnIpOrACidrBlock() {
        given().when().delete(BASE + "/allow/192.0.2.1").then().statusCode(202).body("type", equalTo("DISALLOW"));
        given().when().delete(BASE + "/allow/198.51.100.0/24").then().statusCode(202)
                .body("ip", equalTo("198.51.100.0/24"));
        given().when().delete(BASE + "/allow/2001:db8:1::/48").then().statusCode(202)
                .body("ip", equalTo("2001:db8:1::/48"));
        assertEquals(List.of("192.0.2.1", "198.51.100.0/24", "2001:db8:1::/48"),
                sent().stream().map(IpProfilerResourceTest::key).toList());
        assertTrue(sent().stream().allMatch(m -> command(m).type() == IpProfilerCommand.Type.DISALLOW));
    }

    @Test
    void anAllowedThenDisallowedEntryLeavesTheList() {
        given().contentType("application/json").body("{\"ip\":\"192.0.2.0/24\"}").when().post(BASE + "/allow")
                .then().statusCode(202);
        given().when().get(BASE + "/allow").then().body("entries.ip", hasItem("192.0.2.0/24"));
        given().when().delete(BASE + "/allow/192.0.2.0/24").then().statusCode(202);
        given().when().get(BASE + "/allow").then().body("entries.ip", not(hasItem("192.0.2.0/24")));
    }

    @Test
    void hostilePathsAre400Or404AndPublishNothing() {
        given().urlEncodingEnabled(false).when().delete(BASE + "/allow/..%2F..%2Fpolicy").then().statusCode(400);
        given().urlEncodingEnabled(false).when().delete(BASE + "/allow/localhost").then().statusCode(400);
        given().urlEncodingEnabled(false).when().delete(BASE + "/allow/10.0.0.0/abc").then().statusCode(400);
        given().urlEncodingEnabled(false).when().post(BASE + "/blocks/%3Cscript%3E/unblock").then().statusCode(400)
                .body("error", not(containsString("script")));
        given().urlEncodingEnabled(false).when().delete(BASE + "/allow/10.0.0.0/8/9").then().statusCode(404);
        assertTrue(sent().isEmpty());
    }

    @Test
    void unblockPublishesAnUnblockForOneIp() {
        given().header("X-Portcullis-Actor", "root").when().post(BASE + "/blocks/203.0.113.9/unblock").then()
                .statusCode(202).body("type", equalTo("UNBLOCK")).body("ip", equalTo("203.0.113.9"));
        assertEquals("203.0.113.9", key(sent().get(0)));
        IpProfilerCommand command = command(sent().get(0));
        assertEquals("root", command.actor());
        assertTrue(Duration.between(command.at(), Instant.now()).abs().getSeconds() < 60);
    }

    @Test
    void unblockRefusesCidrBlocksAndAllowListedIps() {
        given().when().post(BASE + "/blocks/203.0.113.0/unblock").then().statusCode(202); // a /32 host address
        sink.clear();
        given().urlEncodingEnabled(false).when().post(BASE + "/blocks/203.0.113.0%2F24/unblock").then()
                .statusCode(400);
        given().contentType("application/json").body("{\"ip\":\"192.0.2.5\"}").when().post(BASE + "/allow")
                .then().statusCode(202);
        sink.clear();
        given().when().post(BASE + "/blocks/192.0.2.5/unblock").then().statusCode(409).body("field", equalTo("ip"))
                .body("error", containsString("allow list"));
        assertTrue(sent().isEmpty());
    }

    @Test
    void blocksListsTheBlocksInForceOnly() {
        Instant now = Instant.now();
        view.applyBlock("203.0.113.9", EventJson.write(new IpBlock("203.0.113.9", IpBlock.Kind.SPAM, 20, 3600,
                now, now.plusSeconds(3600), IpBlock.Response.TEMPFAIL, "too many spam messages")));
        view.applyBlock("2001:db8::7", EventJson.write(new IpBlock("2001:db8::7", IpBlock.Kind.HARVEST, 30, 600,
                now, now.plusSeconds(3600), IpBlock.Response.REJECT, "too many unknown recipients")));
        view.applyBlock("198.51.100.1", EventJson.write(new IpBlock("198.51.100.1", IpBlock.Kind.VIRUS, 5, 3600,
                now.minusSeconds(7200), now.minusSeconds(60), IpBlock.Response.TEMPFAIL, "expired")));
        view.applyBlock("192.0.2.9", "{garbage".getBytes());
        given().when().get(BASE + "/blocks").then().statusCode(200).body("blocks", hasSize(2))
                .body("blocks.ip", equalTo(List.of("2001:db8::7", "203.0.113.9")))
                .body("blocks[0].response", equalTo("REJECT")).body("blocks[1].kind", equalTo("SPAM"))
                .body("blocks[1].count", equalTo(20));
        view.applyBlock("203.0.113.9", null); // tombstone
        given().when().get(BASE + "/blocks").then().statusCode(200).body("blocks.ip", equalTo(List.of("2001:db8::7")));
        assertNull(null);
    }

    @Test
    void readinessShowsTheProfilerDisabledAndUp() {
        given().when().get("/q/health/ready").then()
                .body("checks.find { it.name == 'ip-profiler' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'ip-profiler' }.data.streams", equalTo("disabled on this instance"));
    }
}

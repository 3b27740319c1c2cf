package io.portcullis.quarantine.retention;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.contracts.events.QuarantineEvent;
import io.portcullis.quarantine.InMemoryKafkaResource;
import io.portcullis.quarantine.QuarantineTestSupport;
import io.portcullis.quarantine.retention.RetentionJob.Result;
import io.portcullis.quarantine.retention.RetentionJob.Step;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(InMemoryKafkaResource.class)
class RetentionJobTest extends QuarantineTestSupport {
    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

    @Inject
    RetentionJob job;
    @Inject
    DataSource dataSource;

    @AfterEach
    void clean() {
        resetQuarantine();
        given().when().delete("/api/v1/quarantine/areas/short");
    }

    /** Quarantines an item and backdates it to {@code age} before {@link #NOW}. */
    private String item(String area, Duration age) {
        String id = quarantineIn(area, "subject " + area, "alice@example.org", "bob@example.com");
        sql("UPDATE quarantine.quarantined_message SET quarantined_at = ? WHERE item_id = ?",
                NOW.minus(age).atOffset(ZoneOffset.UTC), id);
        return id;
    }

    private String key(String itemId) {
        return repository.find(itemId).orElseThrow().objectKey;
    }

    private void sql(String text, Object... params) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(text)) {
            for (int i = 0; i < params.length; i++) {
                s.setObject(i + 1, params[i]);
            }
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private Set<String> itemIds() {
        Set<String> ids = new HashSet<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT item_id FROM quarantine.quarantined_message"
                        + " UNION ALL SELECT item_id FROM quarantine.quarantine_recipient");
                ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return ids;
    }

    private List<QuarantineEvent> retentionEvents() {
        return published(QuarantineEvent.Type.DELETED).stream().filter(e -> "retention".equals(e.actor())).toList();
    }

    @Test
    void exactlyTheExpiredItemsGoFromS3AndPostgres() {
        given().contentType("application/json").body("{\"name\":\"short\",\"retentionDays\":1,\"userRight\":\"NONE\"}")
                .when().post("/api/v1/quarantine/areas").then().statusCode(201);
        Duration day = Duration.ofDays(1);
        Map<String, Boolean> expectGone = Map.of(
                item("spam", day.multipliedBy(31)), true,
                item("spam", day.multipliedBy(29)), false,
                item("dlp", day.multipliedBy(40)), false,       // dlp keeps 90 days
                item("dlp", day.multipliedBy(91)), true,
                item("no-such-area", day.multipliedBy(31)), true, // unknown area: policy's 30 days
                item("no-such-area", day.multipliedBy(20)), false,
                item("short", Duration.ofHours(25)), true,
                item("short", Duration.ofHours(23)), false);
        String deletedBefore = item("virus", day.multipliedBy(60));
        given().when().delete(API + "/" + deletedBefore).then().statusCode(202);
        feedState(last(QuarantineEvent.Type.DELETED)); // already DELETED (object gone): no second event
        Map<String, String> keys = new java.util.HashMap<>();
        expectGone.keySet().forEach(id -> keys.put(id, key(id)));
        events.clear();

        Result result = job.run(NOW, RetentionJob.Checkpoint.NONE);

        assertFalse(result.skipped());
        assertEquals(5, result.marked());
        assertEquals(5, result.itemsDeleted());
        assertEquals(4, result.announced());
        Set<String> left = itemIds();
        expectGone.forEach((id, gone) -> {
            assertEquals(!gone, left.contains(id), id + " rows");
            assertEquals(!gone, store.get(BUCKET, keys.get(id)).isPresent(), id + " object");
        });
        assertFalse(left.contains(deletedBefore));
        Set<String> announced = new HashSet<>(retentionEvents().stream().map(QuarantineEvent::messageId).toList());
        Set<String> expected = new HashSet<>(expectGone.entrySet().stream().filter(Map.Entry::getValue)
                .map(Map.Entry::getKey).toList());
        assertEquals(expected, announced, "one DELETED event (actor retention) per removed item not yet deleted");
        assertEquals(4, store.objectCount(BUCKET), "only the kept items' objects remain");

        Result again = job.run(NOW, RetentionJob.Checkpoint.NONE);
        assertEquals(new Result(false, 0, 0, 0, 0), again, "a second run finds nothing");
        // the state consumer applying a retention event for a removed item is a no-op
        feedState(retentionEvents().get(0));
    }

    @Test
    void aCrashBetweenAnyTwoStepsIsFinishedByTheNextRun() {
        for (Step crashAt : Step.values()) {
            String victim = item("spam", Duration.ofDays(45));
            String other = item("spam", Duration.ofDays(45));
            String kept = item("spam", Duration.ofDays(2));
            String victimKey = key(victim);
            events.clear();

            RuntimeException crash = assertThrows(RuntimeException.class, () -> job.run(NOW, (step, itemId) -> {
                if (step == crashAt && itemId.equals(victim)) {
                    throw new IllegalStateException("simulated crash before " + step);
                }
            }));
            assertTrue(crash.getMessage().contains(crashAt.name()));
            assertTrue(itemIds().contains(victim), crashAt + ": the victim's rows are still there");
            given().when().get(API + "/" + victim).then().statusCode(404); // marked: no longer shown
            assertEquals(crashAt == Step.DELETE_ROWS, store.get(BUCKET, victimKey).isEmpty(),
                    crashAt + ": object deleted only when the crash came after that step");

            Result rerun = job.run(NOW, RetentionJob.Checkpoint.NONE);
            assertFalse(rerun.skipped());
            Set<String> left = itemIds();
            assertFalse(left.contains(victim), crashAt + ": rerun removed the victim's rows");
            assertFalse(left.contains(other), crashAt + ": and the other expired item");
            assertTrue(left.contains(kept));
            assertTrue(store.get(BUCKET, victimKey).isEmpty());
            assertEquals(1, retentionEvents().stream().filter(e -> e.messageId().equals(victim)).count(),
                    crashAt + ": the victim was announced exactly once");
            assertEquals(1, retentionEvents().stream().filter(e -> e.messageId().equals(other)).count());
            resetQuarantine();
        }
    }

    @Test
    void anObjectSharedByTwoItemsGoesOnlyWithTheLast() {
        String old = item("spam", Duration.ofDays(40));
        String young = item("spam", Duration.ofDays(3));
        String sharedKey = key(old);
        String youngOwnKey = key(young);
        sql("UPDATE quarantine.quarantined_message SET object_key = ? WHERE item_id = ?", sharedKey, young);
        store.delete(BUCKET, youngOwnKey);

        job.run(NOW, RetentionJob.Checkpoint.NONE);
        assertFalse(itemIds().contains(old));
        assertTrue(store.get(BUCKET, sharedKey).isPresent(), "the young item still needs the object");

        job.run(NOW.plus(Duration.ofDays(30)), RetentionJob.Checkpoint.NONE);
        assertFalse(itemIds().contains(young));
        assertTrue(store.get(BUCKET, sharedKey).isEmpty(), "gone with the last item");
    }

    @Test
    void onlyOneInstanceRunsAtATime() throws SQLException {
        String old = item("spam", Duration.ofDays(40));
        try (Connection other = dataSource.getConnection();
                PreparedStatement lock = other.prepareStatement("SELECT pg_advisory_lock(?)")) {
            lock.setLong(1, RetentionJob.LOCK_KEY);
            lock.execute();
            assertTrue(job.run(NOW, RetentionJob.Checkpoint.NONE).skipped());
            assertTrue(itemIds().contains(old));
            try (PreparedStatement unlock = other.prepareStatement("SELECT pg_advisory_unlock(?)")) {
                unlock.setLong(1, RetentionJob.LOCK_KEY);
                unlock.execute();
            }
        }
        assertFalse(job.run(NOW, RetentionJob.Checkpoint.NONE).skipped());
        assertFalse(itemIds().contains(old));
    }
}

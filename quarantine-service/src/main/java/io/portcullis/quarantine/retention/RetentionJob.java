package io.portcullis.quarantine.retention;

import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.portcullis.contracts.events.QuarantineEvent;
import io.portcullis.quarantine.config.QuarantineConfig;
import io.portcullis.quarantine.entity.QuarantineArea;
import io.portcullis.quarantine.entity.QuarantineStatus;
import io.portcullis.quarantine.messaging.QuarantineEventPublisher;
import io.portcullis.quarantine.storage.ObjectNotFoundException;
import io.portcullis.quarantine.storage.ObjectStore;
import io.portcullis.quarantine.service.QuarantineEvents;
import io.portcullis.quarantine.repository.QuarantineRepository;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * Removes quarantine items past their area's retention (an unknown area has {@code policy}'s) from S3 and
 * PostgreSQL. One instance at a time: a PostgreSQL session advisory lock; the others skip the run.
 *
 * <p>Per item, in this order, each step idempotent, so a run that dies anywhere is finished by the next one:
 * <ol>
 *   <li><b>mark</b>: {@code purge_marked_at} is set (the durable intent; marked items are no longer listed or
 *       acted on);</li>
 *   <li><b>announce</b>: a DELETED {@link QuarantineEvent} with actor {@value #ACTOR} is published and acknowledged
 *       (per batch of marked items; skipped for items already DELETED: their DELETED event was published when they
 *       were deleted), then {@code purge_announced} is set. The mark works as an outbox: the event goes out after the mark committed and
 *       before the rows go, at least once;</li>
 *   <li><b>object</b>: deleted unless another item that is not marked still points at it (absent is fine);</li>
 *   <li><b>rows</b>: the item and its recipients are deleted.</li>
 * </ol>
 */
@ApplicationScoped
public class RetentionJob {
    /** The actor of the DELETED events retention publishes. */
    public static final String ACTOR = "retention";
    /** Advisory lock key: "portcullis quarantine retention". */
    static final long LOCK_KEY = 0x51_52_45_54_45_4e_54L;
    private static final Logger LOG = Logger.getLogger(RetentionJob.class);

    /** What a run did. {@code skipped}: another instance held the lock. */
    public record Result(boolean skipped, int marked, int announced, int objectsDeleted, int itemsDeleted) {
    }

    /** Called before each step of each item; tests throw from it to simulate a crash. */
    @FunctionalInterface
    public interface Checkpoint {
        Checkpoint NONE = (step, itemId) -> {
        };

        void before(Step step, String itemId);
    }

    /** The steps after marking. */
    public enum Step {
        ANNOUNCE, DELETE_OBJECT, DELETE_ROWS
    }

    private record Marked(String itemId, QuarantineStatus status, String bucket, String objectKey,
            boolean announced) {
    }

    private final DataSource dataSource;
    private final QuarantineRepository repository;
    private final QuarantineEventPublisher publisher;
    private final ObjectStore store;
    private final QuarantineConfig config;
    private final Clock clock = Clock.systemUTC();

    public RetentionJob(DataSource dataSource, QuarantineRepository repository, QuarantineEventPublisher publisher,
            ObjectStore store, QuarantineConfig config) {
        this.dataSource = dataSource;
        this.repository = repository;
        this.publisher = publisher;
        this.store = store;
        this.config = config;
    }

    @Scheduled(every = "${portcullis.quarantine.retention.interval}", delayed = "30s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        if (!config.retention().enabled()) {
            return;
        }
        try {
            Result result = run(clock.instant(), Checkpoint.NONE);
            if (!result.skipped() && result.itemsDeleted() + result.marked() > 0) {
                LOG.infof("retention: %d marked, %d announced, %d objects and %d items deleted", result.marked(),
                        result.announced(), result.objectsDeleted(), result.itemsDeleted());
            }
        } catch (RuntimeException e) {
            LOG.warnf("retention run failed, the next run resumes it: %s", e.toString());
        }
    }

    /** One run as of {@code now}. */
    @WithSpan("quarantine.retention")
    public Result run(Instant now, Checkpoint checkpoint) {
        try (Connection lock = dataSource.getConnection()) {
            if (!advisory(lock, "SELECT pg_try_advisory_lock(?)")) {
                return new Result(true, 0, 0, 0, 0);
            }
            try {
                int marked = mark(now);
                int[] done = new int[3];
                List<Marked> batch;
                String after = "";
                while (!(batch = marked(after)).isEmpty()) {
                    announce(batch, now, checkpoint, done);
                    for (Marked item : batch) {
                        remove(item, checkpoint, done);
                        after = item.itemId();
                    }
                }
                return new Result(false, marked, done[0], done[1], done[2]);
            } finally {
                advisory(lock, "SELECT pg_advisory_unlock(?)");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("retention: database failure: " + e.getMessage(), e);
        }
    }

    /**
     * Publishes DELETED for every not yet announced item of the batch that is not DELETED already, waits for Kafka's
     * acks, then records them as announced (all of the batch's unannounced items, in one statement).
     */
    private void announce(List<Marked> batch, Instant now, Checkpoint checkpoint, int[] done) throws SQLException {
        List<String> unannounced = new ArrayList<>();
        List<QuarantineEvent> events = new ArrayList<>();
        for (Marked item : batch) {
            if (item.announced()) {
                continue;
            }
            checkpoint.before(Step.ANNOUNCE, item.itemId());
            unannounced.add(item.itemId());
            if (item.status() != QuarantineStatus.DELETED) {
                repository.find(item.itemId())
                        .map(row -> QuarantineEvents.deleted(row, now.truncatedTo(ChronoUnit.MICROS), ACTOR))
                        .ifPresent(events::add);
            }
        }
        publisher.publishAll(events); // throws when Kafka does not ack: the items stay marked, unannounced
        done[0] += events.size();
        if (!unannounced.isEmpty()) {
            try (Connection c = dataSource.getConnection();
                    PreparedStatement s = c.prepareStatement("UPDATE quarantine.quarantined_message"
                            + " SET purge_announced = true WHERE item_id = ANY(?)")) {
                s.setArray(1, c.createArrayOf("text", unannounced.toArray()));
                s.executeUpdate();
            }
        }
    }

    private void remove(Marked item, Checkpoint checkpoint, int[] done) throws SQLException {
        checkpoint.before(Step.DELETE_OBJECT, item.itemId());
        if (!sharedWithUnmarked(item)) {
            try {
                store.delete(item.bucket(), item.objectKey());
            } catch (ObjectNotFoundException e) {
                // gone already (a crash after this step, or a DELETED event applied): fine
            }
            done[1]++;
        }
        checkpoint.before(Step.DELETE_ROWS, item.itemId());
        done[2] += update("DELETE FROM quarantine.quarantined_message WHERE item_id = ?"
                + " AND purge_marked_at IS NOT NULL", item.itemId());
    }

    /** Marks every expired, unmarked item, per area, in batches; returns how many. */
    private int mark(Instant now) throws SQLException {
        Map<String, Integer> days = new LinkedHashMap<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT name, retention_days FROM quarantine.quarantine_area");
                ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                days.put(rs.getString(1), rs.getInt(2));
            }
        }
        int fallback = days.getOrDefault(QuarantineArea.FALLBACK, 30);
        int total = 0;
        OffsetDateTime at = time(now);
        for (Map.Entry<String, Integer> area : days.entrySet()) {
            OffsetDateTime cutoff = time(now.minus(Duration.ofDays(area.getValue())));
            total += batched("UPDATE quarantine.quarantined_message SET purge_marked_at = ? WHERE item_id IN ("
                    + "SELECT item_id FROM quarantine.quarantined_message WHERE area = ? AND quarantined_at < ?"
                    + " AND purge_marked_at IS NULL LIMIT ?)", at, area.getKey(), cutoff);
        }
        try (Connection c = dataSource.getConnection()) { // areas nobody defined (any more): the fallback's retention
            String[] known = days.keySet().toArray(String[]::new);
            int n;
            do {
                try (PreparedStatement s = c.prepareStatement("UPDATE quarantine.quarantined_message"
                        + " SET purge_marked_at = ? WHERE item_id IN (SELECT item_id FROM quarantine.quarantined_message"
                        + " WHERE NOT (area = ANY(?)) AND quarantined_at < ? AND purge_marked_at IS NULL LIMIT ?)")) {
                    s.setObject(1, at);
                    s.setArray(2, c.createArrayOf("text", known));
                    s.setObject(3, time(now.minus(Duration.ofDays(fallback))));
                    s.setInt(4, config.retention().batchSize());
                    n = s.executeUpdate();
                }
                total += n;
            } while (n > 0);
        }
        return total;
    }

    private int batched(String sql, OffsetDateTime at, String area, OffsetDateTime cutoff) throws SQLException {
        int total = 0;
        int n;
        try (Connection c = dataSource.getConnection()) {
            do {
                try (PreparedStatement s = c.prepareStatement(sql)) {
                    s.setObject(1, at);
                    s.setString(2, area);
                    s.setObject(3, cutoff);
                    s.setInt(4, config.retention().batchSize());
                    n = s.executeUpdate();
                }
                total += n;
            } while (n > 0);
        }
        return total;
    }

    /** The next batch of marked items after {@code after} (item id order). */
    private List<Marked> marked(String after) throws SQLException {
        List<Marked> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT item_id, status, bucket, object_key, purge_announced"
                        + " FROM quarantine.quarantined_message WHERE purge_marked_at IS NOT NULL AND item_id > ?"
                        + " ORDER BY item_id LIMIT ?")) {
            s.setString(1, after);
            s.setInt(2, config.retention().batchSize());
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(new Marked(rs.getString(1), QuarantineStatus.valueOf(rs.getString(2)), rs.getString(3),
                            rs.getString(4), rs.getBoolean(5)));
                }
            }
        }
        return out;
    }

    private boolean sharedWithUnmarked(Marked item) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT 1 FROM quarantine.quarantined_message"
                        + " WHERE bucket = ? AND object_key = ? AND item_id <> ? AND purge_marked_at IS NULL"
                        + " AND status <> 'DELETED' LIMIT 1")) {
            s.setString(1, item.bucket());
            s.setString(2, item.objectKey());
            s.setString(3, item.itemId());
            try (ResultSet rs = s.executeQuery()) {
                return rs.next();
            }
        }
    }

    private int update(String sql, String itemId) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, itemId);
            return s.executeUpdate();
        }
    }

    private static boolean advisory(Connection c, String sql) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setLong(1, LOCK_KEY);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    private static OffsetDateTime time(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}

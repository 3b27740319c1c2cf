package io.portcullis.policy.spam;

import io.agroal.api.AgroalDataSource;
import io.portcullis.contracts.events.EventJson;
import io.portcullis.contracts.events.SpamFeedback;
import io.portcullis.contracts.events.SpamModelUpdated;
import io.portcullis.contracts.events.Topics;
import io.portcullis.policy.messaging.OutboxWritten;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The learned state in PostgreSQL (tables of V7__spam_learning.sql) and its outbox events. {@link #learn} is one
 * transaction: lock the tenant's state row, look up the message, apply the count changes, bump the sequence and write
 * the {@link SpamModelUpdated} outbox row, so the counts and the event commit together and the sequence has no gaps.
 */
@ApplicationScoped
public class SpamLearningStore {

    /** What {@link #learn} did. */
    public enum Outcome {
        /** first judgement of this message: learned */
        LEARNED,
        /** the other label was learned before: unlearned, then learned */
        REVERSED,
        /** the same label was learned before: nothing changed, no event */
        UNCHANGED
    }

    /**
     * Result of a learn.
     *
     * @param outcome  what happened
     * @param sequence the tenant's sequence after it (unchanged for {@link Outcome#UNCHANGED})
     */
    public record Result(Outcome outcome, long sequence) {
    }

    /**
     * The learned counts of one model tenant, as one consistent copy.
     *
     * @param tenant       model tenant
     * @param sequence     sequence of the last update included
     * @param spamMessages learned spam messages
     * @param hamMessages  learned ham messages
     * @param hashes       token hashes, ascending
     * @param spam         spam counts in hash order
     * @param ham          ham counts in hash order
     */
    public record Snapshot(String tenant, long sequence, int spamMessages, int hamMessages, long[] hashes, int[] spam,
            int[] ham) {
    }

    /**
     * One model tenant's summary.
     *
     * @param tenant       model tenant
     * @param sequence     sequence of its last update
     * @param spamMessages learned spam messages
     * @param hamMessages  learned ham messages
     */
    public record Summary(String tenant, long sequence, int spamMessages, int hamMessages) {
    }

    private final AgroalDataSource dataSource;
    private final Event<OutboxWritten> written;

    public SpamLearningStore(AgroalDataSource dataSource, Event<OutboxWritten> written) {
        this.dataSource = dataSource;
        this.written = written;
    }

    /** The label this message is learned with in this model tenant, if any (no lock; a hint for skipping work). */
    @Transactional
    public Optional<SpamFeedback.Label> labelOf(String modelTenant, String messageId) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT label FROM policy.spam_learned_message WHERE tenant = ? AND message_id = ?")) {
            s.setString(1, modelTenant);
            s.setString(2, messageId);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(SpamFeedback.Label.valueOf(rs.getString(1))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("spam learning: reading message " + messageId + " failed: "
                    + e.getMessage(), e);
        }
    }

    /**
     * Learns one judgement's token hashes into the model tenant, once per message: the same label again changes
     * nothing, the other label is unlearned first.
     *
     * @param hashes the message's distinct token hashes, ascending
     */
    @Transactional
    public Result learn(String modelTenant, Judgement j, long[] hashes, Instant now) {
        try (Connection c = dataSource.getConnection()) {
            State state = lockState(c, modelTenant);
            Optional<Learned> before = learnedMessage(c, modelTenant, j.messageId());
            if (before.isPresent() && before.get().label() == j.label()) {
                return new Result(Outcome.UNCHANGED, state.sequence());
            }
            Map<Long, int[]> deltas = new TreeMap<>();
            int spamMessages = 0;
            int hamMessages = 0;
            if (before.isPresent()) {
                boolean wasSpam = before.get().label() == SpamFeedback.Label.SPAM;
                unlearn(c, modelTenant, before.get().hashes(), wasSpam);
                add(deltas, before.get().hashes(), wasSpam, -1);
                spamMessages -= wasSpam ? 1 : 0;
                hamMessages -= wasSpam ? 0 : 1;
            }
            boolean spam = j.label() == SpamFeedback.Label.SPAM;
            learnCounts(c, modelTenant, hashes, spam);
            add(deltas, hashes, spam, +1);
            spamMessages += spam ? 1 : 0;
            hamMessages += spam ? 0 : 1;
            upsertMessage(c, modelTenant, j, hashes, now, before.isPresent());
            long sequence = state.sequence() + 1;
            updateState(c, modelTenant, sequence, spamMessages, hamMessages, now);
            List<SpamModelUpdated.TokenDelta> tokens = new ArrayList<>(deltas.size());
            deltas.forEach((h, d) -> {
                if (d[0] != 0 || d[1] != 0) {
                    tokens.add(new SpamModelUpdated.TokenDelta(h, d[0], d[1]));
                }
            });
            SpamModelUpdated event = new SpamModelUpdated(modelTenant, sequence, now, j.feedbackId(), j.messageId(),
                    spamMessages, hamMessages, tokens);
            outbox(c, modelTenant, EventJson.write(event), now);
            written.fire(new OutboxWritten(sequence)); // observed after commit only: publish at once
            return new Result(before.isPresent() ? Outcome.REVERSED : Outcome.LEARNED, sequence);
        } catch (SQLException e) {
            String state = e.getSQLState() == null ? "" : e.getSQLState();
            if (state.startsWith("22") || state.startsWith("23")) { // data or constraint: retrying cannot help
                throw new LearnFailure("spam learning of message " + j.messageId() + " refused by the database: "
                        + e.getMessage(), e);
            }
            throw new IllegalStateException("spam learning of message " + j.messageId() + " failed: "
                    + e.getMessage(), e);
        }
    }

    /** A consistent copy of one model tenant's learned counts (FOR SHARE on its state row; sequence 0 if none). */
    @Transactional
    public Snapshot snapshot(String modelTenant) {
        try (Connection c = dataSource.getConnection()) {
            long sequence = 0;
            int spamMessages = 0;
            int hamMessages = 0;
            try (PreparedStatement s = c.prepareStatement("SELECT sequence, spam_messages, ham_messages FROM "
                    + "policy.spam_model_state WHERE tenant = ? FOR SHARE")) {
                s.setString(1, modelTenant);
                try (ResultSet rs = s.executeQuery()) {
                    if (rs.next()) {
                        sequence = rs.getLong(1);
                        spamMessages = rs.getInt(2);
                        hamMessages = rs.getInt(3);
                    }
                }
            }
            long[] hashes = new long[1024];
            int[] spam = new int[1024];
            int[] ham = new int[1024];
            int n = 0;
            try (PreparedStatement s = c.prepareStatement("SELECT hash, spam, ham FROM policy.spam_token_count "
                    + "WHERE tenant = ? ORDER BY hash")) {
                s.setFetchSize(10_000);
                s.setString(1, modelTenant);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        if (n == hashes.length) {
                            hashes = Arrays.copyOf(hashes, n * 2);
                            spam = Arrays.copyOf(spam, n * 2);
                            ham = Arrays.copyOf(ham, n * 2);
                        }
                        hashes[n] = rs.getLong(1);
                        spam[n] = rs.getInt(2);
                        ham[n] = rs.getInt(3);
                        n++;
                    }
                }
            }
            return new Snapshot(modelTenant, sequence, spamMessages, hamMessages, Arrays.copyOf(hashes, n),
                    Arrays.copyOf(spam, n), Arrays.copyOf(ham, n));
        } catch (SQLException e) {
            throw new IllegalStateException("reading the learned counts of " + modelTenant + " failed: "
                    + e.getMessage(), e);
        }
    }

    /** Every model tenant that has learned something, by name. */
    @Transactional
    public List<Summary> summaries() {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT tenant, sequence, spam_messages, ham_messages FROM policy.spam_model_state "
                        + "WHERE sequence > 0 ORDER BY tenant");
                ResultSet rs = s.executeQuery()) {
            List<Summary> out = new ArrayList<>();
            while (rs.next()) {
                out.add(new Summary(rs.getString(1), rs.getLong(2), rs.getInt(3), rs.getInt(4)));
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("listing learned models failed: " + e.getMessage(), e);
        }
    }

    private record State(long sequence, int spamMessages, int hamMessages) {
    }

    private record Learned(SpamFeedback.Label label, long[] hashes) {
    }

    private static State lockState(Connection c, String tenant) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO policy.spam_model_state (tenant, sequence, "
                + "spam_messages, ham_messages) VALUES (?, 0, 0, 0) ON CONFLICT (tenant) DO NOTHING")) {
            s.setString(1, tenant);
            s.executeUpdate();
        }
        try (PreparedStatement s = c.prepareStatement("SELECT sequence, spam_messages, ham_messages FROM "
                + "policy.spam_model_state WHERE tenant = ? FOR UPDATE")) {
            s.setString(1, tenant);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("spam_model_state row of " + tenant + " vanished");
                }
                return new State(rs.getLong(1), rs.getInt(2), rs.getInt(3));
            }
        }
    }

    private static Optional<Learned> learnedMessage(Connection c, String tenant, String messageId)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT label, token_hashes FROM policy.spam_learned_message "
                + "WHERE tenant = ? AND message_id = ? FOR UPDATE")) {
            s.setString(1, tenant);
            s.setString(2, messageId);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                Array array = rs.getArray(2);
                Object[] values = (Object[]) array.getArray();
                long[] hashes = new long[values.length];
                for (int i = 0; i < values.length; i++) {
                    hashes[i] = ((Number) values[i]).longValue();
                }
                return Optional.of(new Learned(SpamFeedback.Label.valueOf(rs.getString(1)), hashes));
            }
        }
    }

    private static void learnCounts(Connection c, String tenant, long[] hashes, boolean spam) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO policy.spam_token_count AS t (tenant, hash, spam, "
                + "ham) SELECT ?, h, ?, ? FROM unnest(?::bigint[]) AS u(h) ON CONFLICT (tenant, hash) DO UPDATE "
                + "SET spam = t.spam + EXCLUDED.spam, ham = t.ham + EXCLUDED.ham")) {
            s.setString(1, tenant);
            s.setInt(2, spam ? 1 : 0);
            s.setInt(3, spam ? 0 : 1);
            s.setArray(4, c.createArrayOf("bigint", boxed(hashes)));
            s.executeUpdate();
        }
    }

    private static void unlearn(Connection c, String tenant, long[] hashes, boolean spam) throws SQLException {
        String column = spam ? "spam" : "ham";
        try (PreparedStatement s = c.prepareStatement("UPDATE policy.spam_token_count SET " + column
                + " = GREATEST(" + column + " - 1, 0) WHERE tenant = ? AND hash = ANY(?::bigint[])")) {
            s.setString(1, tenant);
            s.setArray(2, c.createArrayOf("bigint", boxed(hashes)));
            s.executeUpdate();
        }
        try (PreparedStatement s = c.prepareStatement("DELETE FROM policy.spam_token_count WHERE tenant = ? "
                + "AND hash = ANY(?::bigint[]) AND spam = 0 AND ham = 0")) {
            s.setString(1, tenant);
            s.setArray(2, c.createArrayOf("bigint", boxed(hashes)));
            s.executeUpdate();
        }
    }

    private static void upsertMessage(Connection c, String tenant, Judgement j, long[] hashes, Instant now,
            boolean exists) throws SQLException {
        String sql = exists
                ? "UPDATE policy.spam_learned_message SET label = ?, feedback_id = ?, source = ?, actor = ?, "
                        + "token_hashes = ?, learned_at = ? WHERE tenant = ? AND message_id = ?"
                : "INSERT INTO policy.spam_learned_message (label, feedback_id, source, actor, token_hashes, "
                        + "learned_at, tenant, message_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, j.label().name());
            s.setString(2, j.feedbackId());
            s.setString(3, j.source().name());
            s.setString(4, j.actor());
            s.setArray(5, c.createArrayOf("bigint", boxed(hashes)));
            s.setTimestamp(6, Timestamp.from(now));
            s.setString(7, tenant);
            s.setString(8, j.messageId());
            s.executeUpdate();
        }
    }

    private static void updateState(Connection c, String tenant, long sequence, int spamDelta, int hamDelta,
            Instant now) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE policy.spam_model_state SET sequence = ?, "
                + "spam_messages = spam_messages + ?, ham_messages = ham_messages + ?, updated_at = ? "
                + "WHERE tenant = ?")) {
            s.setLong(1, sequence);
            s.setInt(2, spamDelta);
            s.setInt(3, hamDelta);
            s.setTimestamp(4, Timestamp.from(now));
            s.setString(5, tenant);
            s.executeUpdate();
        }
    }

    private static void outbox(Connection c, String tenant, byte[] payload, Instant now) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO policy.outbox (topic, message_key, payload, "
                + "created_at) VALUES (?, ?, ?, ?)")) {
            s.setString(1, Topics.SPAM_MODEL);
            s.setString(2, tenant);
            s.setBytes(3, payload);
            s.setTimestamp(4, Timestamp.from(now));
            s.executeUpdate();
        }
    }

    private static void add(Map<Long, int[]> deltas, long[] hashes, boolean spam, int sign) {
        for (long h : hashes) {
            deltas.computeIfAbsent(h, k -> new int[2])[spam ? 0 : 1] += sign;
        }
    }

    private static Long[] boxed(long[] values) {
        Long[] out = new Long[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }
}

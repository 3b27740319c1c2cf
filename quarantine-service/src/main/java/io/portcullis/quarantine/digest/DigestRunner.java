package io.portcullis.quarantine.digest;

import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.portcullis.quarantine.config.QuarantineConfig;
import io.portcullis.quarantine.service.AreaService;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * Sends due digests, one node at a time (PostgreSQL session advisory lock on a connection held for the run; a crashed
 * node's lock goes with its connection). Crash-safe without double digests:
 * <ol>
 * <li>a SENDING batch found at the start was cut off by a crash: ABANDONED, never resent (its outcome is unknown);</li>
 * <li>PENDING batches (claimed, not yet sent, or refused last time) are sent;</li>
 * <li>for every address whose digest is due, its unlisted held items are claimed into a new PENDING batch (one
 * transaction; an item is listed at most once per address), then the batch goes SENDING, the mail is sent, SENT.</li>
 * </ol>
 * A refused send goes back to PENDING (FAILED after {@code max-attempts}).
 */
@ApplicationScoped
public class DigestRunner {
    private static final Logger LOG = Logger.getLogger(DigestRunner.class);
    /** Advisory lock key: "portcullis digest". */
    static final long LOCK_KEY = 0x5043_4447_5354_0001L;

    /** What a run did. */
    public record RunResult(boolean ran, int sent, int failed, int abandoned, String note) {
    }

    private final DataSource dataSource;
    private final DigestStore store;
    private final DigestMailer mailer;
    private final DigestLinkSigner signer;
    private final AreaService areas;
    private final QuarantineConfig config;
    private final Clock clock = Clock.systemUTC();

    public DigestRunner(DataSource dataSource, DigestStore store, DigestMailer mailer, DigestLinkSigner signer,
            AreaService areas, QuarantineConfig config) {
        this.dataSource = dataSource;
        this.store = store;
        this.mailer = mailer;
        this.signer = signer;
        this.areas = areas;
        this.config = config;
    }

    @Scheduled(every = "${portcullis.quarantine.digest.check-interval:15m}", delayed = "30s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        if (config.digest().enabled() && signer.configured()) {
            RunResult result = run(false);
            if (result.sent() + result.failed() + result.abandoned() > 0) {
                LOG.infof("digest run: %d sent, %d failed, %d abandoned", result.sent(), result.failed(),
                        result.abandoned());
            }
        }
    }

    /** @param force send to every address with new items now, whatever its cadence (never to one that chose off) */
    @WithSpan("quarantine.digest-run")
    public RunResult run(boolean force) {
        if (!signer.configured()) {
            return new RunResult(false, 0, 0, 0, "no digest link key configured (PORTCULLIS_DIGEST_KEY)");
        }
        try (Connection lock = dataSource.getConnection()) {
            if (!advisory(lock, "SELECT pg_try_advisory_lock(?)")) {
                return new RunResult(false, 0, 0, 0, "another node is sending digests");
            }
            try {
                return runLocked(force);
            } finally {
                advisory(lock, "SELECT pg_advisory_unlock(?)");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("digest lock: " + e.getMessage(), e);
        }
    }

    private RunResult runLocked(boolean force) {
        int abandoned = store.abandonSending();
        if (abandoned > 0) {
            LOG.warnf("%d digest(s) were cut off while sending by a crash; not resent", abandoned);
        }
        int[] counts = {0, 0};
        for (DigestStore.Batch batch : store.pending()) {
            send(batch, counts);
        }
        Instant now = clock.instant();
        DigestSchedule fallback = DigestSchedule.of(config.digest().defaultSchedule()).orElse(DigestSchedule.DAILY);
        for (Object[] candidate : store.candidates()) {
            String address = (String) candidate[0];
            DigestSchedule schedule = DigestSchedule.of((String) candidate[1]).orElse(fallback);
            Instant last = DigestStore.instant(candidate[2]);
            if (!due(schedule, last, now, force)) {
                continue;
            }
            Optional<DigestStore.Batch> batch = store.claim(address, config.digest().maxItems(), now);
            batch.ifPresent(b -> send(b, counts));
        }
        return new RunResult(true, counts[0], counts[1], abandoned, null);
    }

    /** Due when never sent, or a period ago (less one check interval, so a daily digest does not drift later). */
    boolean due(DigestSchedule schedule, Instant last, Instant now, boolean force) {
        if (schedule == DigestSchedule.OFF) {
            return false;
        }
        if (force || last == null) {
            return true;
        }
        Duration slack = config.digest().checkInterval();
        return !last.plus(schedule.every()).minus(slack).isAfter(now);
    }

    private void send(DigestStore.Batch batch, int[] counts) {
        List<DigestEntry> entries = new ArrayList<>();
        for (DigestStore.BatchItem item : store.items(batch.id())) {
            if (item.held()) {
                entries.add(new DigestEntry(item.itemId(), item.sender(), item.subject(), item.area(),
                        item.quarantinedAt(), areas.effective(item.area()).userRight));
            }
        }
        if (entries.isEmpty()) {
            store.markSent(batch.id(), null, "nothing left to list: every item was released or deleted meanwhile");
            return;
        }
        if (!store.markSending(batch.id())) {
            return;
        }
        Instant expires = clock.instant().plus(config.digest().linkTtl());
        DigestMail mail = DigestComposer.compose(batch.id(), batch.address(), entries, config.digest().publicUrl(),
                request -> signer.sign(new DigestLink(UUID.randomUUID(), request.itemId(), request.recipient(),
                        request.action(), expires)));
        try {
            mailer.send(mail);
            store.markSent(batch.id(), clock.instant(), null);
            counts[0]++;
            LOG.infof("digest %s sent: %d item(s)", batch.id(), entries.size());
        } catch (RuntimeException e) {
            store.markFailed(batch.id(), String.valueOf(e.getMessage()), config.digest().maxAttempts());
            counts[1]++;
            LOG.warnf("digest %s not sent: %s", batch.id(), e.getMessage());
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
}

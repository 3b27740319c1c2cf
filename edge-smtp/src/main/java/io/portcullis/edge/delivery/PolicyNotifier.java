package io.portcullis.edge.delivery;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.portcullis.contracts.events.Notification;
import io.portcullis.contracts.events.RecipientDecision;
import io.portcullis.contracts.events.VerdictIssued;
import io.portcullis.edge.config.EdgeConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Sends the notices a policy decision asks for ({@link Notification}), through the DSN path ({@link DsnSender}, the
 * next hop, null reverse path {@code <>}), one message per address. {@code to} is resolved: {@code sender} (the
 * envelope sender; never the null sender), {@code recipients} (the group's), {@code admin}
 * ({@code portcullis.delivery.admin-address}; skipped with a warning when unset), or addresses; each address gets
 * one notice per notification, invalid ones are skipped.
 *
 * <p>Loop guard: a message with the null sender that carries {@value NotificationBuilder#MARKER_HEADER} is one of
 * our notices; no notice is sent about it.
 *
 * <p>A notice the next hop does not take is retried like a DSN (quick phase); when it still fails, the failure is
 * logged at ERROR and counted ({@code portcullis.delivery.notifications{result=failed}}) and the verdict is still
 * acknowledged: the message's own delivery is durable by then, and failing the record would dead-letter it.
 */
@ApplicationScoped
public class PolicyNotifier {

    private static final Logger LOG = Logger.getLogger(PolicyNotifier.class);
    /** Most header bytes read to look for the loop-guard marker. */
    private static final int MARKER_SCAN_BYTES = 256 * 1024;

    private final DsnSender sender;
    /** The next hop for a notice's recipient (its route, the smart host or sink, or its MX under MX routing). */
    private final java.util.function.Function<String, NextHop> nextHop;
    private final NotificationTemplates templates;
    private final NotificationBuilder builder;
    private final Optional<String> adminAddress;
    private final BodyLoader bodies;
    private final RetryPolicy retry;
    private final Clock clock;
    private final ExecutorService pool;
    private final Counter sent;
    private final Counter failed;
    private final Counter skipped;

    @Inject
    public PolicyNotifier(DsnSender sender, DeliveryTarget target, NotificationTemplates templates,
            BodyLoader bodies, EdgeConfig config, MeterRegistry registry) {
        this(sender, target::forRecipient, templates,
                new NotificationBuilder(postmaster(config.delivery().dsnFrom()), config.delivery().heloName()),
                adminAddress(config.delivery().adminAddress()), bodies,
                new RetryPolicy(config.delivery().retryInitialDelay(), config.delivery().retryMaxDelay(),
                        config.delivery().maxAttempts()),
                registry, Clock.systemUTC());
    }

    public PolicyNotifier(DsnSender sender, Supplier<NextHop> nextHop, NotificationTemplates templates,
            NotificationBuilder builder, Optional<String> adminAddress, BodyLoader bodies, RetryPolicy retry,
            MeterRegistry registry, Clock clock) {
        this(sender, recipient -> nextHop.get(), templates, builder, adminAddress, bodies, retry, registry, clock);
    }

    public PolicyNotifier(DsnSender sender, java.util.function.Function<String, NextHop> nextHop,
            NotificationTemplates templates, NotificationBuilder builder, Optional<String> adminAddress,
            BodyLoader bodies, RetryPolicy retry, MeterRegistry registry, Clock clock) {
        this.sender = sender;
        this.nextHop = nextHop;
        this.templates = templates;
        this.builder = builder;
        this.adminAddress = adminAddress;
        this.bodies = bodies;
        this.retry = retry;
        this.clock = clock;
        this.pool = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "portcullis-notifier");
            t.setDaemon(true);
            return t;
        });
        this.sent = counter(registry, "sent");
        this.failed = counter(registry, "failed");
        this.skipped = counter(registry, "skipped");
    }

    private static Counter counter(MeterRegistry registry, String result) {
        return Counter.builder("portcullis.delivery.notifications")
                .description("Policy notices, by result")
                .tag("result", result)
                .register(registry);
    }

    /** {@code postmaster@<domain of the DSN sender>}, the From of notices. */
    static String postmaster(String dsnFrom) {
        int at = dsnFrom == null ? -1 : dsnFrom.lastIndexOf('@');
        String domain = at < 0 ? "localhost" : dsnFrom.substring(at + 1).strip();
        return "postmaster@" + (domain.isEmpty() ? "localhost" : domain);
    }

    /** The configured admin address, checked: a bad one fails start-up. */
    static Optional<String> adminAddress(Optional<String> configured) {
        Optional<String> value = configured.map(String::strip).filter(s -> !s.isEmpty());
        if (value.isPresent() && !NotificationBuilder.validAddress(value.get())) {
            throw new IllegalArgumentException("portcullis.delivery.admin-address is not a plain address: "
                    + value.get());
        }
        return value;
    }

    @PreDestroy
    void stop() {
        pool.shutdownNow();
    }

    /**
     * Sends every notice the group asks for. Completes when each was accepted or given up on (see the class
     * comment); never exceptionally.
     */
    @WithSpan("portcullis.delivery.notify")
    public CompletableFuture<Void> notify(VerdictIssued verdict, RecipientDecision group) {
        if (group.notifications().isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        Span.current().setAttribute("portcullis.message_id", verdict.messageId());
        String mailFrom = verdict.envelope().mailFrom() == null ? "" : verdict.envelope().mailFrom();
        return CompletableFuture.supplyAsync(() -> mailFrom.isEmpty() && isNotice(verdict), Context.taskWrapping(pool))
                .thenCompose(isNotice -> {
                    if (isNotice) {
                        LOG.infof("message %s: is a Portcullis notice (null sender, %s); no notice about it",
                                verdict.messageId(), NotificationBuilder.MARKER_HEADER);
                        skipped.increment();
                        return CompletableFuture.completedFuture(null);
                    }
                    List<CompletableFuture<Void>> all = new ArrayList<>();
                    for (Notification n : group.notifications()) {
                        NotificationTemplate template = templates.find(n.template());
                        Map<String, String> values = values(verdict, group, n);
                        for (String to : resolve(verdict.messageId(), mailFrom, group, n)) {
                            DeliveryStatusNotification notice = builder.build(to, template, values,
                                    verdict.messageId(), clock.instant());
                            all.add(send(verdict.messageId(), notice, 1));
                        }
                    }
                    return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));
                })
                .exceptionally(e -> {
                    LOG.errorf("message %s: policy notices not sent: %s", verdict.messageId(), e.toString());
                    failed.increment();
                    return null;
                });
    }

    /** The addresses a notification goes to, deduplicated, invalid ones dropped. */
    List<String> resolve(String messageId, String mailFrom, RecipientDecision group, Notification n) {
        Set<String> out = new LinkedHashSet<>();
        for (String target : n.to()) {
            if (target == null) {
                continue;
            }
            switch (target.strip().toLowerCase(Locale.ROOT)) {
                case "sender" -> {
                    if (mailFrom.isEmpty()) {
                        LOG.debugf("message %s: null sender, no sender notice", messageId);
                    } else {
                        add(out, messageId, mailFrom);
                    }
                }
                case "recipients" -> group.recipients().forEach(r -> add(out, messageId, r));
                case "admin" -> {
                    if (adminAddress.isEmpty()) {
                        LOG.warnf("message %s: rule %s asks to notify the admin, but "
                                + "portcullis.delivery.admin-address is not set; skipped", messageId, n.ruleId());
                        skipped.increment();
                    } else {
                        add(out, messageId, adminAddress.get());
                    }
                }
                default -> add(out, messageId, target.strip());
            }
        }
        return List.copyOf(out);
    }

    private void add(Set<String> out, String messageId, String address) {
        if (NotificationBuilder.validAddress(address)) {
            out.add(address);
        } else {
            LOG.warnf("message %s: notice address is not a plain address; skipped", messageId);
            skipped.increment();
        }
    }

    private static Map<String, String> values(VerdictIssued v, RecipientDecision group, Notification n) {
        String mailFrom = v.envelope().mailFrom();
        return Map.of(
                "messageId", v.messageId(),
                "sender", mailFrom == null || mailFrom.isEmpty() ? "<>" : mailFrom,
                "recipients", String.join(", ", group.recipients()),
                "subject", v.subject() == null ? "" : v.subject(),
                "rule", n.ruleId() != null ? n.ruleId() : group.ruleId() != null ? group.ruleId() : "",
                "action", group.action() == null ? "" : group.action().name());
    }

    /** Whether the message's header block carries the loop-guard marker. */
    private boolean isNotice(VerdictIssued v) {
        if (v.body() == null) {
            return false;
        }
        try (InputStream in = bodies.open(v.body())) {
            byte[] header = HeaderBlock.read(in, MARKER_SCAN_BYTES).header();
            String text = new String(header, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
            String marker = NotificationBuilder.MARKER_HEADER.toLowerCase(Locale.ROOT);
            return text.startsWith(marker + ":") || text.contains("\n" + marker + ":");
        } catch (IOException | RuntimeException e) {
            LOG.warnf("message %s: header unavailable for the notice loop guard (%s); treating it as a notice",
                    v.messageId(), e.toString());
            return true;
        }
    }

    private CompletableFuture<Void> send(String messageId, DeliveryStatusNotification notice, int attempt) {
        CompletableFuture<String> result;
        try {
            result = sender.send(nextHop.apply(notice.envelopeRecipient()), notice).toCompletableFuture();
        } catch (RuntimeException e) {
            result = CompletableFuture.failedFuture(e);
        }
        return result.handle((reply, error) -> {
            if (error == null) {
                sent.increment();
                LOG.infof("message %s: policy notice sent", messageId);
                return CompletableFuture.<Void>completedFuture(null);
            }
            if (!retry.mayRetryAfter(attempt)) {
                failed.increment();
                LOG.errorf("message %s: policy notice not accepted after %d attempts: %s", messageId, attempt,
                        error.getMessage());
                return CompletableFuture.<Void>completedFuture(null);
            }
            Duration delay = retry.delayAfter(attempt);
            return CompletableFuture.runAsync(() -> { },
                            CompletableFuture.delayedExecutor(delay.toMillis(), TimeUnit.MILLISECONDS, pool))
                    .thenCompose(v -> send(messageId, notice, attempt + 1));
        }).thenCompose(f -> f);
    }
}

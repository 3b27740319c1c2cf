package io.portcullis.edge.smtp.session;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import io.portcullis.contracts.events.Envelope;
import io.portcullis.edge.smtp.AcceptedMessage;
import io.portcullis.edge.smtp.RecipientVerdict;
import io.portcullis.edge.smtp.RefusedRecipient;
import io.portcullis.edge.smtp.SmtpLimits;
import io.portcullis.edge.smtp.command.SmtpCommand;
import io.portcullis.edge.smtp.protocol.CommandLineReader;
import io.portcullis.edge.smtp.protocol.DataReader;
import io.portcullis.edge.smtp.protocol.MailParameters;
import io.portcullis.edge.smtp.protocol.ReceivedHeader;
import io.portcullis.edge.smtp.protocol.SmtpReplies;
import io.portcullis.edge.smtp.protocol.SmtpReply;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jboss.logging.Logger;

/**
 * One SMTP connection. Everything here runs on the connection's Vert.x event loop; the only asynchronous steps are
 * recipient validation at RCPT, the sink after DATA and the TLS handshake, during which input is held (or, for TLS,
 * discarded).
 *
 * <p>Input is kept in one byte array and handed either to a {@link CommandLineReader} (bounded, strict CRLF) or,
 * after 354, to a {@link DataReader}. Commands are executed one at a time in order, which is all PIPELINING needs.
 * Memory per connection is bounded by the command line limit, {@value #MAX_HELD_INPUT} bytes of held input (the
 * socket is paused beyond that) and the message size limit.
 */
public final class SmtpSession {

    /** Longest command line without CRLF (RFC 5321 section 4.5.3.1.4). */
    public static final int MAX_COMMAND_LINE = 512;
    /** Longest MAIL/RCPT line, leaving room for ESMTP parameters (RFC 5321 section 4.5.3.1.4 allows extensions). */
    public static final int MAX_PARAMETER_LINE = 2048;
    /** Input held while a command waits for the sink; the socket is paused beyond it. */
    public static final int MAX_HELD_INPUT = 64 * 1024;

    private static final Logger LOG = Logger.getLogger(SmtpSession.class);

    private final SessionServices services;
    private final NetSocket socket;
    private final Context context;
    private final String clientIp;
    private final String sessionId;
    private final Runnable onClosed;
    private final CommandLineReader lineReader = new CommandLineReader(MAX_PARAMETER_LINE);

    private byte[] input = new byte[4096];
    private int inputStart;
    private int inputEnd;
    private SmtpState state = SmtpState.CONNECTED;
    private String helo;
    private boolean extended;
    private boolean tls;
    private SmtpTransaction transaction;
    private DataReader dataReader;
    private boolean paused;
    private int consecutiveErrors;
    private int rcptCount;
    private long timerId = -1;
    /** A RCPT waits for recipient validation: input is held (not a state: the dialogue stays in MAIL or RCPT). */
    private boolean validating;

    /**
     * @param onClosed called once when the connection is gone (connection accounting)
     */
    public SmtpSession(SessionServices services, NetSocket socket, Context context, String clientIp,
            Runnable onClosed) {
        this.services = services;
        this.socket = socket;
        this.context = context;
        this.clientIp = clientIp;
        this.sessionId = services.queueIds().next();
        this.onClosed = onClosed;
    }

    /** Sends the greeting and starts reading. */
    public void start() {
        socket.handler(this::onData);
        socket.closeHandler(v -> onSocketClosed());
        socket.exceptionHandler(e -> LOG.debugf("client=%s connection error: %s", clientIp, e.toString()));
        socket.drainHandler(v -> process());
        LOG.debugf("client=%s session=%s connected", clientIp, sessionId);
        Optional<SmtpReply> refusal = gate(true);
        if (refusal.isPresent()) {
            LOG.infof("client=%s session=%s refused at connect reply=%s", clientIp, sessionId, refusal.get());
            closeWith(refusal.get());
            return;
        }
        write(SmtpReplies.greeting(services.options().hostname()));
        armTimer(limits().commandTimeout());
    }

    // ---- what commands use -------------------------------------------------------------------------------------

    public SmtpState state() {
        return state;
    }

    public SmtpLimits limits() {
        return services.options().limits();
    }

    public String hostname() {
        return services.options().hostname();
    }

    public String clientIp() {
        return clientIp;
    }

    /** STARTTLS is configured and not active yet. */
    public boolean tlsAvailable() {
        return services.options().tls().isPresent() && !tls;
    }

    public boolean isTls() {
        return tls;
    }

    /** The current transaction, or null outside MAIL/RCPT/DATA. */
    public SmtpTransaction transaction() {
        return transaction;
    }

    /** Relay control: whether mail for this (lower-case) domain is accepted. */
    public boolean acceptsDomain(String domain) {
        return services.policy().acceptsDomain(domain);
    }

    /** This connection's id (unique per server): with {@link #nextRcptNumber()} it names a RCPT. */
    public String sessionId() {
        return sessionId;
    }

    /** Numbers every RCPT command of the connection, from 1. */
    public int nextRcptNumber() {
        return ++rcptCount;
    }

    /** The client gate at RCPT: a reply refusing every recipient of this client, or empty. */
    public Optional<SmtpReply> clientRefusalAtRecipient() {
        return gate(false);
    }

    /** Relay control and recipient validation for one recipient. */
    public RecipientVerdict checkRecipient(String address, String domain) {
        return services.policy().check(address, domain);
    }

    /** A policy rule's refusal of this recipient at RCPT (see {@link RecipientRules}), or empty. */
    public Optional<String> policyRejection(String address) {
        return services.hooks().rules().rejection(transaction().mailFrom(), address);
    }

    /** Whether recipient validation is on (see {@link #validateRecipient}). */
    public boolean validatesRecipients() {
        return services.hooks().validator().active();
    }

    /**
     * Asks recipient validation about an address relay control accepted and gives the verdict to {@code then} on
     * this connection's event loop. A cached (already complete) answer is given at once; otherwise the connection's
     * further input (pipelined commands) is held until the answer arrives, so one connection never has more than one
     * validation running. A failed validation is {@link RecipientVerdict#UNAVAILABLE}. Nothing is called when the
     * connection closed meanwhile.
     */
    public void validateRecipient(String address, String domain,
            java.util.function.Consumer<RecipientVerdict> then) {
        CompletableFuture<RecipientVerdict> answer;
        try {
            answer = services.hooks().validator().validate(address, domain).toCompletableFuture();
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        if (answer.isDone()) {
            then.accept(verdictOf(answer));
            return;
        }
        validating = true;
        CompletableFuture<RecipientVerdict> pending = answer;
        pending.whenComplete((v, e) -> context.runOnContext(x -> {
            if (!validating) {
                return;
            }
            validating = false;
            if (state == SmtpState.CLOSED) {
                return;
            }
            then.accept(verdictOf(pending));
            process();
        }));
    }

    private RecipientVerdict verdictOf(CompletableFuture<RecipientVerdict> answer) {
        try {
            RecipientVerdict verdict = answer.getNow(null);
            return verdict == null ? RecipientVerdict.UNAVAILABLE : verdict;
        } catch (RuntimeException e) {
            LOG.debugf("client=%s session=%s recipient validation failed: %s", clientIp, sessionId, e.toString());
            return RecipientVerdict.UNAVAILABLE;
        }
    }

    /**
     * Replies to a RCPT refused by relay control or validation and tells the refusal listener (which can never
     * change the dialogue: its failures are logged and ignored).
     */
    public void refuseRecipient(int rcptNumber, String domain, RecipientVerdict verdict, SmtpReply refusal) {
        reply(refusal);
        try {
            services.hooks().refusals().refused(new RefusedRecipient(sessionId, rcptNumber, clientIp, domain,
                    verdict, refusal.code(), services.options().clock().instant()));
        } catch (RuntimeException e) {
            LOG.warnf("client=%s session=%s refusal listener failed: %s", clientIp, sessionId, e.toString());
        }
    }

    /** EHLO/HELO: abandons any transaction and records the client's name. */
    public void hello(String name, boolean isExtended) {
        abandonTransaction("hello");
        this.helo = name;
        this.extended = isExtended;
        this.state = SmtpState.GREETED;
    }

    /** RSET (and every end of a transaction): back to GREETED, or CONNECTED before any EHLO/HELO. */
    public void resetTransaction() {
        abandonTransaction("reset");
        state = helo == null ? SmtpState.CONNECTED : SmtpState.GREETED;
    }

    /** MAIL FROM accepted: a new transaction with a new queue id and span. */
    public SmtpTransaction beginTransaction(String mailFrom, MailParameters parameters) {
        String queueId = services.queueIds().next();
        Span span = services.options().tracer().spanBuilder("smtp transaction").setSpanKind(SpanKind.SERVER)
                .setAttribute("portcullis.message_id", queueId).setAttribute("smtp.tls", tls).startSpan();
        transaction = new SmtpTransaction(queueId, mailFrom, parameters, span);
        state = SmtpState.MAIL;
        return transaction;
    }

    /** RCPT TO accepted. */
    public void addRecipient(String address) {
        transaction.addRecipient(address);
        state = SmtpState.RCPT;
    }

    /** DATA accepted: 354 and switch the input to the message reader. */
    public void beginData() {
        dataReader = new DataReader(limits().maxMessageBytes());
        state = SmtpState.DATA;
        reply(SmtpReplies.START_MAIL_INPUT);
        armTimer(limits().dataTimeout());
    }

    /**
     * STARTTLS accepted: 220, discard everything the client sent after the command (CVE-2011-0411), upgrade, and
     * start over in CONNECTED so the client must EHLO again.
     */
    public void startTls() {
        state = SmtpState.TLS_HANDSHAKE;
        inputStart = inputEnd; // pipelined plaintext after STARTTLS is never executed
        lineReader.clear();
        armTimer(limits().commandTimeout()); // bounds the handshake
        socket.write(Buffer.buffer(SmtpReplies.READY_TO_START_TLS.bytes())).onComplete(written -> {
            if (written.failed() || state != SmtpState.TLS_HANDSHAKE) {
                close();
                return;
            }
            inputStart = inputEnd; // whatever arrived while 220 was being written
            setPaused(false); // the handshake needs reads
            socket.upgradeToSsl(upgraded -> {
                if (state != SmtpState.TLS_HANDSHAKE) {
                    return;
                }
                if (upgraded.failed()) {
                    LOG.debugf("client=%s TLS handshake failed: %s", clientIp, upgraded.cause().toString());
                    close();
                    return;
                }
                tls = true;
                helo = null;
                extended = false;
                transaction = null;
                inputStart = inputEnd;
                lineReader.clear();
                state = SmtpState.CONNECTED;
                LOG.debugf("client=%s TLS established", clientIp);
                armTimer(limits().commandTimeout());
                process();
            });
        });
    }

    /** QUIT: 221 and close. */
    public void quit() {
        write(SmtpReplies.BYE);
        close();
    }

    /**
     * Sends a reply. Error replies count towards {@link SmtpLimits#maxConsecutiveErrors()}; reaching it sends 421 and
     * closes. Any other reply resets the count.
     */
    public void reply(SmtpReply reply) {
        if (state == SmtpState.CLOSED) {
            return;
        }
        write(reply);
        if (!reply.isError()) {
            consecutiveErrors = 0;
        } else if (++consecutiveErrors >= limits().maxConsecutiveErrors()) {
            LOG.infof("client=%s too many errors, closing", clientIp);
            closeWith(SmtpReplies.TOO_MANY_ERRORS);
        }
    }

    private Optional<SmtpReply> gate(boolean atConnect) {
        try {
            Optional<SmtpReply> refusal = atConnect ? services.hooks().gate().atConnect(clientIp)
                    : services.hooks().gate().atRecipient(clientIp);
            return refusal == null ? Optional.empty() : refusal;
        } catch (RuntimeException e) {
            LOG.warnf("client=%s session=%s client gate failed, letting the client in: %s", clientIp, sessionId,
                    e.toString());
            return Optional.empty();
        }
    }

    // ---- input ---------------------------------------------------------------------------------------------------

    private void onData(Buffer buffer) {
        if (state == SmtpState.CLOSED || state == SmtpState.TLS_HANDSHAKE) {
            return; // during the handshake only plaintext sent before it can arrive here: discard
        }
        append(buffer);
        if (state == SmtpState.DATA) {
            armTimer(limits().dataTimeout());
        }
        process();
    }

    private void append(Buffer buffer) {
        int length = buffer.length();
        if (inputStart == inputEnd) {
            inputStart = 0;
            inputEnd = 0;
        }
        if (inputEnd + length > input.length) {
            int held = inputEnd - inputStart;
            if (held + length <= input.length && inputStart > 0) {
                System.arraycopy(input, inputStart, input, 0, held);
            } else {
                byte[] bigger = new byte[Math.max(input.length * 2, held + length)];
                System.arraycopy(input, inputStart, bigger, 0, held);
                input = bigger;
            }
            inputStart = 0;
            inputEnd = held;
        }
        buffer.getBytes(0, length, input, inputEnd);
        inputEnd += length;
    }

    /** Runs commands and message bytes from the held input until it is empty or something asynchronous starts. */
    private void process() {
        while (inputStart < inputEnd && readingInput()) {
            if (socket.writeQueueFull()) {
                break; // the client does not read its replies; the drain handler resumes
            }
            if (state == SmtpState.DATA) {
                inputStart = dataReader.feed(input, inputStart, inputEnd);
                if (dataReader.isDone()) {
                    finishData();
                }
            } else {
                inputStart = lineReader.feed(input, inputStart, inputEnd);
                CommandLineReader.Line line = lineReader.takeLine();
                if (line != null) {
                    handleLine(line);
                }
            }
        }
        if (input.length > 4 * MAX_HELD_INPUT && inputEnd - inputStart < 4096) {
            input = Arrays.copyOfRange(input, inputStart, inputStart + 4096);
            inputEnd -= inputStart;
            inputStart = 0;
        }
        boolean held = inputEnd - inputStart >= MAX_HELD_INPUT;
        setPaused(state != SmtpState.CLOSED && (socket.writeQueueFull() || held && !readingInput()));
    }

    private boolean readingInput() {
        return !validating && state != SmtpState.QUEUEING && state != SmtpState.TLS_HANDSHAKE
                && state != SmtpState.CLOSED;
    }

    private void setPaused(boolean pause) {
        if (pause != paused) {
            paused = pause;
            if (pause) {
                socket.pause();
            } else {
                socket.resume();
            }
        }
    }

    private void handleLine(CommandLineReader.Line line) {
        armTimer(limits().commandTimeout());
        switch (line.problem()) {
            case TOO_LONG -> {
                reply(SmtpReplies.LINE_TOO_LONG);
                return;
            }
            case BARE_LINE_ENDING -> {
                reply(SmtpReplies.BARE_LINE_ENDING);
                return;
            }
            default -> {
            }
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(line.bytes())).toString();
        } catch (CharacterCodingException e) {
            reply(SmtpReplies.INVALID_CHARACTERS);
            return;
        }
        if (text.chars().anyMatch(c -> c < 32 || c == 127)) {
            reply(SmtpReplies.INVALID_CHARACTERS);
            return;
        }
        int space = text.indexOf(' ');
        String verb = (space < 0 ? text : text.substring(0, space)).toUpperCase(Locale.ROOT);
        String argument = space < 0 ? "" : text.substring(space + 1).strip();
        if (line.bytes().length > MAX_COMMAND_LINE && !verb.equals("MAIL") && !verb.equals("RCPT")) {
            reply(SmtpReplies.LINE_TOO_LONG);
            return;
        }
        SmtpCommand command = services.commands().find(verb);
        if (command == null) {
            reply(SmtpReplies.UNKNOWN_COMMAND);
            return;
        }
        command.execute(this, argument);
    }

    // ---- end of DATA ---------------------------------------------------------------------------------------------

    private void finishData() {
        DataReader reader = dataReader;
        dataReader = null;
        SmtpTransaction tx = transaction;
        armTimer(limits().commandTimeout());
        if (reader.hasBareLineEnding()) {
            finishTransaction(tx, SmtpReplies.BARE_LINE_ENDING_IN_DATA, "bare CR or LF in DATA");
            return;
        }
        if (reader.isOversized()) {
            finishTransaction(tx, SmtpReplies.MESSAGE_TOO_BIG, "message too big");
            return;
        }
        Instant receivedAt = services.options().clock().instant();
        boolean utf8 = tx.parameters().smtpUtf8();
        byte[] header = ReceivedHeader.render(helo, clientIp, hostname(), extended, tls, utf8, tx.queueId(),
                tx.recipients(), receivedAt).getBytes(StandardCharsets.UTF_8);
        byte[] bytes = new byte[header.length + reader.size()];
        System.arraycopy(header, 0, bytes, 0, header.length);
        reader.copyTo(bytes, header.length);
        Envelope envelope = new Envelope(tx.mailFrom(), tx.recipients(), helo, clientIp, tls);
        AcceptedMessage message = new AcceptedMessage(tx.queueId(), envelope, receivedAt, bytes,
                io.opentelemetry.context.Context.root().with(tx.span()));
        tx.span().setAttribute("smtp.size", bytes.length).setAttribute("smtp.recipients", tx.recipientCount());

        state = SmtpState.QUEUEING;
        cancelTimer();
        boolean[] settled = {false};
        Duration sinkTimeout = limits().sinkTimeout();
        long sinkTimer = services.vertx().setTimer(sinkTimeout.toMillis(), t -> {
            if (!settled[0]) {
                settled[0] = true;
                LOG.warnf("%s client=%s sink did not answer within %s", tx.queueId(), clientIp, sinkTimeout);
                afterSink(tx, null, new java.util.concurrent.TimeoutException("sink timeout"), bytes.length);
            }
        });
        CompletionStage<String> stage;
        try (Scope ignored = tx.span().makeCurrent()) {
            stage = services.sink().accept(message);
        } catch (RuntimeException e) {
            stage = CompletableFuture.failedFuture(e);
        }
        stage.whenComplete((id, error) -> context.runOnContext(v -> {
            if (!settled[0]) {
                settled[0] = true;
                services.vertx().cancelTimer(sinkTimer);
                afterSink(tx, id, error, bytes.length);
            }
        }));
    }

    private void afterSink(SmtpTransaction tx, String id, Throwable error, int size) {
        if (state == SmtpState.CLOSED) {
            LOG.infof("%s client=%s connection closed before the sink answered (%s)", tx.queueId(), clientIp,
                    error == null ? "queued" : "not queued");
            endSpan(tx, error == null ? StatusCode.OK : StatusCode.ERROR, "connection closed");
            return;
        }
        transaction = tx;
        state = SmtpState.RCPT;
        if (error != null) {
            LOG.warnf("%s client=%s trace=%s not queued: %s", tx.queueId(), clientIp, traceId(tx), error.toString());
            tx.span().recordException(error);
            finishTransaction(tx, SmtpReplies.NOT_QUEUED, "sink failed");
        } else {
            LOG.infof("%s client=%s trace=%s queued size=%d rcpts=%d tls=%s reply=250", tx.queueId(), clientIp,
                    traceId(tx), size, tx.recipientCount(), tls);
            endSpan(tx, StatusCode.OK, null);
            transaction = null;
            state = SmtpState.GREETED;
            reply(SmtpReplies.queued(id == null ? tx.queueId() : id));
        }
        armTimer(limits().commandTimeout());
        process();
    }

    private void finishTransaction(SmtpTransaction tx, SmtpReply reply, String why) {
        LOG.infof("%s client=%s refused reply=%s (%s)", tx.queueId(), clientIp, reply, why);
        endSpan(tx, StatusCode.ERROR, why);
        transaction = null;
        state = SmtpState.GREETED;
        reply(reply);
    }

    private void abandonTransaction(String why) {
        if (transaction != null) {
            endSpan(transaction, StatusCode.UNSET, why);
            transaction = null;
        }
        dataReader = null;
    }

    private static void endSpan(SmtpTransaction tx, StatusCode status, String description) {
        if (status != StatusCode.UNSET) {
            tx.span().setStatus(status, description == null ? "" : description);
        } else if (description != null) {
            tx.span().setAttribute("smtp.abandoned", description);
        }
        tx.span().end();
    }

    // ---- timers and closing --------------------------------------------------------------------------------------

    private void armTimer(Duration timeout) {
        cancelTimer();
        if (state == SmtpState.CLOSED) {
            return;
        }
        timerId = services.vertx().setTimer(timeout.toMillis(), id -> {
            timerId = -1;
            if (state != SmtpState.CLOSED && state != SmtpState.QUEUEING) {
                LOG.infof("client=%s timeout in %s, closing", clientIp, state);
                closeWith(SmtpReplies.TIMEOUT);
            }
        });
    }

    private void cancelTimer() {
        if (timerId >= 0) {
            services.vertx().cancelTimer(timerId);
            timerId = -1;
        }
    }

    private void write(SmtpReply reply) {
        socket.write(Buffer.buffer(reply.bytes()));
    }

    private void closeWith(SmtpReply reply) {
        if (state == SmtpState.CLOSED) {
            return;
        }
        write(reply);
        close();
    }

    /** Closes after the replies written so far are flushed. */
    public void close() {
        if (state == SmtpState.CLOSED) {
            return;
        }
        SmtpState was = state;
        state = SmtpState.CLOSED;
        cancelTimer();
        if (was != SmtpState.QUEUEING) {
            abandonTransaction("closed");
        }
        inputStart = inputEnd;
        socket.end().onComplete(v -> socket.close());
    }

    /** Server shutdown (any thread): 421 to an idle connection, plain close otherwise, on the session's loop. */
    public void shutdown() {
        context.runOnContext(v -> {
            if (state == SmtpState.CONNECTED || state == SmtpState.GREETED) {
                closeWith(SmtpReplies.SHUTTING_DOWN);
            } else {
                close();
            }
        });
    }

    private void onSocketClosed() {
        if (state != SmtpState.CLOSED) {
            SmtpState was = state;
            state = SmtpState.CLOSED;
            cancelTimer();
            if (was != SmtpState.QUEUEING) {
                abandonTransaction("client went away");
            }
        }
        LOG.debugf("client=%s disconnected", clientIp);
        onClosed.run();
    }

    /**
     * The transaction's trace id, written into the log line itself: the session runs on an event loop that the
     * OpenTelemetry MDC integration does not reach, and every log line must carry the trace id.
     */
    private static String traceId(SmtpTransaction tx) {
        return tx.span().getSpanContext().isValid() ? tx.span().getSpanContext().getTraceId() : "-";
    }
}

package io.portcullis.edge.smtp.session;

import io.portcullis.edge.smtp.MessageSink;
import io.portcullis.edge.smtp.QueueIdGenerator;
import io.portcullis.edge.smtp.RecipientPolicy;
import io.portcullis.edge.smtp.SmtpHooks;
import io.portcullis.edge.smtp.SmtpServerOptions;
import io.portcullis.edge.smtp.command.CommandRegistry;
import io.vertx.core.Vertx;

/**
 * What every session of one server shares.
 *
 * @param vertx     the Vert.x instance (timers)
 * @param options   listener options and limits
 * @param policy    relay control
 * @param sink      where complete messages go
 * @param commands  the verbs
 * @param queueIds  queue id source (also the session ids)
 * @param hooks     client gate and refused-recipient listener
 */
public record SessionServices(Vertx vertx, SmtpServerOptions options, RecipientPolicy policy, MessageSink sink,
        CommandRegistry commands, QueueIdGenerator queueIds, SmtpHooks hooks) {
}

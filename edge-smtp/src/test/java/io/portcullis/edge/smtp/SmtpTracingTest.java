package io.portcullis.edge.smtp;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** One span per transaction, with the queue id, handed to the sink for propagation. */
class SmtpTracingTest {

    @Test
    void transactionSpanCarriesTheQueueIdAndReachesTheSink() throws Exception {
        List<SpanData> finished = new CopyOnWriteArrayList<>();
        SpanExporter exporter = new SpanExporter() {
            @Override
            public CompletableResultCode export(Collection<SpanData> spans) {
                finished.addAll(spans);
                return CompletableResultCode.ofSuccess();
            }

            @Override
            public CompletableResultCode flush() {
                return CompletableResultCode.ofSuccess();
            }

            @Override
            public CompletableResultCode shutdown() {
                return CompletableResultCode.ofSuccess();
            }
        };
        try (SdkTracerProvider provider = SdkTracerProvider.builder()
                .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
                ServerHarness harness = new ServerHarness(ServerHarness.options(ServerHarness.testLimits())
                        .withTracer(provider.get("test")));
                SmtpTestClient c = harness.connect()) {
            c.command("EHLO c");
            c.command("MAIL FROM:<a@remote.test>");
            c.command("RCPT TO:<u@example.com>");
            c.command("DATA");
            c.send("x\r\n.\r\n");
            assertEquals(250, c.reply().code());
            AcceptedMessage m = harness.sink.messages.get(0);
            SpanContext handed = Span.fromContext(m.traceContext()).getSpanContext();
            assertTrue(handed.isValid());
            await().atMost(Duration.ofSeconds(5)).until(() -> !finished.isEmpty());
            SpanData span = finished.get(0);
            assertEquals(handed.getTraceId(), span.getTraceId());
            assertEquals(m.queueId(), span.getAttributes().get(AttributeKey.stringKey("portcullis.message_id")));
        }
    }
}

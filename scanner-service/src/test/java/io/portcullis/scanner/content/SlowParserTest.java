package io.portcullis.scanner.content;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.portcullis.scanner.content.MessageText.PartText;
import io.portcullis.scanner.content.MessageText.Status;
import io.portcullis.scanner.mime.DecompositionLimits;
import io.portcullis.scanner.mime.MessageDecomposer;
import io.portcullis.scanner.support.TestMessages;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.mime.MediaType;
import org.apache.tika.parser.ParseContext;
import org.apache.tika.parser.Parser;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xml.sax.ContentHandler;

/** Parsers that sleep or never return: TIMEOUT values within the budgets, a pool that stays usable, no hang. */
class SlowParserTest {
    private static final Duration HANG = Duration.ofSeconds(60);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final CountDownLatch release = new CountDownLatch(1);
    private TextExtractor extractor;

    @AfterEach
    void close() {
        release.countDown();
        if (extractor != null) {
            extractor.close();
        }
    }

    /** Sleeps (interruptibly) far longer than any limit. */
    private static final class SleepingParser implements Parser {
        @Override
        public Set<MediaType> getSupportedTypes(ParseContext context) {
            return Set.of(MediaType.TEXT_PLAIN, MediaType.application("pdf"));
        }

        @Override
        public void parse(InputStream stream, ContentHandler handler, Metadata metadata, ParseContext context) {
            try {
                Thread.sleep(TimeUnit.MINUTES.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Ignores interruption until the test releases it: a parser that never returns. */
    private final class StuckParser implements Parser {
        @Override
        public Set<MediaType> getSupportedTypes(ParseContext context) {
            return Set.of(MediaType.TEXT_PLAIN, MediaType.application("pdf"));
        }

        @Override
        public void parse(InputStream stream, ContentHandler handler, Metadata metadata, ParseContext context) {
            while (true) {
                try {
                    if (release.await(10, TimeUnit.SECONDS)) {
                        return;
                    }
                } catch (InterruptedException e) {
                    // ignored on purpose, like a parser stuck in a loop
                }
            }
        }
    }

    private static byte[] threeAttachments() {
        StringBuilder m = new StringBuilder("From: <a@example.net>\nSubject: slow\nMIME-Version: 1.0\n"
                + "Content-Type: multipart/mixed; boundary=\"b\"\n\n");
        for (int i = 1; i <= 3; i++) {
            m.append("--b\nContent-Type: text/plain; name=\"").append(i).append(".txt\"\n\nwords of ").append(i)
                    .append("\n");
        }
        return TestMessages.crlf(m.append("--b--\n").toString());
    }

    private TextExtractor extractor(TextLimits limits, Parser parser) {
        extractor = new TextExtractor(new MessageDecomposer(DecompositionLimits.DEFAULTS), limits, parser, registry);
        return extractor;
    }

    @Test
    void sleepingParserGivesTimeoutWithinTheAttachmentLimit() {
        TextLimits limits = new TextLimits(1000, 10_000, 1 << 20, Duration.ofMillis(300), Duration.ofSeconds(20), 5,
                100, 2, 8);
        TextExtractor x = extractor(limits, new SleepingParser());
        MessageText text = assertTimeoutPreemptively(HANG, () -> x.extract("m1", TestMessages.withAttachment(
                "a.txt", "some words".getBytes(StandardCharsets.UTF_8))));
        PartText part = text.attachments().get(0);
        assertEquals(Status.TIMEOUT, part.status(), part.toString());
        assertEquals("no text after 300 ms", part.reason());
        assertEquals(Status.TIMEOUT, text.body().get(0).status());
        assertTrue(text.unscannable().contains(part));
        // the sleeping parse was interrupted: no thread stays abandoned
        Awaitility.await().atMost(HANG).until(() -> x.abandonedRunning() == 0);
    }

    @Test
    void messageBudgetStopsLaterParts() {
        TextLimits limits = new TextLimits(1000, 10_000, 1 << 20, Duration.ofSeconds(30), Duration.ofMillis(400), 5,
                100, 2, 8);
        TextExtractor x = extractor(limits, new SleepingParser());
        MessageText text = assertTimeoutPreemptively(HANG, () -> x.extract("m1", threeAttachments()));
        assertEquals(3, text.attachments().size());
        text.attachments().forEach(p -> assertEquals(Status.TIMEOUT, p.status(), p.toString()));
        assertTrue(text.attachments().get(2).reason().startsWith("message time budget"),
                text.attachments().get(2).reason());
        assertTrue(text.limits().stream().anyMatch(l -> l.startsWith("message time budget")), text.limits().toString());
    }

    @Test
    void parserThatNeverReturnsIsAbandonedAndCounted() {
        TextLimits limits = new TextLimits(1000, 10_000, 1 << 20, Duration.ofMillis(200), Duration.ofSeconds(20), 5,
                100, 1, 1);
        TextExtractor x = extractor(limits, new StuckParser());
        MessageText text = assertTimeoutPreemptively(HANG, () -> x.extract("m1", threeAttachments()));
        for (PartText p : text.attachments()) {
            assertEquals(Status.TIMEOUT, p.status(), p.toString());
        }
        assertEquals(1, x.abandonedRunning());
        assertTrue(registry.get("portcullis.scanner.text.abandoned").counter().count() >= 1);
        assertEquals(1.0, registry.get("portcullis.scanner.text.abandoned.running").gauge().value());
        release.countDown();
        Awaitility.await().atMost(HANG).until(() -> x.abandonedRunning() == 0);
    }

    @Test
    void fullPoolRefusesAtOnceAsFailed() {
        TextLimits limits = new TextLimits(1000, 10_000, 1 << 20, Duration.ofMillis(200), Duration.ofSeconds(20), 5,
                100, 1, 0);
        TextExtractor x = extractor(limits, new StuckParser());
        MessageText text = assertTimeoutPreemptively(HANG, () -> x.extract("m1", threeAttachments()));
        assertEquals(Status.TIMEOUT, text.attachments().get(0).status());
        PartText refused = text.attachments().get(1);
        assertEquals(Status.FAILED, refused.status(), refused.toString());
        assertEquals("extraction busy: no parser thread free", refused.reason());
    }
}

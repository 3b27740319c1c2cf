package io.portcullis.scanner.content;

import io.portcullis.scanner.config.ScannerConfig;
import java.time.Duration;

/**
 * Bounds of one message's text extraction (keys under {@code portcullis.scanner.text}, see {@link ScannerConfig.Text}).
 *
 * @param maxAttachmentChars characters kept per body part or attachment (Tika's write limit)
 * @param maxMessageChars    characters kept per message, all parts together
 * @param maxAttachmentBytes bytes of one part handed to Tika
 * @param attachmentTimeout  time for one part
 * @param messageTimeout     time for the whole message
 * @param maxDepth           deepest item or embedded document extracted
 * @param maxEmbedded        attachments, entries and embedded documents extracted per message
 * @param threads            parser threads
 * @param queue              parses waiting for a thread
 */
public record TextLimits(int maxAttachmentChars, int maxMessageChars, long maxAttachmentBytes,
        Duration attachmentTimeout, Duration messageTimeout, int maxDepth, int maxEmbedded, int threads, int queue) {

    /** The documented defaults (same as ScannerConfig's). */
    public static final TextLimits DEFAULTS = new TextLimits(1_000_000, 4_000_000, 10L * 1024 * 1024,
            Duration.ofSeconds(10), Duration.ofSeconds(30), 5, 200, 2, 32);

    public TextLimits {
        require("max-attachment-chars", maxAttachmentChars > 0, maxAttachmentChars);
        require("max-message-chars", maxMessageChars > 0, maxMessageChars);
        require("max-attachment-bytes", maxAttachmentBytes > 0 && maxAttachmentBytes < Integer.MAX_VALUE - 16,
                maxAttachmentBytes);
        positive("attachment-timeout", attachmentTimeout);
        positive("message-timeout", messageTimeout);
        require("max-depth", maxDepth >= 1, maxDepth);
        require("max-embedded", maxEmbedded >= 1, maxEmbedded);
        require("threads", threads >= 1, threads);
        require("queue", queue >= 0, queue);
    }

    /** @throws IllegalStateException naming the first bad key */
    public static TextLimits from(ScannerConfig.Text c) {
        return new TextLimits(c.maxAttachmentChars(), c.maxMessageChars(), c.maxAttachmentBytes(),
                c.attachmentTimeout(), c.messageTimeout(), c.maxDepth(), c.maxEmbedded(), c.threads(), c.queue());
    }

    private static void require(String key, boolean ok, long value) {
        if (!ok) {
            throw new IllegalStateException("portcullis.scanner.text." + key + " is out of range: " + value);
        }
    }

    private static void positive(String key, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalStateException("portcullis.scanner.text." + key + " must be positive: " + value);
        }
    }
}

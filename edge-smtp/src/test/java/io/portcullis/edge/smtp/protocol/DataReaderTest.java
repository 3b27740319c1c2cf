package io.portcullis.edge.smtp.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class DataReaderTest {

    private static final String SMUGGLED = "MAIL FROM:<evil@attacker.test>\r\nRCPT TO:<victim@example.com>\r\nDATA\r\n"
            + "From: ceo@example.com\r\n\r\nsmuggled\r\n";

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Feeds everything at once; returns the reader and asserts how much was consumed. */
    private static DataReader readAll(byte[] input, long max, int expectedConsumed) {
        DataReader reader = new DataReader(max);
        int consumed = reader.feed(input, 0, input.length);
        assertEquals(expectedConsumed, consumed, "bytes consumed");
        return reader;
    }

    /** Feeds one byte at a time and returns the index right after the end (or -1). */
    private static int endByteByByte(DataReader reader, byte[] input) {
        for (int i = 0; i < input.length; i++) {
            int next = reader.feed(input, i, i + 1);
            if (reader.isDone()) {
                assertEquals(i + 1, next);
                return next;
            }
            assertEquals(i + 1, next);
        }
        return -1;
    }

    @Test
    void endsAtCrLfDotCrLfAndKeepsTheFinalLineEnding() {
        byte[] in = ascii("Subject: hi\r\n\r\nbody\r\n.\r\nQUIT\r\n");
        DataReader reader = readAll(in, 1000, in.length - "QUIT\r\n".length());
        assertTrue(reader.isDone());
        assertFalse(reader.hasBareLineEnding());
        assertFalse(reader.isOversized());
        assertEquals("Subject: hi\r\n\r\nbody\r\n", new String(reader.message(), StandardCharsets.ISO_8859_1));
    }

    @Test
    void emptyMessageIsJustTheDotLine() {
        DataReader reader = readAll(ascii(".\r\n"), 100, 3);
        assertTrue(reader.isDone());
        assertEquals(0, reader.size());
    }

    @Test
    void unstuffsLeadingDots() {
        byte[] in = ascii("..\r\n...x\r\n.y\r\na.b\r\n.\r\n");
        DataReader reader = readAll(in, 1000, in.length);
        assertEquals(".\r\n..x\r\ny\r\na.b\r\n", new String(reader.message(), StandardCharsets.ISO_8859_1));
        assertFalse(reader.hasBareLineEnding());
    }

    @Test
    void dotNotAtLineStartIsContent() {
        byte[] in = ascii("a.\r\nb\r\n.\r\n");
        DataReader reader = readAll(in, 1000, in.length);
        assertEquals("a.\r\nb\r\n", new String(reader.message(), StandardCharsets.ISO_8859_1));
    }

    @Test
    void keepsEveryOtherByteValueUnchanged() {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (int b = 0; b < 256; b++) {
            if (b != '\r' && b != '\n' && b != '.') {
                body.write(b);
            }
        }
        byte[] content = body.toByteArray();
        ByteArrayOutputStream in = new ByteArrayOutputStream();
        in.writeBytes(content);
        in.writeBytes(ascii("\r\n.\r\n"));
        DataReader reader = readAll(in.toByteArray(), 1000, in.size());
        byte[] expected = new byte[content.length + 2];
        System.arraycopy(content, 0, expected, 0, content.length);
        expected[content.length] = '\r';
        expected[content.length + 1] = '\n';
        assertArrayEquals(expected, reader.message());
    }

    static Stream<Arguments> smugglingEndings() {
        return Stream.of(Arguments.of("LF.LF", "\n.\n"), Arguments.of("LF.CRLF", "\n.\r\n"),
                Arguments.of("CR.CRLF", "\r.\r\n"), Arguments.of("CRLF.LF", "\r\n.\n"),
                Arguments.of("CRLF.CR", "\r\n.\r"), Arguments.of("CR.CR", "\r.\r"), Arguments.of("LF.CR", "\n.\r"),
                Arguments.of("CRLF.CRCRLF", "\r\n.\r\r\n"),
                Arguments.of("LF.LF after CRLF", "\r\n\n.\n"), Arguments.of("CRLF.NUL CRLF", "\r\n.\0\r\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("smugglingEndings")
    void smugglingEndingNeverEndsData(String name, String ending) {
        String wire = "Subject: x\r\n\r\nhello" + ending + SMUGGLED + ".\r\n";
        byte[] in = ascii(wire);
        DataReader whole = readAll(in, 100_000, in.length);
        assertTrue(whole.isDone(), "ends at the real end only");
        boolean bare = !ending.equals("\r\n.\0\r\n");
        assertEquals(bare, whole.hasBareLineEnding(), "bare CR/LF flagged");

        DataReader bytewise = new DataReader(100_000);
        assertEquals(in.length, endByteByByte(bytewise, in), "byte-by-byte ends at the real end only");
        assertEquals(bare, bytewise.hasBareLineEnding());
    }

    @Test
    void crBeforeARealCrLfDotCrLfEndsThereButRefusesTheMessage() {
        // "<CR><CR><LF>.<CR><LF>" contains a genuine <CRLF>.<CRLF>: every compliant server ends there, so it is no
        // smuggling vector; the stray CR still makes the message unacceptable
        byte[] in = ascii("hello\r\r\n.\r\nMAIL FROM:<x@y.test>\r\n");
        DataReader reader = readAll(in, 1000, 11);
        assertTrue(reader.isDone());
        assertTrue(reader.hasBareLineEnding());
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\nb\r\n.\r\n", "a\rb\r\n.\r\n", "a\r\r\n.\r\n", "\n.\r\n.\r\n", "x\r\n\n.\r\n.\r\n",
        "x\r\n.\n\r\n.\r\n", "x\r\n.a\rb\r\n.\r\n"})
    void rejectsBareCarriageReturnOrLineFeedInData(String wire) {
        byte[] in = ascii(wire);
        DataReader reader = readAll(in, 1000, in.length);
        assertTrue(reader.isDone());
        assertTrue(reader.hasBareLineEnding());
    }

    @Test
    void splitAtEveryBytePositionGivesTheSameResult() {
        byte[] in = ascii("From: a@b\r\n\r\n..dot\r\nline\r\n.x\r\n\r\n.\r\nNOOP\r\n");
        DataReader reference = new DataReader(1000);
        int end = reference.feed(in, 0, in.length);
        for (int split = 0; split <= in.length; split++) {
            DataReader reader = new DataReader(1000);
            int first = reader.feed(in, 0, split);
            int consumed = reader.isDone() ? first : reader.feed(in, first, in.length);
            assertEquals(end, consumed, "split at " + split);
            assertArrayEquals(reference.message(), reader.message(), "split at " + split);
        }
        DataReader bytewise = new DataReader(1000);
        assertEquals(end, endByteByByte(bytewise, in));
        assertArrayEquals(reference.message(), bytewise.message());
        assertEquals("From: a@b\r\n\r\n.dot\r\nline\r\nx\r\n\r\n", new String(reference.message(),
                StandardCharsets.ISO_8859_1));
    }

    @Test
    void oversizedMessageIsDiscardedToTheEndWithBoundedMemory() {
        ByteArrayOutputStream in = new ByteArrayOutputStream();
        for (int i = 0; i < 10_000; i++) {
            in.writeBytes(ascii("0123456789012345678901234567890123456789\r\n"));
        }
        in.writeBytes(ascii(".\r\nQUIT\r\n"));
        byte[] bytes = in.toByteArray();
        DataReader reader = new DataReader(1024);
        int consumed = 0;
        while (!reader.isDone() && consumed < bytes.length) { // in 1000-byte chunks like a socket
            consumed = reader.feed(bytes, consumed, Math.min(bytes.length, consumed + 1000));
        }
        assertTrue(reader.isDone());
        assertEquals(bytes.length - 6, consumed);
        assertTrue(reader.isOversized());
        assertEquals(1024, reader.size());
        assertTrue(reader.capacity() <= 1024, "never allocates beyond the limit");
    }

    @Test
    void messageOfExactlyTheLimitIsNotOversized() {
        byte[] in = ascii("12345678\r\n.\r\n");
        DataReader reader = readAll(in, 10, in.length);
        assertFalse(reader.isOversized());
        assertEquals(10, reader.size());
    }

    @Test
    void longLinesAreContentNotErrors() {
        String longLine = "x".repeat(100_000);
        byte[] in = ascii(longLine + "\r\n.\r\n");
        DataReader reader = readAll(in, 200_000, in.length);
        assertFalse(reader.hasBareLineEnding());
        assertEquals(100_002, reader.size());
    }

    @Test
    void feedAfterDoneConsumesNothing() {
        byte[] in = ascii(".\r\nMAIL");
        DataReader reader = readAll(in, 10, 3);
        assertEquals(3, reader.feed(in, 3, in.length));
    }
}

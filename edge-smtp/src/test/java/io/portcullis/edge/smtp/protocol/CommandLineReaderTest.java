package io.portcullis.edge.smtp.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.edge.smtp.protocol.CommandLineReader.Line;
import io.portcullis.edge.smtp.protocol.CommandLineReader.Problem;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CommandLineReaderTest {

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static List<Line> lines(CommandLineReader reader, byte[] in, int chunk) {
        List<Line> out = new ArrayList<>();
        int pos = 0;
        while (pos < in.length) {
            int end = Math.min(in.length, pos + chunk);
            int next = reader.feed(in, pos, end);
            Line line = reader.takeLine();
            if (line != null) {
                out.add(line);
            }
            pos = next;
        }
        return out;
    }

    private static String text(Line line) {
        return new String(line.bytes(), StandardCharsets.ISO_8859_1);
    }

    @Test
    void readsPipelinedCrLfLinesOneAtATime() {
        CommandLineReader reader = new CommandLineReader(100);
        byte[] in = ascii("EHLO a\r\nMAIL FROM:<>\r\n");
        int next = reader.feed(in, 0, in.length);
        assertEquals(8, next, "stops right after the first line");
        Line first = reader.takeLine();
        assertEquals("EHLO a", text(first));
        assertEquals(Problem.NONE, first.problem());
        assertNull(reader.takeLine());
        assertEquals(in.length, reader.feed(in, next, in.length));
        assertEquals("MAIL FROM:<>", text(reader.takeLine()));
    }

    @Test
    void byteByByteGivesTheSameLines() {
        byte[] in = ascii("EHLO a\r\nNOOP\r\nQUIT\r\n");
        List<Line> lines = lines(new CommandLineReader(100), in, 1);
        assertEquals(List.of("EHLO a", "NOOP", "QUIT"), lines.stream().map(CommandLineReaderTest::text).toList());
        assertTrue(lines.stream().allMatch(l -> l.problem() == Problem.NONE));
    }

    @ParameterizedTest
    @ValueSource(strings = {"NOOP\n", "NO\rOP\r\n", "NOOP\r\r\n", "\rNOOP\r\n", "NOOP\n\r\n"})
    void rejectsBareLineFeedOrCarriageReturnInCommands(String wire) {
        List<Line> lines = lines(new CommandLineReader(100), ascii(wire), 1);
        assertEquals(Problem.BARE_LINE_ENDING, lines.get(0).problem());
    }

    @Test
    void overLongLineIsDiscardedWithBoundedMemoryAndTheNextLineWorks() {
        CommandLineReader reader = new CommandLineReader(512);
        byte[] in = ascii("NOOP " + "x".repeat(100_000) + "\r\nQUIT\r\n");
        int pos = 0;
        List<Line> out = new ArrayList<>();
        while (pos < in.length) {
            pos = reader.feed(in, pos, Math.min(in.length, pos + 4096));
            assertTrue(reader.buffered() <= 512);
            Line line = reader.takeLine();
            if (line != null) {
                out.add(line);
            }
        }
        assertEquals(Problem.TOO_LONG, out.get(0).problem());
        assertEquals("QUIT", text(out.get(1)));
        assertEquals(Problem.NONE, out.get(1).problem());
    }

    @Test
    void lineOfExactlyTheLimitIsFine() {
        List<Line> lines = lines(new CommandLineReader(10), ascii("0123456789\r\n01234567890\r\n"), 3);
        assertEquals(Problem.NONE, lines.get(0).problem());
        assertEquals(Problem.TOO_LONG, lines.get(1).problem());
    }

    @Test
    void clearForgetsAPartialLine() {
        CommandLineReader reader = new CommandLineReader(100);
        byte[] in = ascii("MAIL FROM:<x@y>");
        reader.feed(in, 0, in.length);
        reader.clear();
        byte[] next = ascii("EHLO b\r\n");
        reader.feed(next, 0, next.length);
        assertEquals("EHLO b", text(reader.takeLine()));
    }
}

package io.portcullis.edge.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SmtpDataOutputStreamTest {

    private static String wire(String content) throws IOException {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        SmtpDataOutputStream data = new SmtpDataOutputStream(sink);
        data.write(content.getBytes(StandardCharsets.ISO_8859_1));
        data.finish();
        return sink.toString(StandardCharsets.ISO_8859_1);
    }

    @Test
    void canonicalMessagePassesThroughWithTerminator() throws IOException {
        assertEquals("A: b\r\n\r\nbody\r\n.\r\n", wire("A: b\r\n\r\nbody\r\n"));
    }

    @Test
    void emptyMessageIsJustTheTerminator() throws IOException {
        assertEquals(".\r\n", wire(""));
    }

    @Test
    void normalizesBareLineFeedAndBareCarriageReturn() throws IOException {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        SmtpDataOutputStream data = new SmtpDataOutputStream(sink);
        data.write("a\nb\rc\r\n.d\r".getBytes(StandardCharsets.ISO_8859_1));
        data.finish();
        assertEquals("a\r\nb\r\nc\r\n..d\r\n.\r\n", sink.toString(StandardCharsets.ISO_8859_1));
        assertEquals(3, data.bareLineEnds());
    }

    @Test
    void stuffsADotAfterABareLineFeed() throws IOException {
        assertEquals("x\r\n..\r\n.\r\n", wire("x\n.\n"));
    }

    @Test
    void crlfSplitAcrossWritesIsOneLineEnd() throws IOException {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        SmtpDataOutputStream data = new SmtpDataOutputStream(sink);
        data.write("x\r".getBytes(StandardCharsets.ISO_8859_1));
        data.write("\n.y".getBytes(StandardCharsets.ISO_8859_1));
        data.finish();
        assertEquals("x\r\n..y\r\n.\r\n", sink.toString(StandardCharsets.ISO_8859_1));
        assertEquals(0, data.bareLineEnds());
    }
}

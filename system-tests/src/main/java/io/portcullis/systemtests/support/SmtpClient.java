package io.portcullis.systemtests.support;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A deliberately raw SMTP client for tests and the load generator: it writes exactly the bytes it is given,
 * so tests can send malformed and hostile input that a real client library would refuse to produce.
 */
public final class SmtpClient implements Closeable {
    private static final Pattern QUEUED = Pattern.compile("queued as ([A-Za-z0-9_-]+)");

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    /** One (possibly multi-line) SMTP reply. */
    public record Reply(int code, List<String> lines) {
        public String text() {
            return String.join("\n", lines);
        }

        /** The queue id from a "250 ... queued as ID" reply, or null. */
        public String queueId() {
            Matcher m = QUEUED.matcher(text());
            return m.find() ? m.group(1) : null;
        }

        @Override
        public String toString() {
            return text();
        }
    }

    public SmtpClient(String host, int port, int timeoutMillis) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress(host, port), timeoutMillis);
        socket.setSoTimeout(timeoutMillis);
        socket.setTcpNoDelay(true);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    public static SmtpClient connect(String host, int port) throws IOException {
        return new SmtpClient(host, port, 60_000);
    }

    /** Reads the greeting. */
    public Reply greeting() throws IOException {
        return read();
    }

    /** Sends one command line (CRLF appended) and reads its reply. */
    public Reply command(String line) throws IOException {
        writeRaw((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        return read();
    }

    public void writeRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Reads one reply, following continuation lines ("250-..."). */
    public Reply read() throws IOException {
        List<String> lines = new ArrayList<>();
        while (true) {
            String line = readLine();
            if (line == null) {
                throw new IOException("connection closed by server" + (lines.isEmpty() ? "" : " after " + lines));
            }
            lines.add(line);
            if (line.length() < 4 || line.charAt(3) != '-') {
                int code;
                try {
                    code = Integer.parseInt(line.substring(0, Math.min(3, line.length())));
                } catch (NumberFormatException e) {
                    throw new IOException("not an SMTP reply: " + line);
                }
                return new Reply(code, lines);
            }
        }
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                byte[] bytes = buf.toByteArray();
                int len = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, len, StandardCharsets.UTF_8);
            }
            buf.write(b);
        }
        return buf.size() == 0 ? null : buf.toString(StandardCharsets.UTF_8);
    }

    /**
     * Runs a whole transaction. The message must use CRLF line endings; dot-stuffing is applied here.
     *
     * @return the reply to the end of DATA (or the first failing reply)
     */
    public Reply send(String from, List<String> to, byte[] message) throws IOException {
        Reply r = command("MAIL FROM:<" + from + ">");
        if (r.code() != 250) {
            return r;
        }
        boolean anyRecipient = false;
        for (String rcpt : to) {
            r = command("RCPT TO:<" + rcpt + ">");
            if (r.code() == 250) {
                anyRecipient = true;
            }
        }
        if (!anyRecipient) {
            command("RSET");
            return r;
        }
        r = command("DATA");
        if (r.code() != 354) {
            return r;
        }
        writeRaw(dotStuff(message));
        writeRaw(".\r\n".getBytes(StandardCharsets.US_ASCII));
        return read();
    }

    /** Doubles a leading dot on every line and makes sure the data ends with CRLF. */
    public static byte[] dotStuff(byte[] message) {
        ByteArrayOutputStream o = new ByteArrayOutputStream(message.length + 64);
        boolean lineStart = true;
        for (byte b : message) {
            if (lineStart && b == '.') {
                o.write('.');
            }
            o.write(b);
            lineStart = b == '\n';
        }
        if (message.length < 2 || message[message.length - 2] != '\r' || message[message.length - 1] != '\n') {
            o.write('\r');
            o.write('\n');
        }
        return o.toByteArray();
    }

    public boolean isClosedByPeer() {
        try {
            socket.setSoTimeout(2000);
            return in.read() == -1;
        } catch (IOException e) {
            return true;
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing
        }
    }
}

package io.portcullis.edge.smtp;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/** A raw SMTP client for tests: writes exactly the bytes given, reads replies line by line. */
public final class SmtpTestClient implements Closeable {

    /** One reply. */
    public record Reply(int code, List<String> lines) {
        public String text() {
            return String.join("\n", lines);
        }

        @Override
        public String toString() {
            return text();
        }
    }

    private final Socket plain;
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    public SmtpTestClient(int port) throws IOException {
        plain = new Socket("127.0.0.1", port);
        plain.setSoTimeout(5000);
        use(plain);
    }

    private void use(Socket s) throws IOException {
        socket = s;
        in = s.getInputStream();
        out = s.getOutputStream();
    }

    public void send(String text) throws IOException {
        sendRaw(text.getBytes(StandardCharsets.UTF_8));
    }

    public void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Sends a line with CRLF and reads the reply. */
    public Reply command(String line) throws IOException {
        send(line + "\r\n");
        return reply();
    }

    public void setTimeout(int millis) throws IOException {
        socket.setSoTimeout(millis);
    }

    /** Reads one (possibly multi-line) reply; fails on EOF. */
    public Reply reply() throws IOException {
        List<String> lines = new ArrayList<>();
        while (true) {
            String line = readLine();
            if (line == null) {
                throw new IOException("connection closed; lines so far: " + lines);
            }
            if (line.length() < 4) {
                throw new IOException("malformed reply line: " + line);
            }
            lines.add(line);
            if (line.charAt(3) == ' ') {
                return new Reply(Integer.parseInt(line.substring(0, 3)), lines);
            }
        }
    }

    /** Whether the server closed the connection (reads until EOF or timeout). */
    public boolean closedByServer() throws IOException {
        try {
            return in.read() == -1;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset
        }
    }

    /** Whether nothing arrives within the socket timeout. */
    public boolean silentFor(int millis) throws IOException {
        int old = socket.getSoTimeout();
        socket.setSoTimeout(millis);
        try {
            return in.read() == -2;
        } catch (SocketTimeoutException e) {
            return true;
        } finally {
            socket.setSoTimeout(old);
        }
    }

    /** Starts TLS on the connection, trusting any certificate. */
    public SSLSocket startTls() throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, new SecureRandom());
        SSLSocket ssl = (SSLSocket) context.getSocketFactory().createSocket(plain, "localhost", plain.getPort(), true);
        ssl.setUseClientMode(true);
        ssl.setSoTimeout(5000);
        ssl.startHandshake();
        use(ssl);
        return ssl;
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            int b = in.read();
            if (b == -1) {
                return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
            }
            if (b == '\n') {
                String s = line.toString(StandardCharsets.UTF_8);
                if (!s.endsWith("\r")) {
                    throw new IOException("server sent a bare LF: " + s);
                }
                return s.substring(0, s.length() - 1);
            }
            line.write(b);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
        plain.close();
    }
}

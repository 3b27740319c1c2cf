package io.portcullis.edge.delivery;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A scripted SMTP server for tests: answers each command from a configurable script, records every command
 * and the raw DATA bytes (still dot-stuffed) of every transaction, serves connections one after another.
 */
final class FakeSmtpServer implements AutoCloseable {

    /** What the fake answers; every reply may be multi-line (lines separated by CRLF, no final CRLF). */
    static final class Script {
        String greeting = "220 fake.example ESMTP";
        boolean silent;
        String ehlo = "250-fake.example hello\r\n250-SIZE 10485760\r\n250-8BITMIME\r\n250 HELP";
        String helo = "250 fake.example";
        String startTls = "454 4.7.0 TLS not available";
        SSLContext tls;
        String mail = "250 2.1.0 Ok";
        Function<String, String> rcpt = address -> "250 2.1.5 Ok";
        String data = "354 End data with <CR><LF>.<CR><LF>";
        String endOfData = "250 2.0.0 Ok: queued as FAKE1";
        /** Replies after DATA, one per transaction, before {@link #endOfData} is used. */
        final java.util.Queue<String> endOfDataSequence = new java.util.concurrent.ConcurrentLinkedQueue<>();
        boolean silentAfterData;
    }

    /** One connection as the fake saw it. */
    static final class Session {
        final List<String> commands = Collections.synchronizedList(new ArrayList<>());
        final List<byte[]> data = Collections.synchronizedList(new ArrayList<>());
        volatile boolean tls;
    }

    private final ServerSocket server;
    private final Script script;
    private final Thread thread;
    final List<Session> sessions = Collections.synchronizedList(new ArrayList<>());

    FakeSmtpServer(Script script) throws IOException {
        this(script, InetAddress.getLoopbackAddress(), 0);
    }

    /** Listens on a given address and port (MX tests: several servers on one port, 127.0.0.2, 127.0.0.3...). */
    FakeSmtpServer(Script script, InetAddress address, int port) throws IOException {
        this.script = script;
        this.server = new ServerSocket(port, 50, address);
        this.thread = new Thread(this::serve, "fake-smtp");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    NextHop hop() {
        return new NextHop(server.getInetAddress().getHostAddress(), server.getLocalPort());
    }

    int port() {
        return server.getLocalPort();
    }

    /** DATA transactions the server saw (whatever it answered). */
    int transactions() {
        synchronized (sessions) {
            return sessions.stream().mapToInt(s -> s.data.size()).sum();
        }
    }

    Session lastSession() {
        synchronized (sessions) {
            return sessions.get(sessions.size() - 1);
        }
    }

    private void serve() {
        while (!server.isClosed()) {
            try (Socket socket = server.accept()) {
                Session session = new Session();
                sessions.add(session);
                handle(socket, session);
            } catch (SocketException e) {
                return;
            } catch (IOException e) {
                // the client went away; serve the next one
            }
        }
    }

    private void handle(Socket socket, Session session) throws IOException {
        if (script.silent) {
            socket.getInputStream().read();
            return;
        }
        InputStream in = new BufferedInputStream(socket.getInputStream());
        OutputStream out = socket.getOutputStream();
        reply(out, script.greeting);
        while (true) {
            String line = readLine(in);
            if (line == null) {
                return;
            }
            session.commands.add(line);
            String verb = line.split(" ", 2)[0].toUpperCase(Locale.ROOT);
            switch (verb) {
                case "EHLO" -> reply(out, script.ehlo);
                case "HELO" -> reply(out, script.helo);
                case "STARTTLS" -> {
                    if (script.tls == null) {
                        reply(out, script.startTls);
                    } else {
                        reply(out, "220 2.0.0 Ready to start TLS");
                        SSLSocket ssl = (SSLSocket) script.tls.getSocketFactory()
                                .createSocket(socket, "localhost", socket.getPort(), true);
                        ssl.setUseClientMode(false);
                        ssl.startHandshake();
                        session.tls = true;
                        in = new BufferedInputStream(ssl.getInputStream());
                        out = ssl.getOutputStream();
                    }
                }
                case "MAIL" -> reply(out, script.mail);
                case "RCPT" -> {
                    String address = line.substring(line.indexOf('<') + 1, line.lastIndexOf('>'));
                    reply(out, script.rcpt.apply(address));
                }
                case "DATA" -> {
                    reply(out, script.data);
                    if (script.data.startsWith("354")) {
                        session.data.add(readData(in));
                        if (script.silentAfterData) {
                            in.read();
                            return;
                        }
                        String next = script.endOfDataSequence.poll();
                        reply(out, next != null ? next : script.endOfData);
                    }
                }
                case "QUIT" -> {
                    reply(out, "221 2.0.0 Bye");
                    return;
                }
                case "RSET", "NOOP" -> reply(out, "250 2.0.0 Ok");
                default -> reply(out, "502 5.5.2 Error: command not recognized");
            }
        }
    }

    /** Raw DATA content up to (not including) the ".CRLF" of the CRLF.CRLF terminator. */
    static byte[] readData(InputStream in) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int[] last = new int[5];
        long n = 0;
        int b;
        while ((b = in.read()) >= 0) {
            buf.write(b);
            last[(int) (n++ % 5)] = b;
            if (n == 3 && last[0] == '.' && last[1] == '\r' && last[2] == '\n') {
                return new byte[0];
            }
            if (n >= 5 && b == '\n' && last[(int) ((n - 2) % 5)] == '\r' && last[(int) ((n - 3) % 5)] == '.'
                    && last[(int) ((n - 4) % 5)] == '\n' && last[(int) ((n - 5) % 5)] == '\r') {
                byte[] a = buf.toByteArray();
                return java.util.Arrays.copyOf(a, a.length - 3);
            }
        }
        throw new IOException("connection closed inside DATA");
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                String s = buf.toString(StandardCharsets.UTF_8);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            buf.write(b);
        }
        return null;
    }

    private static void reply(OutputStream out, String reply) throws IOException {
        out.write((reply + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}

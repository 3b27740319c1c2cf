package io.portcullis.scanner.engine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A minimal clamd client speaking the NUL-delimited ({@code z}-prefixed) protocol over TCP or a UNIX socket, one
 * command per connection (clamd closes the connection after its reply).
 *
 * <p>Every request has one deadline covering connect, send and the whole reply (a server dripping bytes cannot
 * stretch it), and a reply is read up to {@link #maxReplyBytes} only. Sockets are non-blocking with a selector, so
 * the deadline holds for both socket families and an interrupt ends the request at once.
 *
 * <p>Failures are exceptions: {@link SocketTimeoutException} for the deadline, {@link ClamdException} for a reply
 * that is an ERROR, garbage, truncated or too long, any other {@link IOException} for the connection. Thread-safe
 * (no shared state besides the immutable settings).
 */
public final class ClamdClient {
    /** Bytes per INSTREAM chunk (clamd accepts any chunk up to its StreamMaxLength). */
    static final int CHUNK = 64 * 1024;
    /** Default cap of one reply: plenty for several FOUND lines of an all-match scan. */
    static final int DEFAULT_MAX_REPLY_BYTES = 16 * 1024;
    /** Longest signature name or error text taken from a reply. */
    static final int MAX_TEXT = 512;

    private static final byte[] INSTREAM = "zINSTREAM\0".getBytes(StandardCharsets.US_ASCII);

    private final Address address;
    private final Duration timeout;
    private final int maxReplyBytes;

    public ClamdClient(Address address, Duration timeout) {
        this(address, timeout, DEFAULT_MAX_REPLY_BYTES);
    }

    ClamdClient(Address address, Duration timeout, int maxReplyBytes) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive");
        }
        this.address = address;
        this.timeout = timeout;
        this.maxReplyBytes = maxReplyBytes;
    }

    public Address address() {
        return address;
    }

    public Duration timeout() {
        return timeout;
    }

    /** A reply that is not a usable answer: an ERROR, garbage, a truncated or an over-long reply. */
    public static final class ClamdException extends IOException {
        public ClamdException(String message) {
            super(message);
        }
    }

    /**
     * Where clamd listens, parsed from {@code tcp:host:port} or {@code unix:/absolute/path}. A TCP host name is
     * resolved on every connection (clamd may move), not at parse time.
     */
    public record Address(String text, String host, int port, String socketPath) {

        /** @throws IllegalArgumentException saying what is wrong with {@code text} */
        public static Address parse(String text) {
            if (text == null || text.isBlank()) {
                throw new IllegalArgumentException("empty; expected tcp:host:port or unix:/path");
            }
            String t = text.strip();
            if (t.startsWith("unix:")) {
                String path = t.substring(5);
                if (!path.startsWith("/")) {
                    throw new IllegalArgumentException("unix socket path must be absolute: '" + text + "'");
                }
                if (path.getBytes(StandardCharsets.UTF_8).length > 107) {
                    throw new IllegalArgumentException("unix socket path longer than 107 bytes: '" + text + "'");
                }
                UnixDomainSocketAddress.of(path);
                return new Address(t, null, 0, path);
            }
            if (t.startsWith("tcp:")) {
                String hostPort = t.substring(4);
                int colon = hostPort.lastIndexOf(':');
                if (colon <= 0) {
                    throw new IllegalArgumentException("expected tcp:host:port, was '" + text + "'");
                }
                String host = hostPort.substring(0, colon);
                if (host.startsWith("[") && host.endsWith("]")) {
                    host = host.substring(1, host.length() - 1);
                }
                if (host.isEmpty() || host.chars().anyMatch(c -> c <= ' ' || c == '/' || c == '[' || c == ']')) {
                    throw new IllegalArgumentException("bad host in '" + text + "'");
                }
                int port;
                try {
                    port = Integer.parseInt(hostPort.substring(colon + 1));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("bad port in '" + text + "'", e);
                }
                if (port < 1 || port > 65535) {
                    throw new IllegalArgumentException("port out of range in '" + text + "'");
                }
                return new Address(t, host, port, null);
            }
            throw new IllegalArgumentException("expected tcp:host:port or unix:/path, was '" + text + "'");
        }

        boolean unix() {
            return socketPath != null;
        }

        @Override
        public String toString() {
            return text;
        }
    }

    /**
     * Streams {@code data} with INSTREAM and returns the names clamd found (empty: {@code stream: OK}). With
     * AllMatchScan clamd may send several FOUND replies; all are returned.
     *
     * @throws ClamdException an ERROR reply (e.g. {@code INSTREAM size limit exceeded}), garbage, truncated or
     *                        over-long reply, or no reply at all
     */
    public List<String> instream(byte[] data) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Selector selector = Selector.open(); SocketChannel channel = connect(selector, deadline)) {
            IOException sendFailure = null;
            try {
                send(channel, selector, deadline, ByteBuffer.wrap(INSTREAM));
                for (int p = 0; p < data.length; p += CHUNK) {
                    int n = Math.min(CHUNK, data.length - p);
                    send(channel, selector, deadline, ByteBuffer.allocate(4).putInt(0, n),
                            ByteBuffer.wrap(data, p, n));
                }
                send(channel, selector, deadline, ByteBuffer.allocate(4).putInt(0, 0));
            } catch (InterruptedIOException e) {
                throw e;
            } catch (IOException e) {
                // clamd may have answered and closed early (size limit): its reply says why, if it can be read
                sendFailure = e;
            }
            List<String> replies;
            try {
                replies = receive(channel, selector, deadline);
            } catch (IOException e) {
                if (sendFailure != null) {
                    sendFailure.addSuppressed(e);
                    throw sendFailure;
                }
                throw e;
            }
            List<String> found = parseScanReplies(replies);
            if (sendFailure != null) {
                // a stream that did not arrive whole has no verdict, whatever the server said
                throw sendFailure;
            }
            return found;
        }
    }

    /** {@code zPING}: true when clamd answers {@code PONG}. */
    public boolean ping(Duration limit) throws IOException {
        return "PONG".equals(command("zPING", limit));
    }

    /** {@code zVERSION}: e.g. {@code ClamAV 1.4.6/27839/Mon Nov 24 09:27:12 2025}. */
    public String version(Duration limit) throws IOException {
        String v = command("zVERSION", limit);
        if (!v.startsWith("ClamAV ")) {
            throw new ClamdException("unexpected VERSION reply");
        }
        return v;
    }

    /** One command without payload, exactly one reply. */
    String command(String command, Duration limit) throws IOException {
        long deadline = System.nanoTime() + Math.min(limit.toNanos(), timeout.toNanos());
        try (Selector selector = Selector.open(); SocketChannel channel = connect(selector, deadline)) {
            send(channel, selector, deadline,
                    ByteBuffer.wrap((command + '\0').getBytes(StandardCharsets.US_ASCII)));
            List<String> replies = receive(channel, selector, deadline);
            if (replies.size() != 1) {
                throw new ClamdException(replies.size() + " replies to " + command);
            }
            return replies.get(0);
        }
    }

    /**
     * The names of {@code stream: <name> FOUND} replies; none for a lone {@code stream: OK}.
     *
     * @throws ClamdException for an ERROR reply or anything else
     */
    static List<String> parseScanReplies(List<String> replies) throws ClamdException {
        if (replies.isEmpty()) {
            throw new ClamdException("connection closed without a reply");
        }
        for (String reply : replies) {
            if (reply.endsWith(" ERROR") || reply.equals("ERROR")) {
                throw new ClamdException("error reply: " + reply);
            }
        }
        if (replies.size() == 1 && replies.get(0).equals("stream: OK")) {
            return List.of();
        }
        List<String> found = new ArrayList<>();
        for (String reply : replies) {
            if (!reply.startsWith("stream: ") || !reply.endsWith(" FOUND")) {
                throw new ClamdException("unexpected reply");
            }
            String name = reply.substring("stream: ".length(), reply.length() - " FOUND".length()).strip();
            if (name.isEmpty() || name.contains(" ")) {
                throw new ClamdException("unexpected reply");
            }
            found.add(name);
        }
        return found;
    }

    private SocketChannel connect(Selector selector, long deadline) throws IOException {
        SocketAddress target;
        SocketChannel channel;
        if (address.unix()) {
            target = UnixDomainSocketAddress.of(address.socketPath());
            channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        } else {
            InetSocketAddress inet = new InetSocketAddress(address.host(), address.port());
            if (inet.isUnresolved()) {
                throw new UnknownHostException("cannot resolve " + address.host());
            }
            target = inet;
            channel = SocketChannel.open();
        }
        try {
            channel.configureBlocking(false);
            SelectionKey key = channel.register(selector, 0);
            if (!channel.connect(target)) {
                while (!channel.finishConnect()) {
                    await(selector, key, SelectionKey.OP_CONNECT, deadline);
                }
            }
            return channel;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    private static void send(SocketChannel channel, Selector selector, long deadline, ByteBuffer... buffers)
            throws IOException {
        SelectionKey key = channel.keyFor(selector);
        while (buffers[buffers.length - 1].hasRemaining()) {
            if (channel.write(buffers) == 0) {
                await(selector, key, SelectionKey.OP_WRITE, deadline);
            }
        }
    }

    /** Reads until clamd closes the connection; splits the NUL-terminated replies. */
    private List<String> receive(SocketChannel channel, Selector selector, long deadline) throws IOException {
        SelectionKey key = channel.keyFor(selector);
        ByteArrayOutputStream reply = new ByteArrayOutputStream();
        ByteBuffer buffer = ByteBuffer.allocate(4096);
        while (true) {
            buffer.clear();
            int n = channel.read(buffer);
            if (n < 0) {
                break;
            }
            if (n == 0) {
                await(selector, key, SelectionKey.OP_READ, deadline);
                continue;
            }
            if (reply.size() + n > maxReplyBytes) {
                throw new ClamdException("reply longer than " + maxReplyBytes + " bytes");
            }
            reply.write(buffer.array(), 0, n);
        }
        return split(reply.toByteArray());
    }

    /** NUL-terminated printable ASCII replies; anything else is garbage. */
    static List<String> split(byte[] bytes) throws ClamdException {
        if (bytes.length == 0) {
            return List.of();
        }
        if (bytes[bytes.length - 1] != 0) {
            throw new ClamdException("truncated reply (connection closed mid-reply)");
        }
        List<String> replies = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == 0) {
                if (i - start > MAX_TEXT) {
                    throw new ClamdException("reply line longer than " + MAX_TEXT + " bytes");
                }
                for (int j = start; j < i; j++) {
                    if (bytes[j] < 0x20 || bytes[j] > 0x7e) {
                        throw new ClamdException("garbage reply (non-printable bytes)");
                    }
                }
                replies.add(new String(bytes, start, i - start, StandardCharsets.US_ASCII).strip());
                start = i + 1;
            }
        }
        return replies;
    }

    private static void await(Selector selector, SelectionKey key, int op, long deadline) throws IOException {
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
            throw new SocketTimeoutException("no complete answer from clamd in time");
        }
        key.interestOps(op);
        selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(remaining)));
        selector.selectedKeys().clear();
        if (Thread.currentThread().isInterrupted()) {
            throw new InterruptedIOException("interrupted while waiting for clamd");
        }
    }

    static String describe(IOException e) {
        String m = e.getMessage();
        String text = m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
        return text.length() > MAX_TEXT ? text.substring(0, MAX_TEXT) : text;
    }
}

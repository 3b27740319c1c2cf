package io.portcullis.scanner.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A scriptable clamd stand-in on TCP (127.0.0.1, a free port) or a UNIX socket. It reads one {@code z}-command per
 * connection like clamd ({@code zINSTREAM} with its chunks up to a zero-length one), hands it to a {@link Behaviour}
 * and closes the connection. It records what it received.
 */
public final class FakeClamd implements AutoCloseable {
    /** Like clamd's StreamMaxLength: a larger stream gets {@code INSTREAM size limit exceeded. ERROR}. */
    public static final int STREAM_MAX = 4 * 1024 * 1024;

    /** One request: the command without its NUL, and for INSTREAM the bytes and chunk sizes received. */
    public record Request(String command, byte[] stream, List<Integer> chunks) {
    }

    /** What the server does with a request; writing to {@code out}, then the connection is closed. */
    @FunctionalInterface
    public interface Behaviour {
        void handle(Request request, SocketChannel out) throws IOException, InterruptedException;
    }

    private final ServerSocketChannel server;
    private final String address;
    private final Behaviour behaviour;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fake-clamd");
        t.setDaemon(true);
        return t;
    });
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Set<SocketChannel> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger connections = new AtomicInteger();

    private FakeClamd(ServerSocketChannel server, String address, Behaviour behaviour) {
        this.server = server;
        this.address = address;
        this.behaviour = behaviour;
        threads.execute(this::acceptLoop);
    }

    public static FakeClamd tcp(Behaviour behaviour) throws IOException {
        ServerSocketChannel s = ServerSocketChannel.open();
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        int port = ((InetSocketAddress) s.getLocalAddress()).getPort();
        return new FakeClamd(s, "tcp:127.0.0.1:" + port, behaviour);
    }

    public static FakeClamd unix(Path socket, Behaviour behaviour) throws IOException {
        Files.deleteIfExists(socket);
        ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        s.bind(UnixDomainSocketAddress.of(socket));
        return new FakeClamd(s, "unix:" + socket.toAbsolutePath(), behaviour);
    }

    /** A TCP address on which nothing listens (connection refused). */
    public static String refusingTcpAddress() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return "tcp:127.0.0.1:" + s.getLocalPort();
        }
    }

    /** {@code tcp:127.0.0.1:port} or {@code unix:/path}. */
    public String address() {
        return address;
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    public List<Request> requests(String command) {
        return requests.stream().filter(r -> r.command().equals(command)).toList();
    }

    /** Connections accepted so far. */
    public int connections() {
        return connections.get();
    }

    /** Connections not yet closed (by either side). */
    public int openConnections() {
        return open.size();
    }

    // --- behaviours ---

    /** A well-behaved clamd: PONG, a VERSION, and {@code scan} deciding the INSTREAM reply (without the NUL). */
    public static Behaviour clamd(String version, Function<byte[], String> scan) {
        return (request, out) -> {
            switch (request.command()) {
                case "zPING" -> write(out, "PONG\0");
                case "zVERSION" -> write(out, version + "\0");
                case "zINSTREAM" -> write(out, scan.apply(request.stream()) + "\0");
                default -> write(out, "UNKNOWN COMMAND\0");
            }
        };
    }

    /** Answers every INSTREAM (and PING/VERSION like {@link #clamd}) with these NUL-terminated replies. */
    public static Behaviour replies(String... replies) {
        return (request, out) -> {
            if (!request.command().equals("zINSTREAM")) {
                clamd("ClamAV 1.4.6/27000/fake", b -> "stream: OK").handle(request, out);
                return;
            }
            for (String r : replies) {
                write(out, r + "\0");
            }
        };
    }

    /** Writes these bytes as they are and closes. */
    public static Behaviour raw(byte[] bytes) {
        return (request, out) -> write(out, bytes);
    }

    /** Says nothing until the client goes away. */
    public static Behaviour silent() {
        return (request, out) -> {
            ByteBuffer sink = ByteBuffer.allocate(1024);
            while (out.read(sink.clear()) >= 0) {
                // discard
            }
        };
    }

    /** Sends {@code reply} one byte at a time, {@code pause} apart (each read is quick; the whole reply is not). */
    public static Behaviour drip(String reply, Duration pause) {
        return (request, out) -> {
            for (byte b : reply.getBytes(StandardCharsets.US_ASCII)) {
                write(out, new byte[] {b});
                Thread.sleep(pause.toMillis());
            }
        };
    }

    public static void write(SocketChannel out, String text) throws IOException {
        write(out, text.getBytes(StandardCharsets.US_ASCII));
    }

    public static void write(SocketChannel out, byte[] bytes) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        while (b.hasRemaining()) {
            out.write(b);
        }
    }

    // --- server ---

    private void acceptLoop() {
        while (server.isOpen()) {
            try {
                SocketChannel c = server.accept();
                connections.incrementAndGet();
                open.add(c);
                threads.execute(() -> serve(c));
            } catch (IOException e) {
                return;
            } catch (RuntimeException e) {
                return; // executor shut down
            }
        }
    }

    private void serve(SocketChannel c) {
        try (c) {
            String command = readCommand(c);
            if (command == null) {
                return;
            }
            Request request;
            if (command.equals("zINSTREAM")) {
                request = readStream(c, command);
                if (request == null) {
                    write(c, "INSTREAM size limit exceeded. ERROR\0");
                    return;
                }
            } else {
                request = new Request(command, new byte[0], List.of());
            }
            requests.add(request);
            behaviour.handle(request, c);
        } catch (IOException | InterruptedException e) {
            // client went away or the server is closing
        } finally {
            open.remove(c);
        }
    }

    private static String readCommand(SocketChannel c) throws IOException {
        ByteArrayOutputStream cmd = new ByteArrayOutputStream();
        ByteBuffer one = ByteBuffer.allocate(1);
        while (cmd.size() < 64) {
            one.clear();
            if (c.read(one) < 0) {
                return null;
            }
            if (one.get(0) == 0) {
                return cmd.toString(StandardCharsets.US_ASCII);
            }
            cmd.write(one.get(0));
        }
        return null;
    }

    /** The chunks of one INSTREAM, or null when they exceed {@link #STREAM_MAX}. */
    private static Request readStream(SocketChannel c, String command) throws IOException {
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        List<Integer> chunks = new CopyOnWriteArrayList<>();
        ByteBuffer length = ByteBuffer.allocate(4);
        while (true) {
            readFully(c, length.clear());
            int n = length.getInt(0);
            if (n == 0) {
                return new Request(command, stream.toByteArray(), List.copyOf(chunks));
            }
            if (n < 0 || stream.size() + (long) n > STREAM_MAX) {
                return null;
            }
            ByteBuffer data = ByteBuffer.allocate(n);
            readFully(c, data);
            stream.write(data.array(), 0, n);
            chunks.add(n);
        }
    }

    private static void readFully(SocketChannel c, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            if (c.read(b) < 0) {
                throw new IOException("closed mid-stream");
            }
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        for (SocketChannel c : open) {
            try {
                c.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        threads.shutdownNow();
        if (address.startsWith("unix:")) {
            try {
                Files.deleteIfExists(Path.of(address.substring(5)));
            } catch (IOException ignored) {
                // its temporary directory goes anyway
            }
        }
    }
}

package io.portcullis.edge.delivery;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A next hop for tests that greets the first {@code refusals} connections with {@code 421 4.3.2} and closes them,
 * then relays every further connection, byte for byte, to a real SMTP server (the development sink).
 */
final class FlakyNextHop implements AutoCloseable {

    private final ServerSocket server;
    private final int upstreamPort;
    private final AtomicInteger refusalsLeft;
    final AtomicInteger connections = new AtomicInteger();

    FlakyNextHop(int refusals, int upstreamPort) throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.upstreamPort = upstreamPort;
        this.refusalsLeft = new AtomicInteger(refusals);
        Thread t = new Thread(this::serve, "flaky-next-hop");
        t.setDaemon(true);
        t.start();
    }

    NextHop hop() {
        return new NextHop("127.0.0.1", server.getLocalPort());
    }

    private void serve() {
        while (!server.isClosed()) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return;
            }
            connections.incrementAndGet();
            if (refusalsLeft.getAndDecrement() > 0) {
                try (client) {
                    client.getOutputStream().write("421 4.3.2 flaky.test busy, try again later\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
                } catch (IOException ignored) {
                    // the client went away first
                }
                continue;
            }
            try {
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), upstreamPort);
                pipe(client, upstream);
                pipe(upstream, client);
            } catch (IOException e) {
                closeQuietly(client);
            }
        }
    }

    private static void pipe(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                in.transferTo(out);
            } catch (IOException ignored) {
                // one side closed
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "flaky-next-hop-pipe");
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}

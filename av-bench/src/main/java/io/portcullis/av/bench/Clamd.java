package io.portcullis.av.bench;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A clamd started for the benchmark: own clamd.conf in a temp dir (unix socket, the generated database directory,
 * no cache, one thread, foreground), never the system database or freshclam. {@link #close()} stops it.
 */
final class Clamd implements AutoCloseable {
    static final String BINARY = "/usr/sbin/clamd";

    final Process process;
    final Path socket;
    final Path tmp;
    /** Start until the socket answered PING. */
    final long loadNanos;

    private Clamd(Process process, Path socket, Path tmp, long loadNanos) {
        this.process = process;
        this.socket = socket;
        this.tmp = tmp;
        this.loadNanos = loadNanos;
    }

    /**
     * Starts clamd on {@code dbDir} and waits until it answers PING.
     *
     * @param raw true: archive, mail, HTML, OLE2, PDF, PE parsing and heuristics off, so clamd only matches the raw
     *            bytes like av-engine does; false: clamd's defaults (mail decoded, archives unpacked)
     */
    static Clamd start(Path dbDir, boolean raw, long timeoutMillis) throws IOException, InterruptedException {
        Path tmp = Files.createTempDirectory("portcullis-clamd-");
        Path socket = tmp.resolve("clamd.sock");
        Path log = tmp.resolve("clamd.log");
        List<String> conf = new ArrayList<>(List.of(
            "Foreground yes",
            "LocalSocket " + socket,
            "DatabaseDirectory " + dbDir.toAbsolutePath(),
            "TemporaryDirectory " + tmp,
            "LogFile " + log,
            "DisableCache yes",
            "MaxThreads 1",
            "MaxQueue 4",
            "StreamMaxLength 200M",
            "MaxFileSize 200M",
            "MaxScanSize 400M",
            "SelfCheck 0",
            "ReadTimeout 300",
            "CommandReadTimeout 60",
            "IdleTimeout 600",
            "Bytecode no"));
        if (raw) {
            conf.addAll(List.of("ScanArchive no", "ScanMail no", "ScanHTML no", "ScanOLE2 no", "ScanPDF no",
                "ScanSWF no", "ScanXMLDOCS no", "ScanHWP3 no", "ScanPE no", "ScanELF no", "HeuristicAlerts no",
                "PhishingSignatures no", "PhishingScanURLs no"));
        }
        Path confFile = tmp.resolve("clamd.conf");
        Files.write(confFile, conf);
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(BINARY, "--config-file=" + confFile)
            .redirectErrorStream(true).redirectOutput(tmp.resolve("clamd.out").toFile()).start();
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (true) {
            if (!p.isAlive()) {
                throw new IOException("clamd exited with " + p.exitValue() + ": " + tail(tmp.resolve("clamd.out")) + tail(log));
            }
            if (Files.exists(socket)) {
                try {
                    if (command(socket, "PING").equals("PONG")) break;
                } catch (IOException e) {
                    // not listening yet
                }
            }
            if (System.currentTimeMillis() > deadline) {
                p.destroyForcibly();
                throw new IOException("clamd did not answer PING within " + timeoutMillis + " ms");
            }
            Thread.sleep(20);
        }
        return new Clamd(p, socket, tmp, System.nanoTime() - t0);
    }

    /** clamd's own log lines about loading (e.g. "Loaded 220000 signatures."), for the report. */
    String loadLog() {
        try {
            return Files.readAllLines(tmp.resolve("clamd.log")).stream()
                .filter(l -> l.contains("Loaded") || l.contains("rror") || l.contains("WARNING")).limit(5)
                .reduce((a, b) -> a + " | " + b).orElse("");
        } catch (IOException e) {
            return "";
        }
    }

    private static String tail(Path p) {
        try {
            String s = Files.exists(p) ? Files.readString(p) : "";
            return s.length() > 2000 ? s.substring(s.length() - 2000) : s;
        } catch (IOException e) {
            return "";
        }
    }

    /** Resident set size of the clamd process in bytes (VmRSS). */
    long rssBytes() throws IOException {
        return Rss.of(process.pid());
    }

    /** One command on a fresh connection ({@code z}-prefixed, NUL-terminated), returns the reply. */
    static String command(Path socket, String cmd) throws IOException {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ch.write(ByteBuffer.wrap(("z" + cmd + "\0").getBytes(StandardCharsets.US_ASCII)));
            return readReply(ch);
        }
    }

    private static String readReply(SocketChannel ch) throws IOException {
        ByteBuffer one = ByteBuffer.allocate(1);
        StringBuilder s = new StringBuilder();
        while (true) {
            one.clear();
            if (ch.read(one) < 0) throw new IOException("clamd closed the connection");
            byte b = one.get(0);
            if (b == 0) return s.toString();
            s.append((char) (b & 0xFF));
        }
    }

    /** A session of INSTREAM scans over one connection (IDSESSION), one object at a time. */
    Session session() throws IOException {
        return new Session(socket);
    }

    static final class Session implements AutoCloseable {
        private final SocketChannel ch;
        private final ByteBuffer header = ByteBuffer.allocate(4);

        Session(Path socket) throws IOException {
            ch = SocketChannel.open(StandardProtocolFamily.UNIX);
            ch.connect(UnixDomainSocketAddress.of(socket));
            ch.write(ByteBuffer.wrap("zIDSESSION\0".getBytes(StandardCharsets.US_ASCII)));
        }

        /**
         * Streams one object in chunks of at most 64 KiB and returns clamd's verdict: null for clean, the signature
         * name (without ".UNOFFICIAL") for a detection; an error reply throws.
         */
        String instream(byte[] data) throws IOException {
            ch.write(ByteBuffer.wrap("zINSTREAM\0".getBytes(StandardCharsets.US_ASCII)));
            for (int p = 0; p < data.length; p += 1 << 16) {
                int n = Math.min(1 << 16, data.length - p);
                header.clear();
                header.putInt(n).flip();
                writeFully(header);
                writeFully(ByteBuffer.wrap(data, p, n));
            }
            header.clear();
            header.putInt(0).flip();
            writeFully(header);
            String reply = readReply(ch);
            int colon = reply.indexOf(": ");
            String body = colon >= 0 ? reply.substring(colon + 2) : reply;
            if (body.equals("stream: OK")) return null;
            if (body.startsWith("stream: ") && body.endsWith(" FOUND")) {
                String name = body.substring(8, body.length() - 6);
                return name.endsWith(".UNOFFICIAL") ? name.substring(0, name.length() - 11) : name;
            }
            throw new IOException("clamd: " + reply);
        }

        private void writeFully(ByteBuffer b) throws IOException {
            while (b.hasRemaining()) ch.write(b);
        }

        @Override
        public void close() throws IOException {
            try {
                ch.write(ByteBuffer.wrap("zEND\0".getBytes(StandardCharsets.US_ASCII)));
            } finally {
                ch.close();
            }
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
        BenchData.deleteTree(tmp);
    }
}

package io.portcullis.systemtests.bench;

import io.portcullis.systemtests.support.Messages;
import io.portcullis.systemtests.support.SmtpClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * SMTP load generator: sends N messages of a given size over M parallel connections to a running gateway and
 * measures accept throughput and latency (end of DATA → 250) and end-to-end throughput and latency (start of the
 * transaction → the message's file in the development sink).
 *
 * <p>Usage: {@code SmtpBench --host H --port P --sink DIR [--messages N] [--connections M] [--size BYTES]
 * [--timeout SECONDS]}
 */
public final class SmtpBench {

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new ConcurrentHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument " + args[i]);
            }
            opts.put(args[i].substring(2), args[i + 1]);
        }
        if (args.length % 2 != 0) {
            throw new IllegalArgumentException("every option needs a value: " + Arrays.toString(args));
        }
        String host = opts.getOrDefault("host", "127.0.0.1");
        int port = Integer.parseInt(opts.getOrDefault("port", "2525"));
        Path sink = Path.of(opts.getOrDefault("sink", ".portcullis/sink"));
        int messages = Integer.parseInt(opts.getOrDefault("messages", "2000"));
        int connections = Integer.parseInt(opts.getOrDefault("connections", "8"));
        int size = Integer.parseInt(opts.getOrDefault("size", "20480"));
        long timeoutSeconds = Long.parseLong(opts.getOrDefault("timeout", "300"));
        if (messages <= 0 || connections <= 0 || size <= 0) {
            throw new IllegalArgumentException("messages, connections and size must be positive");
        }
        byte[] message = Messages.ofSize("bench@example.net", "bench@example.com", "bench", size);
        System.out.printf("bench: %d messages of %d bytes over %d connections to %s:%d%n", messages, message.length,
                connections, host, port);

        Map<String, Long> startedAt = new ConcurrentHashMap<>();
        SinkWatcher arrivals = SinkWatcher.start(sink);
        long[] acceptNanos = new long[messages];
        AtomicInteger next = new AtomicInteger();
        AtomicInteger accepted = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        AtomicLong lastAccept = new AtomicLong();
        long t0 = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(connections);
        List<Future<?>> futures = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            futures.add(pool.submit(() -> {
                SmtpClient client = null;
                try {
                    int i;
                    while ((i = next.getAndIncrement()) < messages) {
                        if (client == null) {
                            client = SmtpClient.connect(host, port);
                            SmtpClient.Reply greeting = client.greeting();
                            if (greeting.code() != 220) {
                                throw new java.io.IOException("greeting " + greeting);
                            }
                            client.command("EHLO bench.local");
                        }
                        long start = System.nanoTime();
                        SmtpClient.Reply r = client.send("bench@example.net", List.of("bench@example.com"), message);
                        long end = System.nanoTime();
                        if (r.code() == 250 && r.queueId() != null) {
                            acceptNanos[i] = end - start;
                            startedAt.put(r.queueId(), start);
                            accepted.incrementAndGet();
                            lastAccept.accumulateAndGet(end, Math::max);
                        } else {
                            acceptNanos[i] = -1;
                            refused.incrementAndGet();
                        }
                    }
                    client.command("QUIT");
                } catch (Exception e) {
                    System.err.println("connection failed (a 421 at connect means the per-IP connection limit, "
                            + "portcullis.smtp.max-connections-per-ip): " + e.getMessage());
                } finally {
                    if (client != null) {
                        client.close();
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        pool.shutdown();
        double acceptSeconds = (lastAccept.get() - t0) / 1e9;

        // End to end: the watcher has been timestamping files as they appeared; wait for the rest.
        Map<String, Long> arrivedAt = new ConcurrentHashMap<>();
        long deadline = System.nanoTime() + timeoutSeconds * 1_000_000_000L;
        while (System.nanoTime() < deadline) {
            for (String id : startedAt.keySet()) {
                Long at = arrivals.arrivedAt(id + ".eml");
                if (at != null) {
                    arrivedAt.put(id, at);
                }
            }
            if (arrivedAt.size() >= startedAt.size()) {
                break;
            }
            Thread.sleep(20);
        }
        arrivals.close();
        long lastArrival = arrivedAt.values().stream().mapToLong(Long::longValue).max().orElse(t0);
        double e2eSeconds = (lastArrival - t0) / 1e9;
        long[] acc = Arrays.stream(acceptNanos).filter(n -> n > 0).sorted().toArray();
        long[] e2e = arrivedAt.entrySet().stream().mapToLong(e -> e.getValue() - startedAt.get(e.getKey())).sorted()
                .toArray();

        System.out.printf("accepted: %d, refused: %d, arrived in sink: %d (lost or late: %d)%n", accepted.get(),
                refused.get(), arrivedAt.size(), startedAt.size() - arrivedAt.size());
        System.out.printf("accept throughput: %.1f msgs/s (%.2f MB/s)%n", accepted.get() / acceptSeconds,
                accepted.get() * (double) message.length / acceptSeconds / 1e6);
        System.out.printf("end-to-end throughput: %.1f msgs/s%n", arrivedAt.size() / e2eSeconds);
        System.out.printf("accept latency ms: p50 %.1f  p99 %.1f  max %.1f%n", pct(acc, 50), pct(acc, 99), pct(acc, 100));
        System.out.printf("end-to-end latency ms: p50 %.1f  p99 %.1f  max %.1f%n", pct(e2e, 50), pct(e2e, 99),
                pct(e2e, 100));
        if (arrivedAt.size() < startedAt.size()) {
            System.exit(1);
        }
    }

    private static double pct(long[] sorted, int p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int idx = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, idx))] / 1e6;
    }
}

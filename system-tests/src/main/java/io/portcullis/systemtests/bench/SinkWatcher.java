package io.portcullis.systemtests.bench;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Timestamps files as they appear in the development sink, from the start of the run, so end-to-end latency is
 * measured when a message arrives rather than when someone looks. Uses inotify through {@link WatchService} and
 * falls back to a directory listing when events overflow.
 */
final class SinkWatcher implements AutoCloseable {
    private final Map<String, Long> seen = new ConcurrentHashMap<>();
    private final WatchService watch;
    private final Path dir;
    private final Thread thread;

    private SinkWatcher(Path dir) throws IOException {
        this.dir = dir;
        Files.createDirectories(dir);
        this.watch = dir.getFileSystem().newWatchService();
        dir.register(watch, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY);
        this.thread = new Thread(this::run, "sink-watcher");
        this.thread.setDaemon(true);
    }

    static SinkWatcher start(Path dir) throws IOException {
        SinkWatcher w = new SinkWatcher(dir);
        w.thread.start();
        return w;
    }

    /** When the file first appeared (System.nanoTime), or null. */
    Long arrivedAt(String fileName) {
        Long at = seen.get(fileName);
        if (at == null && Files.exists(dir.resolve(fileName))) {
            // Present but not reported (created before the watch was effective): count it now.
            seen.putIfAbsent(fileName, System.nanoTime());
            at = seen.get(fileName);
        }
        return at;
    }

    private void run() {
        try {
            while (true) {
                WatchKey key = watch.take();
                long now = System.nanoTime();
                for (WatchEvent<?> event : key.pollEvents()) {
                    if (event.kind() == StandardWatchEventKinds.OVERFLOW) {
                        try (Stream<Path> files = Files.list(dir)) {
                            files.forEach(f -> seen.putIfAbsent(f.getFileName().toString(), now));
                        }
                    } else if (event.context() instanceof Path p) {
                        seen.putIfAbsent(p.getFileName().toString(), now);
                    }
                }
                if (!key.reset()) {
                    return;
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // closed
        } catch (IOException e) {
            System.err.println("sink watcher stopped: " + e.getMessage());
        }
    }

    @Override
    public void close() throws IOException {
        watch.close();
        thread.interrupt();
    }
}

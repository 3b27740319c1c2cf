package io.portcullis.av.bench;

import io.portcullis.av.ScanSession;
import io.portcullis.av.SignatureSet;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * "Reload while scanning": one thread scans the file set round after round in 64 KiB chunks, taking the current set
 * from an {@link AtomicReference} per file, while another thread builds new sets from the database and swaps them in.
 * The pause is the longest time between two consecutive chunk completions (GC pauses and CPU contention included);
 * it is measured before the reloads (baseline) and while they run.
 */
final class ReloadCheck {
    record Result(int reloads, double meanReloadMillis, double baselineMaxPauseMillis, double reloadMaxPauseMillis,
                  double baselineMBs, double reloadMBs, long filesScannedDuringReload) {
    }

    private ReloadCheck() {
    }

    static Result run(Path dbDir, byte[][] files, int reloads, long baselineMillis) throws Exception {
        AtomicReference<SignatureSet> current = new AtomicReference<>(Corpus.load(dbDir));
        AtomicBoolean stop = new AtomicBoolean();
        AtomicBoolean reloading = new AtomicBoolean();
        AtomicLong baselineMax = new AtomicLong();
        AtomicLong reloadMax = new AtomicLong();
        AtomicLong baselineBytes = new AtomicLong();
        AtomicLong reloadBytes = new AtomicLong();
        AtomicLong reloadFiles = new AtomicLong();
        Thread scanner = new Thread(() -> {
            int i = 0;
            long last = System.nanoTime();
            while (!stop.get()) {
                byte[] f = files[i++ % files.length];
                ScanSession s = current.get().newSession();
                boolean during = reloading.get();
                for (int p = 0; p < f.length; p += 1 << 16) {
                    int n = Math.min(1 << 16, f.length - p);
                    s.update(f, p, n);
                    long now = System.nanoTime();
                    (during ? reloadMax : baselineMax).accumulateAndGet(now - last, Math::max);
                    (during ? reloadBytes : baselineBytes).addAndGet(n);
                    last = now;
                }
                s.finish();
                long now = System.nanoTime();
                (during ? reloadMax : baselineMax).accumulateAndGet(now - last, Math::max);
                last = now;
                if (during) reloadFiles.incrementAndGet();
            }
        }, "reload-check-scanner");
        scanner.start();
        Thread.sleep(baselineMillis);
        long baselineNanos = baselineMillis * 1_000_000L;
        reloading.set(true);
        long t0 = System.nanoTime();
        for (int k = 0; k < reloads; k++) {
            current.set(Corpus.load(dbDir));
        }
        long reloadNanos = System.nanoTime() - t0;
        stop.set(true);
        scanner.join();
        return new Result(reloads, reloadNanos / 1e6 / reloads, baselineMax.get() / 1e6, reloadMax.get() / 1e6,
            baselineBytes.get() / 1e6 / (baselineNanos / 1e9), reloadBytes.get() / 1e6 / (reloadNanos / 1e9),
            reloadFiles.get());
    }
}

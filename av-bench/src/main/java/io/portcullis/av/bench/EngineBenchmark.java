package io.portcullis.av.bench;

import io.portcullis.av.Match;
import io.portcullis.av.ScanSession;
import io.portcullis.av.SignatureLoadException;
import io.portcullis.av.SignatureSet;
import java.io.IOException;
import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/**
 * av-engine benchmarks over the generated data ({@code -Dportcullis.bench.data}): one invocation loads the whole
 * database, or scans every file of the set once on one thread. Single-shot: an invocation takes about a second.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(java.util.concurrent.TimeUnit.MILLISECONDS)
@Threads(1)
public class EngineBenchmark {

    /** The loaded set and all files in memory, shared by the scan benchmarks. */
    @State(Scope.Benchmark)
    public static class Loaded {
        SignatureSet set;
        byte[][] files;

        @Setup(Level.Trial)
        public void setUp() throws IOException, SignatureLoadException {
            BenchData.Generated g = BenchData.read(Corpus.dataDir());
            set = Corpus.load(g.dbDir());
            files = Corpus.readAll(g.files());
        }
    }

    /** Load time: parse all database files and build the tables. */
    @Benchmark
    public SignatureSet load() throws SignatureLoadException {
        return Corpus.load(Corpus.dataDir().resolve("db"));
    }

    /** Throughput, whole objects: {@link SignatureSet#scan(byte[])} per file (hashes only where sizes can match). */
    @Benchmark
    public long scanWholeFiles(Loaded l) {
        long found = 0;
        for (byte[] f : l.files) {
            List<Match> m = l.set.scan(f);
            found += m.size();
        }
        return found;
    }

    /**
     * Throughput, streaming with the size declared up front ({@link SignatureSet#newSession(long)}): whole-file digests
     * only where the size can match, as when the caller knows the object's length.
     */
    @Benchmark
    public long scanStreamingSized64k(Loaded l) {
        long found = 0;
        for (byte[] f : l.files) {
            ScanSession s = l.set.newSession(f.length);
            for (int p = 0; p < f.length; p += 1 << 16) s.update(f, p, Math.min(1 << 16, f.length - p));
            found += s.finish().size();
        }
        return found;
    }

    /**
     * Throughput, streaming of unknown size: a session per file fed in 64 KiB chunks, as an INSTREAM client would; the
     * digests run until the size exceeds every hash entry's size.
     */
    @Benchmark
    public long scanStreaming64k(Loaded l) {
        long found = 0;
        for (byte[] f : l.files) {
            ScanSession s = l.set.newSession();
            for (int p = 0; p < f.length; p += 1 << 16) s.update(f, p, Math.min(1 << 16, f.length - p));
            found += s.finish().size();
        }
        return found;
    }
}

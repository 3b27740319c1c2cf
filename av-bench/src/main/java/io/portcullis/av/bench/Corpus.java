package io.portcullis.av.bench;

import io.portcullis.av.LoadOptions;
import io.portcullis.av.SignatureLoadException;
import io.portcullis.av.SignatureSet;
import io.portcullis.av.SignatureSetBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The generated data as the benchmarks use it: database files and all scanned files in memory. */
final class Corpus {
    /** System property naming the data directory (set by {@link AvBench} for the JMH fork). */
    static final String DATA_PROPERTY = "portcullis.bench.data";

    private Corpus() {
    }

    static Path dataDir() {
        String d = System.getProperty(DATA_PROPERTY);
        if (d == null) throw new IllegalStateException("-D" + DATA_PROPERTY + "=<bench data dir> is required");
        return Path.of(d);
    }

    /** Every database file of the directory, in name order. */
    static List<Path> databases(Path dbDir) {
        try (var s = Files.list(dbDir)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static SignatureSet load(Path dbDir) throws SignatureLoadException {
        SignatureSetBuilder b = SignatureSet.builder(LoadOptions.strictOptions());
        for (Path p : databases(dbDir)) b.load(p);
        return b.build();
    }

    static byte[][] readAll(List<Path> files) {
        byte[][] out = new byte[files.size()][];
        try {
            for (int i = 0; i < out.length; i++) out[i] = Files.readAllBytes(files.get(i));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}

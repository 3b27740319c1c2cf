package io.portcullis.av.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.portcullis.scanner.content.MessageText;
import io.portcullis.scanner.content.TextExtractor;
import io.portcullis.scanner.content.TextLimits;
import io.portcullis.scanner.mime.Decomposition;
import io.portcullis.scanner.mime.DecompositionLimits;
import io.portcullis.scanner.mime.MessageDecomposer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The scanner's text extraction ({@link TextExtractor}, Apache Tika with the scanner's parsers, pool and limits), one
 * operation = one message carrying one generated document ({@link TextDocuments}): {@code extract} takes the
 * already decomposed message (Tika only: type detection and parsing of the attachment, or of each zip entry),
 * {@code message} decomposes it first (MIME parsing, base64, unzipping) as
 * {@link TextExtractor#extract(String, byte[])} does, and {@code decompose} is that decomposition alone (the scanner
 * decomposes every message once for its engines and hands the result to text extraction, so its text cost is
 * {@code extract}). Sampled times, so that the median can be read beside the mean on a busy machine.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
public class TextExtractionBenchmark {
    @Param({"pdf", "docx", "xlsx", "html", "zip"})
    public String doc;

    /** Its parse pool's threads are daemons: nothing to close at the end of a trial. */
    private TextExtractor extractor;
    private MessageDecomposer decomposer;
    private byte[] raw;
    private Decomposition parts;

    @Setup(Level.Trial)
    public void setUp() {
        decomposer = new MessageDecomposer(DecompositionLimits.DEFAULTS);
        extractor = new TextExtractor(decomposer, TextLimits.DEFAULTS, new SimpleMeterRegistry());
        raw = TextDocuments.message(doc, TextDocuments.all().get(doc));
        parts = decomposer.decompose(raw);
        check(extractor.extract("bench-" + doc, parts));
    }

    /** Refuses to measure an extraction that did not find the text (a failed parse is fast and would flatter). */
    private void check(MessageText text) {
        long found = text.attachments().stream()
                .filter(p -> p.status() == MessageText.Status.OK && p.text().contains(TextDocuments.MARKER)).count();
        long expected = "zip".equals(doc) ? 4 : 1;
        if (found != expected) {
            throw new IllegalStateException(doc + ": the marker was found in " + found + " of " + expected
                    + " document(s): " + text.attachments().stream()
                            .map(p -> p.path() + " " + p.trueType() + " " + p.status() + " " + p.reason()).toList());
        }
    }

    @Benchmark
    public MessageText extract() {
        return extractor.extract("bench", parts);
    }

    /** The decomposition alone (what {@code message} adds to {@code extract}; the scanner does it once anyway). */
    @Benchmark
    public Decomposition decompose() {
        return decomposer.decompose(raw);
    }

    @Benchmark
    public MessageText message() {
        return extractor.extract("bench", raw);
    }
}

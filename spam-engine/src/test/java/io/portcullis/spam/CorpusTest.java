package io.portcullis.spam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CorpusTest {

    @TempDir
    Path dir;

    private Path write(String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content, StandardCharsets.UTF_8);
        return p;
    }

    @Test
    void readsOnlyListedFilesWithLabelsKindsAndStableFolds() throws IOException {
        write("data/easy-ham-1/a.txt", "Subject: a\n\nx\n");
        write("data/hard-ham-1/b.txt", "Subject: b\n\ny\n");
        write("data/spam-1/c.txt", "Subject: c\n\nz\n");
        write("data/heldout/d.txt", "never read");
        Path list = write("train.txt", "ham\teasy-ham-1/a.txt\nham\thard-ham-1/b.txt\n\nspam\tspam-1/c.txt\n");
        List<Corpus.Entry> e = Corpus.load(list, dir.resolve("data"));
        assertEquals(3, e.size());
        assertEquals(List.of("easy-ham", "hard-ham", "spam"), e.stream().map(Corpus.Entry::kind).toList());
        assertTrue(e.stream().allMatch(x -> x.fold(5) >= 0 && x.fold(5) < 5));
        assertEquals(e.get(0).fold(5), new Corpus.Entry(true, "easy-ham-1/a.txt", new byte[0]).fold(5));
        String h = Corpus.hash(e);
        assertTrue(h.startsWith("sha256:"));
        assertEquals(h, Corpus.hash(Corpus.load(list, dir.resolve("data"))));
        write("data/spam-1/c.txt", "Subject: changed\n\nz\n");
        assertNotEquals(h, Corpus.hash(Corpus.load(list, dir.resolve("data"))));
    }

    @Test
    void rejectsBadLinesPathTraversalAndMissingFiles() throws IOException {
        Path bad = write("bad.txt", "maybe\tx.txt\n");
        assertThrows(IOException.class, () -> Corpus.load(bad, dir));
        Path up = write("up.txt", "ham\t../etc/passwd\n");
        assertThrows(IOException.class, () -> Corpus.load(up, dir));
        Path missing = write("missing.txt", "spam\tnope.txt\n");
        IOException ex = assertThrows(IOException.class, () -> Corpus.load(missing, dir));
        assertTrue(ex.getMessage().contains("missing corpus file"));
    }
}

package io.portcullis.scanner.mime;

import static io.portcullis.scanner.mime.DecompositionSymbols.ARCHIVE_CORRUPT;
import static io.portcullis.scanner.mime.DecompositionSymbols.ARCHIVE_ENCRYPTED;
import static io.portcullis.scanner.mime.DecompositionSymbols.ARCHIVE_EXPANDED;

import io.portcullis.contracts.scan.ScanItem;
import io.portcullis.scanner.engine.pdf.PdfTokens;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSObject;
import org.apache.pdfbox.cos.COSStream;
import org.apache.pdfbox.filter.FilterFactory;
import org.apache.pdfbox.io.MemoryUsageSetting;
import org.apache.pdfbox.io.RandomAccessReadBuffer;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentNameDictionary;
import org.apache.pdfbox.pdmodel.PDEmbeddedFilesNameTreeNode;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.common.PDNameTreeNode;
import org.apache.pdfbox.pdmodel.common.filespecification.PDComplexFileSpecification;
import org.apache.pdfbox.pdmodel.common.filespecification.PDEmbeddedFile;
import org.apache.pdfbox.pdmodel.encryption.InvalidPasswordException;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotation;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotationFileAttachment;

/**
 * PDF embedded files through PDFBox (in memory only): the EmbeddedFiles name tree, FileAttachment annotations, and
 * any other {@code /Type /EmbeddedFile} stream, as items {@code pdf:<file name>}. Nothing else of the PDF is unpacked
 * here (content streams and JavaScript are other engines' business).
 *
 * <p>A PDF that needs a password is ARCHIVE_ENCRYPTED (its embedded files could not be scanned). A Flate-compressed
 * embedded file is inflated with its zlib checksum verified (PDFBox alone would pass damaged data on silently); a
 * size that disagrees with the file's {@code /Params /Size}, or a PDF without {@code %%EOF} at its end (truncated), is
 * ARCHIVE_CORRUPT.
 *
 * <p>Before PDFBox sees the file, {@link PdfTokens}' structure-stream check (the same one the PDF engine runs) inflates
 * every object and cross-reference stream with a bound: one that inflates beyond
 * {@link PdfTokens#MAX_STRUCTURE_STREAM_BYTES} (or all of them beyond four times that) is ARCHIVE_EXPANDED and the PDF
 * is not loaded at all (PDFBox 3 would inflate it into the heap, unbounded); one that is damaged or truncated is
 * ARCHIVE_CORRUPT (PDFBox would repair around it and lose what it held). PDFBox's scratch memory is capped at twice
 * the per-item limit, and an embedded file is decoded at most up to the per-item limit, filter by filter.
 */
final class PdfExpander {
    private static final int MAX_TREE_NODES = 10_000;
    private static final int MAX_PAGES = 10_000;
    /** Filters applied to one embedded file (each one decodes up to the per-item limit). */
    private static final int MAX_FILTERS = 4;

    private final ArchiveExpander archives;

    PdfExpander(ArchiveExpander archives) {
        this.archives = archives;
    }

    void expand(String archivePath, byte[] data, int depth, DecompositionState state) {
        if (ByteSearch.indexOf(data, ByteSearch.ascii("%%EOF"), Math.max(0, data.length - 1024)) < 0) {
            state.failure(ARCHIVE_CORRUPT, "pdf: " + archivePath + " is truncated (no %%EOF at its end)");
        }
        PdfTokens.Result structure = PdfTokens.scan(data, PdfTokens.MAX_STRUCTURE_STREAM_BYTES);
        if (structure.objectStreamProblem() != null) {
            state.failure(ARCHIVE_EXPANDED, "pdf: " + archivePath + " has " + structure.objectStreamProblem()
                    + "; not unpacked");
            return;
        }
        // encrypted PDFs hold ciphertext in their object streams: nothing to verify before decryption
        if (structure.damagedStructureStream() != null
                && ByteSearch.indexOf(data, ByteSearch.ascii("/Encrypt"), 0) < 0) {
            // PDFBox would repair around it, and lose what the stream indexed or held (embedded file dictionaries)
            state.failure(ARCHIVE_CORRUPT, "pdf: " + archivePath + " has " + structure.damagedStructureStream());
        }
        PDDocument doc;
        try {
            // bounds PDFBox's scratch copies (decrypted streams); decoding is bounded by the check above
            doc = Loader.loadPDF(new RandomAccessReadBuffer(data), "", null, null,
                    MemoryUsageSetting.setupMainMemoryOnly(2 * state.limits().maxItemBytes()).streamCache);
        } catch (InvalidPasswordException e) {
            state.failure(ARCHIVE_ENCRYPTED, "pdf: " + archivePath + " is encrypted with a password");
            return;
        } catch (IOException | RuntimeException e) {
            state.failure(ARCHIVE_CORRUPT, "pdf: " + archivePath + " could not be parsed ("
                    + e.getClass().getSimpleName() + ")");
            return;
        }
        try (doc) {
            Set<COSBase> seen = Collections.newSetFromMap(new IdentityHashMap<>());
            if (!nameTree(archivePath, doc, seen, depth, state) || !annotations(archivePath, doc, seen, depth, state)) {
                return;
            }
            int n = 0;
            for (COSObject o : doc.getDocument().getObjectsByType(COSName.EMBEDDED_FILE)) {
                if (o.getObject() instanceof COSStream stream && seen.add(stream)
                        && !file(archivePath, "(embedded file " + ++n + ")", new PDEmbeddedFile(stream), depth,
                        state)) {
                    return;
                }
            }
        } catch (IOException | RuntimeException e) {
            state.failure(ARCHIVE_CORRUPT, "pdf: " + archivePath + " could not be read completely ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    private boolean nameTree(String archivePath, PDDocument doc, Set<COSBase> seen, int depth,
            DecompositionState state) throws IOException {
        PDDocumentNameDictionary names = doc.getDocumentCatalog().getNames();
        PDEmbeddedFilesNameTreeNode root = names == null ? null : names.getEmbeddedFiles();
        if (root == null) {
            return true;
        }
        Deque<PDNameTreeNode<PDComplexFileSpecification>> todo = new ArrayDeque<>(List.of(root));
        Set<COSBase> visited = Collections.newSetFromMap(new IdentityHashMap<>());
        while (!todo.isEmpty() && visited.size() < MAX_TREE_NODES) {
            PDNameTreeNode<PDComplexFileSpecification> node = todo.pop();
            if (!visited.add(node.getCOSObject())) {
                continue; // a loop in the tree
            }
            Map<String, PDComplexFileSpecification> entries = node.getNames();
            if (entries != null) {
                for (Map.Entry<String, PDComplexFileSpecification> e : entries.entrySet()) {
                    if (!spec(archivePath, e.getValue(), e.getKey(), seen, depth, state)) {
                        return false;
                    }
                }
            }
            List<PDNameTreeNode<PDComplexFileSpecification>> kids = node.getKids();
            if (kids != null) {
                kids.forEach(todo::push);
            }
        }
        return true;
    }

    private boolean annotations(String archivePath, PDDocument doc, Set<COSBase> seen, int depth,
            DecompositionState state) throws IOException {
        int pages = 0;
        for (PDPage page : doc.getPages()) {
            if (++pages > MAX_PAGES || state.timeUp(archivePath)) {
                return true; // the sweep over all objects still finds their files
            }
            for (PDAnnotation a : page.getAnnotations()) {
                if (a instanceof PDAnnotationFileAttachment fa
                        && fa.getFile() instanceof PDComplexFileSpecification spec
                        && !spec(archivePath, spec, null, seen, depth, state)) {
                    return false;
                }
            }
        }
        return true;
    }

    private boolean spec(String archivePath, PDComplexFileSpecification spec, String key, Set<COSBase> seen,
            int depth, DecompositionState state) {
        if (spec == null) {
            return true;
        }
        String name = first(spec.getFileUnicode(), spec.getFilename(), key, "(embedded file)");
        for (PDEmbeddedFile file : new PDEmbeddedFile[] {spec.getEmbeddedFileUnicode(), spec.getEmbeddedFile(),
                spec.getEmbeddedFileDos(), spec.getEmbeddedFileMac(), spec.getEmbeddedFileUnix()}) {
            if (file != null && seen.add(file.getCOSObject())) {
                if (!file(archivePath, name, file, depth, state)) {
                    return false;
                }
                // /UF, /F and the name-tree key are all names a reader may show or save the file under
                java.util.Set<String> others = new java.util.LinkedHashSet<>();
                for (String n : new String[] {spec.getFileUnicode(), spec.getFile(), spec.getFileDos(),
                        spec.getFileMac(), spec.getFileUnix(), key}) {
                    if (n != null && !n.isBlank() && !n.equals(name)) {
                        others.add(n);
                    }
                }
                for (String other : others) {
                    state.addNameOnly(archivePath + "/pdf:" + ArchiveExpander.safeName(name),
                            ArchiveExpander.safeName(other), null, depth);
                }
            }
        }
        return true;
    }

    /** @return false once a budget is spent */
    private boolean file(String archivePath, String name, PDEmbeddedFile file, int depth, DecompositionState state) {
        COSStream stream = file.getCOSObject();
        ScanItem item;
        try (InputStream in = open(stream, state.limits().maxItemBytes())) {
            item = archives.entry("pdf", archivePath, name, depth, in, state);
        } catch (IOException | RuntimeException e) {
            state.failure(ARCHIVE_CORRUPT, "pdf: embedded file " + name + " in " + archivePath
                    + " could not be decoded (" + e.getClass().getSimpleName() + ")");
            return true;
        }
        if (item == null) {
            return false;
        }
        long read = item.content().length;
        boolean cut = read >= state.limits().maxItemBytes() || state.expandedFull() || state.lastReadFailed();
        int declared = file.getSize();
        if (!cut && declared >= 0 && declared != read) {
            state.failure(ARCHIVE_CORRUPT, "pdf: " + item.path() + " decodes to " + read + " bytes, its /Size says "
                    + declared);
        }
        state.checkRatio(item.path(), read, stream.getLength());
        archives.expandIfArchive(item, item.filename(), state);
        return true;
    }

    /**
     * Flate alone is inflated here, streamed, with its checksum checked. Other filter chains go through PDFBox's
     * filters one at a time, each into a buffer of at most {@code cap + 1} bytes (enough for the reader to see the
     * item is over the limit): PDFBox's own {@code createInputStream} would decode the whole chain into the heap.
     */
    private static InputStream open(COSStream stream, long cap) throws IOException {
        COSBase filters = stream.getFilters();
        boolean flateOnly = COSName.FLATE_DECODE.equals(filters) || filters instanceof COSArray a
                && a.size() == 1 && COSName.FLATE_DECODE.equals(a.getObject(0));
        if (flateOnly && stream.getDictionaryObject(COSName.DECODE_PARMS, COSName.DP) == null) {
            return new InflaterInputStream(stream.createRawInputStream(), new Inflater()) {
                @Override
                public void close() throws IOException {
                    inf.end();
                    super.close();
                }
            };
        }
        List<COSBase> chain = new ArrayList<>();
        if (filters instanceof COSArray a) {
            for (int k = 0; k < a.size(); k++) {
                chain.add(a.getObject(k));
            }
        } else if (filters != null) {
            chain.add(filters);
        }
        if (chain.size() > MAX_FILTERS || !chain.stream().allMatch(COSName.class::isInstance)) {
            throw new IOException("more than " + MAX_FILTERS + " filters, or a filter that is not a name");
        }
        InputStream in = stream.createRawInputStream();
        for (int k = 0; k < chain.size(); k++) {
            COSName name = (COSName) chain.get(k);
            CappedBuffer out = new CappedBuffer(cap + 1);
            try (InputStream stage = in) {
                FilterFactory.INSTANCE.getFilter(name).decode(stage, out, stream, k);
            } catch (CappedBuffer.Full e) {
                // the first cap + 1 bytes are kept: decoding the rest would only be thrown away
            }
            in = out.asInputStream();
        }
        return in;
    }

    /** Keeps at most {@code cap} bytes, then stops the writer (unchecked: PDFBox's filters catch IOException). */
    private static final class CappedBuffer extends ByteArrayOutputStream {
        private final long cap;

        CappedBuffer(long cap) {
            this.cap = cap;
        }

        @Override
        public void write(int b) {
            if (count >= cap) {
                throw new Full();
            }
            super.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            int room = (int) Math.min(len, cap - count);
            super.write(b, off, Math.max(0, room));
            if (room < len) {
                throw new Full();
            }
        }

        InputStream asInputStream() {
            return new ByteArrayInputStream(buf, 0, count);
        }

        static final class Full extends RuntimeException {
            Full() {
                super("decoded stream over the limit", null, false, false);
            }
        }
    }

    private static String first(String... names) {
        for (String n : names) {
            if (n != null && !n.isBlank()) {
                return n;
            }
        }
        return null;
    }
}

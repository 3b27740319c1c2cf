package io.portcullis.scanner.mime;

import static io.portcullis.scanner.mime.DecompositionSymbols.ARCHIVE_CORRUPT;
import static io.portcullis.scanner.mime.DecompositionSymbols.ARCHIVE_ENCRYPTED;

import io.portcullis.contracts.scan.ScanItem;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSObject;
import org.apache.pdfbox.cos.COSStream;
import org.apache.pdfbox.io.IOUtils;
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
 */
final class PdfExpander {
    private static final int MAX_TREE_NODES = 10_000;
    private static final int MAX_PAGES = 10_000;

    private final ArchiveExpander archives;

    PdfExpander(ArchiveExpander archives) {
        this.archives = archives;
    }

    void expand(String archivePath, byte[] data, int depth, DecompositionState state) {
        if (ByteSearch.indexOf(data, ByteSearch.ascii("%%EOF"), Math.max(0, data.length - 1024)) < 0) {
            state.failure(ARCHIVE_CORRUPT, "pdf: " + archivePath + " is truncated (no %%EOF at its end)");
        }
        // encrypted PDFs hold ciphertext in their object streams: nothing to inflate before decryption
        String structure = ByteSearch.indexOf(data, ByteSearch.ascii("/Encrypt"), 0) >= 0 ? null
                : damagedStructureStream(data);
        if (structure != null) {
            // PDFBox would repair around it, and lose what the stream indexed or held (embedded file dictionaries)
            state.failure(ARCHIVE_CORRUPT, "pdf: " + archivePath + " has " + structure);
        }
        PDDocument doc;
        try {
            doc = Loader.loadPDF(new RandomAccessReadBuffer(data), "", null, null,
                    IOUtils.createMemoryOnlyStreamCache());
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
        try (InputStream in = open(stream)) {
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

    /** Flate alone is inflated here with its checksum checked; other filters are PDFBox's. */
    private static InputStream open(COSStream stream) throws IOException {
        COSBase filters = stream.getFilters();
        boolean flateOnly = COSName.FLATE_DECODE.equals(filters) || filters instanceof org.apache.pdfbox.cos.COSArray a
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
        return stream.createInputStream();
    }

    /**
     * Inflates every Flate cross-reference stream and object stream with its zlib checksum checked.
     *
     * @return what is damaged, or null
     */
    static String damagedStructureStream(byte[] d) {
        byte[] keyword = ByteSearch.ascii("stream");
        int checked = 0;
        long inflated = 0;
        // bounded: structure streams hold small dictionaries; beyond 64 MiB inflated the rest is left to PDFBox
        for (int at = ByteSearch.indexOf(d, keyword, 0); at >= 0 && checked < 10_000 && inflated < 64L << 20;
                at = ByteSearch.indexOf(d, keyword, at + 6)) {
            if (at >= 3 && d[at - 3] == 'e' && d[at - 2] == 'n' && d[at - 1] == 'd') {
                continue; // endstream
            }
            int dictStart = Math.max(0, at - 1024);
            int obj = lastIndexOf(d, ByteSearch.ascii(" obj"), dictStart, at);
            String dict = new String(d, obj < 0 ? dictStart : obj, at - (obj < 0 ? dictStart : obj),
                    java.nio.charset.StandardCharsets.ISO_8859_1);
            boolean structure = dict.contains("/XRef") || dict.contains("/ObjStm");
            if (!structure || !dict.contains("/FlateDecode") || dict.contains("/DecodeParms") && !dict.contains(
                    "/Predictor")) {
                continue;
            }
            checked++;
            int start = at + 6;
            if (start < d.length && d[start] == '\r') {
                start++;
            }
            if (start < d.length && d[start] == '\n') {
                start++;
            }
            int end = ByteSearch.indexOf(d, ByteSearch.ascii("endstream"), start);
            if (end < 0) {
                return "a truncated " + (dict.contains("/XRef") ? "cross-reference" : "object") + " stream";
            }
            Inflater inflater = new Inflater();
            try {
                inflater.setInput(d, start, end - start);
                byte[] buf = new byte[64 * 1024];
                long total = 0;
                while (!inflater.finished() && inflated + total < 64L << 20) {
                    int n = inflater.inflate(buf);
                    if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                        break;
                    }
                    total += n;
                }
                inflated += total;
                if (!inflater.finished() && inflated < 64L << 20) {
                    return "a damaged " + (dict.contains("/XRef") ? "cross-reference" : "object") + " stream";
                }
            } catch (java.util.zip.DataFormatException e) {
                return "a damaged " + (dict.contains("/XRef") ? "cross-reference" : "object") + " stream";
            } finally {
                inflater.end();
            }
        }
        return null;
    }

    private static int lastIndexOf(byte[] d, byte[] needle, int from, int to) {
        int found = -1;
        for (int i = ByteSearch.indexOf(d, needle, from, to); i >= 0; i = ByteSearch.indexOf(d, needle, i + 1, to)) {
            found = i;
        }
        return found;
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

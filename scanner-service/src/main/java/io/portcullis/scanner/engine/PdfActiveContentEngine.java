package io.portcullis.scanner.engine;

import io.portcullis.contracts.scan.Category;
import io.portcullis.contracts.scan.EngineResult;
import io.portcullis.contracts.scan.Finding;
import io.portcullis.contracts.scan.ScanEngine;
import io.portcullis.contracts.scan.ScanInput;
import io.portcullis.contracts.scan.ScanItem;
import io.portcullis.scanner.config.ScannerConfig;
import io.portcullis.scanner.engine.pdf.PdfActions;
import io.portcullis.scanner.engine.pdf.PdfTokens;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.io.MemoryUsageSetting;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.encryption.InvalidPasswordException;
import org.jboss.logging.Logger;

/**
 * Active content in PDFs (any item with {@code %PDF-} in its first 1024 bytes, whatever its name): JavaScript
 * (PDF_JAVASCRIPT) and launch actions (PDF_LAUNCH), both ACTIVE_CONTENT; automatic actions other than a jump within the
 * document, and form submission, data import and embedded go-to actions anywhere (PDF_AUTO_ACTION, CONTENT). Each
 * detail says where the action runs ({@code OpenAction}, {@code page AA/O}, {@code document JavaScript name tree},
 * {@code action} for links and buttons).
 *
 * <p>Two views of each PDF: PDFBox's lenient parse of every object ({@link PdfActions}), and a raw token pass over the
 * bytes ({@link PdfTokens}) that decodes {@code #xx} name escapes and sees what a broken cross-reference table hides. A
 * PDF that PDFBox cannot open (corrupt, encrypted with a user password, over the size limit, an object stream that
 * inflates beyond the budget) is PDF_UNPARSABLE (FAILURE), never clean; its token findings are still reported. Only
 * a file with the header but not one object definition ({@code n 0 obj}) is not reported: it has nothing to run.
 * A PDF that opens but has objects PDFBox cannot parse is PDF_UNPARSABLE too, and one whose walk stopped at a bound
 * (objects, nodes, nesting) is PDF_LIMIT (FAILURE): what those objects hold was not inspected.
 */
@ApplicationScoped
public class PdfActiveContentEngine implements ScanEngine {
    public static final String JAVASCRIPT = "PDF_JAVASCRIPT";
    public static final String LAUNCH = "PDF_LAUNCH";
    public static final String AUTO_ACTION = "PDF_AUTO_ACTION";
    public static final String UNPARSABLE = "PDF_UNPARSABLE";
    public static final String LIMIT = "PDF_LIMIT";
    public static final String FAILURE_SYMBOL = "PDF_FAIL";
    /** PDFBox scratch memory per document. */
    static final long MAX_PDFBOX_MEMORY = 128L << 20;
    private static final byte[] MAGIC = "%PDF-".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final Logger LOG = Logger.getLogger(PdfActiveContentEngine.class);

    private final long maxBytes;
    private final int maxWalkObjects;

    @Inject
    public PdfActiveContentEngine(ScannerConfig config) {
        this(config.scanner().activeContent().pdfMaxBytes());
    }

    public PdfActiveContentEngine(long maxBytes) {
        this(maxBytes, PdfActions.MAX_OBJECTS);
    }

    /** With another bound on the objects walked per PDF (tests). */
    PdfActiveContentEngine(long maxBytes, int maxWalkObjects) {
        if (maxBytes <= 0) {
            throw new IllegalStateException("portcullis.scanner.active-content.pdf-max-bytes must be positive");
        }
        this.maxBytes = maxBytes;
        this.maxWalkObjects = maxWalkObjects;
    }

    @Override
    public String name() {
        return "pdf-active-content";
    }

    @Override
    public String failureSymbol() {
        return FAILURE_SYMBOL;
    }

    @Override
    public EngineResult scan(ScanInput input) throws InterruptedException {
        List<Finding> findings = new ArrayList<>();
        for (ScanItem item : input.items()) {
            if (Thread.interrupted()) {
                throw new InterruptedException("PDF engine cancelled");
            }
            if (item.depth() > 0 && isPdf(item.content())) {
                scanPdf(item, findings);
            }
        }
        return EngineResult.ok(name(), findings);
    }

    /** {@code %PDF-} within the first 1024 bytes, as readers accept it. */
    static boolean isPdf(byte[] b) {
        if (b == null || b.length < MAGIC.length) {
            return false;
        }
        int limit = Math.min(b.length - MAGIC.length, 1024 - MAGIC.length);
        outer:
        for (int i = 0; i <= limit; i++) {
            for (int k = 0; k < MAGIC.length; k++) {
                if (b[i + k] != MAGIC[k]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private void scanPdf(ScanItem item, List<Finding> findings) throws InterruptedException {
        byte[] bytes = item.content();
        PdfTokens.Result tokens = PdfTokens.scan(bytes, PdfTokens.MAX_STRUCTURE_STREAM_BYTES);
        Set<String> js = new LinkedHashSet<>();
        Set<String> launch = new LinkedHashSet<>();
        Set<String> other = new LinkedHashSet<>();
        String unparsable = null;
        String partial = null;
        if (bytes.length > maxBytes) {
            unparsable = "larger than " + maxBytes + " bytes, not parsed";
        } else if (tokens.objectStreamProblem() != null) {
            unparsable = "has " + tokens.objectStreamProblem() + ", not parsed";
        } else {
            try (PDDocument doc = Loader.loadPDF(bytes, "", null, null,
                    MemoryUsageSetting.setupMainMemoryOnly(MAX_PDFBOX_MEMORY).streamCache)) {
                PdfActions actions = PdfActions.of(doc, maxWalkObjects);
                js.addAll(actions.javascript());
                launch.addAll(actions.launch());
                other.addAll(actions.other());
                if (actions.unreadableObjects() > 0) {
                    unparsable = "has " + actions.unreadableObjects() + " object"
                            + (actions.unreadableObjects() > 1 ? "s" : "") + " PDFBox cannot parse, not inspected";
                }
                if (actions.truncated() != null) {
                    partial = "only partly inspected: " + actions.truncated();
                }
            } catch (InvalidPasswordException e) {
                unparsable = "encrypted with a user password";
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception | StackOverflowError e) {
                LOG.debugf(e, "PDF %s not parsed", item.path());
                // Without a single object definition there is nothing a reader could run either.
                unparsable = tokens.objects() == 0 ? null
                        : "PDFBox cannot parse it (" + e.getClass().getSimpleName() + ")";
            }
        }
        tokenFindings(tokens, js, launch, other);
        add(findings, JAVASCRIPT, Category.ACTIVE_CONTENT, "JavaScript", item, js);
        add(findings, LAUNCH, Category.ACTIVE_CONTENT, "launch action", item, launch);
        add(findings, AUTO_ACTION, Category.CONTENT, "actions", item, other);
        if (unparsable != null) {
            findings.add(new Finding(UNPARSABLE, Category.FAILURE, 0, "PDF in " + item.path() + " " + unparsable));
        }
        if (partial != null) {
            findings.add(new Finding(LIMIT, Category.FAILURE, 0, "PDF in " + item.path() + " " + partial));
        }
    }

    /** Raw names the parse did not explain (unreachable or unparsable objects, escaped names). */
    private static void tokenFindings(PdfTokens.Result t, Set<String> js, Set<String> launch, Set<String> other) {
        if (t.count("JavaScript") + t.count("JS") > 0) {
            boolean escaped = t.escaped().contains("JavaScript") || t.escaped().contains("JS");
            if (js.isEmpty() || escaped) {
                js.add(escaped ? "escaped /JavaScript or /JS name" : "/JavaScript or /JS name in the bytes");
            }
        }
        if (t.count("Launch") > 0 && (launch.isEmpty() || t.escaped().contains("Launch"))) {
            launch.add(t.escaped().contains("Launch") ? "escaped /Launch name" : "/Launch name in the bytes");
        }
        for (String name : List.of("SubmitForm", "ImportData", "GoToE")) {
            if (t.count(name) > 0 && other.stream().noneMatch(o -> o.contains(name))) {
                other.add(name + (t.escaped().contains(name) ? " (escaped name)" : ""));
            }
        }
    }

    private static void add(List<Finding> findings, String symbol, Category category, String what, ScanItem item,
                            Collection<String> places) {
        if (places.isEmpty()) {
            return;
        }
        String detail = what + " in " + item.path() + ": " + String.join(", ", places);
        findings.add(new Finding(symbol, category, 0, detail.length() > 300 ? detail.substring(0, 297) + "..." : detail));
    }
}

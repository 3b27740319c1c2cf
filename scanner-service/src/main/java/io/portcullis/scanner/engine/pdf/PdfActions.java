package io.portcullis.scanner.engine.pdf;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.zip.Inflater;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSDocument;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSObject;
import org.apache.pdfbox.cos.COSObjectKey;
import org.apache.pdfbox.cos.COSStream;
import org.apache.pdfbox.pdmodel.PDDocument;

/**
 * Where a parsed PDF (PDFBox) has actions: every object of the cross-reference table is visited (with its direct
 * sub-dictionaries), so actions are found whether or not the page tree reaches them, including objects inside object
 * streams that a raw byte scan cannot see. Actions are classified by type and by what triggers them: the document's
 * OpenAction, the JavaScript name tree, additional actions (AA) of the document, pages, annotations and form fields,
 * and XFA forms with scripts. Bounded in objects, nesting and bytes read; a walk that hit a bound says so
 * ({@link #truncated()}), and so does one with objects PDFBox could not parse ({@link #unreadableObjects()}): what they
 * hold was not inspected.
 */
public final class PdfActions {
    public static final int MAX_OBJECTS = 500_000;
    static final int MAX_NODES = 2_000_000;
    static final int MAX_DEPTH = 32;
    static final int MAX_XFA_BYTES = 8 << 20;
    private static final COSName JS = COSName.getPDFName("JS");
    private static final COSName XFA = COSName.getPDFName("XFA");
    private static final COSName GOTO_E = COSName.getPDFName("GoToE");
    private static final COSName GOTO = COSName.getPDFName("GoTo");
    private static final COSName LAUNCH = COSName.getPDFName("Launch");
    private static final COSName SUBMIT_FORM = COSName.getPDFName("SubmitForm");
    private static final COSName IMPORT_DATA = COSName.getPDFName("ImportData");

    /** JavaScript triggers/places, launch actions, other notable actions. */
    final Set<String> javascript = new LinkedHashSet<>();
    final Set<String> launch = new LinkedHashSet<>();
    final Set<String> other = new LinkedHashSet<>();
    int unreadableObjects;
    String truncated;

    private final Map<COSDictionary, Set<String>> actions = new IdentityHashMap<>();
    private int nodes;

    private final int maxObjects;

    private PdfActions(int maxObjects) {
        this.maxObjects = maxObjects;
    }

    /** Walks {@code document}; never throws for bad objects (they are counted), only for an interrupt. */
    public static PdfActions of(PDDocument document) throws InterruptedException {
        return of(document, MAX_OBJECTS);
    }

    /** Walks at most {@code maxObjects} objects of the cross-reference table. */
    public static PdfActions of(PDDocument document, int maxObjects) throws InterruptedException {
        PdfActions a = new PdfActions(maxObjects);
        a.walk(document);
        return a;
    }

    /** Why the walk stopped short (an object, node or nesting bound), or null when it saw everything reachable. */
    public String truncated() {
        return truncated;
    }

    /** Objects of the cross-reference table (and the catalog) that PDFBox could not parse: not inspected. */
    public int unreadableObjects() {
        return unreadableObjects;
    }

    public Set<String> javascript() {
        return Collections.unmodifiableSet(javascript);
    }

    public Set<String> launch() {
        return Collections.unmodifiableSet(launch);
    }

    public Set<String> other() {
        return Collections.unmodifiableSet(other);
    }

    private void walk(PDDocument document) throws InterruptedException {
        COSDocument cos = document.getDocument();
        COSDictionary catalog = null;
        try {
            catalog = document.getDocumentCatalog().getCOSObject();
        } catch (RuntimeException e) {
            unreadableObjects++;
        }
        if (catalog != null) {
            catalog(catalog);
        }
        List<COSObjectKey> keys = new ArrayList<>(cos.getXrefTable().keySet());
        int visited = 0;
        for (COSObjectKey key : keys) {
            if (++visited > maxObjects) {
                truncate("more than " + maxObjects + " objects");
                break;
            }
            if (nodes > MAX_NODES) {
                truncate("more than " + MAX_NODES + " nodes");
                break;
            }
            if ((visited & 0xFF) == 0 && Thread.interrupted()) {
                throw new InterruptedException("PDF walk cancelled");
            }
            COSBase base;
            try {
                COSObject object = cos.getObjectFromPool(key);
                // PDFBox logs a parse error and leaves the object null (a null object is COSNull)
                base = object == null ? null : object.getObject();
            } catch (RuntimeException | StackOverflowError e) {
                base = null;
            }
            if (base == null) {
                unreadableObjects++;
                continue;
            }
            visit(base, 0);
        }
        classify();
    }

    private void catalog(COSDictionary catalog) {
        COSBase open = resolve(catalog.getItem(COSName.OPEN_ACTION));
        if (open instanceof COSDictionary action) {
            action(action, "OpenAction", 0);
        }
        additional(catalog, "document");
        COSBase names = resolve(catalog.getItem(COSName.NAMES));
        if (names instanceof COSDictionary n && n.containsKey(COSName.JAVA_SCRIPT)) {
            javascript.add("document JavaScript name tree");
            nameTree(resolve(n.getItem(COSName.JAVA_SCRIPT)), 0);
        }
        COSBase form = resolve(catalog.getItem(COSName.ACRO_FORM));
        if (form instanceof COSDictionary acro) {
            xfa(resolve(acro.getItem(XFA)));
        }
    }

    private void visit(COSBase base, int depth) {
        if (base == null || !budget(depth, MAX_DEPTH)) {
            return;
        }
        if (base instanceof COSDictionary d) {
            if (d.containsKey(COSName.S) || d.containsKey(JS)) {
                action(d, null, 0);
            }
            if (d.containsKey(COSName.AA)) {
                additional(d, owner(d));
            }
            for (COSBase value : d.getValues()) {
                if (!(value instanceof COSObject)) {
                    visit(value, depth + 1);
                }
            }
        } else if (base instanceof COSArray array) {
            for (int k = 0; k < array.size(); k++) {
                COSBase value = array.get(k);
                if (!(value instanceof COSObject)) {
                    visit(value, depth + 1);
                }
            }
        }
    }

    /** The actions of an AA dictionary run on events (open, close, focus, keystroke, ...): automatic. */
    private void additional(COSDictionary owner, String ownerKind) {
        COSBase aa = resolve(owner.getItem(COSName.AA));
        if (!(aa instanceof COSDictionary events)) {
            return;
        }
        for (Map.Entry<COSName, COSBase> e : events.entrySet()) {
            if (resolve(e.getValue()) instanceof COSDictionary action) {
                action(action, ownerKind + " AA/" + safe(e.getKey().getName()), 0);
            }
        }
    }

    /**
     * Records one action dictionary (and its /Next chain) with the automatic event that runs it, or with none
     * ({@code trigger} null) for an action found anywhere (a link, a button); classified in {@link #classify()}.
     */
    private void action(COSDictionary d, String trigger, int depth) {
        if (!budget(depth, 16)) {
            return;
        }
        Set<String> triggers = actions.get(d);
        boolean first = triggers == null;
        if (first) {
            triggers = new LinkedHashSet<>();
            actions.put(d, triggers);
        }
        if (trigger == null ? !first : !triggers.add(trigger)) {
            return;
        }
        COSBase next = resolve(d.getItem(COSName.NEXT));
        if (next instanceof COSDictionary n) {
            action(n, trigger, depth + 1);
        } else if (next instanceof COSArray list) {
            if (list.size() > 64) {
                truncate("more than 64 actions in a /Next list");
            }
            for (int k = 0; k < Math.min(list.size(), 64); k++) {
                if (resolve(list.get(k)) instanceof COSDictionary n) {
                    action(n, trigger, depth + 1);
                }
            }
        }
    }

    /** Counts one node; false (and the walk marked truncated) beyond the nesting or node bound. */
    private boolean budget(int depth, int maxDepth) {
        if (depth > maxDepth) {
            truncate("nested deeper than " + maxDepth);
            return false;
        }
        if (++nodes > MAX_NODES) {
            truncate("more than " + MAX_NODES + " nodes");
            return false;
        }
        return true;
    }

    private void truncate(String why) {
        if (truncated == null) {
            truncated = why;
        }
    }

    /** Sorts the recorded actions into JavaScript, launch and other notable actions, each with where it runs. */
    private void classify() {
        for (Map.Entry<COSDictionary, Set<String>> e : actions.entrySet()) {
            COSDictionary d = e.getKey();
            Set<String> triggers = e.getValue();
            List<String> places = triggers.isEmpty() ? List.of("action") : List.copyOf(triggers);
            COSName type = d.getCOSName(COSName.S);
            if (COSName.JAVA_SCRIPT.equals(type) || d.containsKey(JS)) {
                javascript.addAll(places);
            } else if (LAUNCH.equals(type)) {
                launch.addAll(places);
            } else if (SUBMIT_FORM.equals(type) || IMPORT_DATA.equals(type) || GOTO_E.equals(type)) {
                if (triggers.isEmpty()) {
                    other.add(type.getName());
                }
                triggers.forEach(t -> other.add(type.getName() + " on " + t));
            } else if (type != null && !GOTO.equals(type)) {
                triggers.forEach(t -> other.add(t + " " + safe(type.getName())));
            }
        }
    }

    /** The JavaScript name tree: its values are document-level scripts, run when the document opens. */
    private void nameTree(COSBase node, int depth) {
        if (!(node instanceof COSDictionary d) || !budget(depth, 16)) {
            return;
        }
        if (d.getItem(COSName.NAMES) != null && resolve(d.getItem(COSName.NAMES)) instanceof COSArray pairs) {
            if (pairs.size() > 20_000) {
                truncate("more than 10000 entries in a JavaScript name tree node");
            }
            for (int k = 1; k < Math.min(pairs.size(), 20_000); k += 2) {
                if (resolve(pairs.get(k)) instanceof COSDictionary action) {
                    action(action, "document JavaScript name tree", 0);
                }
            }
        }
        if (resolve(d.getItem(COSName.KIDS)) instanceof COSArray kids) {
            if (kids.size() > 20_000) {
                truncate("more than 20000 kids in a JavaScript name tree node");
            }
            for (int k = 0; k < Math.min(kids.size(), 20_000); k++) {
                nameTree(resolve(kids.get(k)), depth + 1);
            }
        }
    }

    /** XFA forms (a stream or an array of name/stream pairs) run their {@code <script>} elements. */
    private void xfa(COSBase xfa) {
        if (xfa == null) {
            return;
        }
        List<COSStream> streams = new ArrayList<>();
        if (xfa instanceof COSStream s) {
            streams.add(s);
        } else if (xfa instanceof COSArray parts) {
            for (int k = 0; k < Math.min(parts.size(), 256); k++) {
                if (resolve(parts.get(k)) instanceof COSStream s) {
                    streams.add(s);
                }
            }
        }
        long budget = MAX_XFA_BYTES;
        for (COSStream s : streams) {
            String text = boundedText(s, budget);
            if (text == null) {
                other.add("XFA form not inspected (unsupported filter)");
                return;
            }
            budget -= text.length();
            if (text.toLowerCase(Locale.ROOT).contains("<script")) {
                javascript.add("XFA form script");
                return;
            }
            if (budget <= 0) {
                return;
            }
        }
    }

    /** A stream's text, inflated by us with a bound (never through PDFBox's unbounded decode), or null. */
    private static String boundedText(COSStream s, long max) {
        COSBase filter = s.getDictionaryObject(COSName.FILTER);
        boolean flate = COSName.FLATE_DECODE.equals(filter)
                || filter instanceof COSArray a && a.size() == 1 && COSName.FLATE_DECODE.equals(a.getObject(0));
        if (filter != null && !flate) {
            return null;
        }
        try (InputStream raw = s.createRawInputStream()) {
            byte[] in = raw.readNBytes((int) Math.min(max, Integer.MAX_VALUE - 16));
            if (!flate) {
                return new String(in, StandardCharsets.ISO_8859_1);
            }
            Inflater inflater = new Inflater();
            try {
                inflater.setInput(in);
                byte[] out = new byte[(int) Math.min(max, 1 << 20)];
                StringBuilder text = new StringBuilder();
                while (!inflater.finished() && text.length() < max) {
                    int k = inflater.inflate(out);
                    if (k == 0) {
                        break;
                    }
                    text.append(new String(out, 0, k, StandardCharsets.ISO_8859_1));
                }
                return text.toString();
            } finally {
                inflater.end();
            }
        } catch (IOException | java.util.zip.DataFormatException | RuntimeException e) {
            return "";
        }
    }

    private static String owner(COSDictionary d) {
        COSName type = d.getCOSName(COSName.TYPE);
        if (COSName.PAGE.equals(type)) {
            return "page";
        }
        if (COSName.ANNOT.equals(type) || d.containsKey(COSName.RECT) && d.containsKey(COSName.SUBTYPE)) {
            return "annotation";
        }
        if (d.containsKey(COSName.FT) || d.containsKey(COSName.T)) {
            return "form field";
        }
        if (COSName.CATALOG.equals(type)) {
            return "document";
        }
        return "object";
    }

    private static COSBase resolve(COSBase b) {
        try {
            return b instanceof COSObject o ? o.getObject() : b;
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String safe(String name) {
        String s = name.replaceAll("[^A-Za-z0-9]", "");
        return s.length() > 20 ? s.substring(0, 20) : s;
    }
}

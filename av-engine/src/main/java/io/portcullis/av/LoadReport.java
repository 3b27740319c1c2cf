package io.portcullis.av;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What a load did: signatures per format, rejected lines (lenient mode), unsupported files, container headers. */
public final class LoadReport {
    private final Map<String, Integer> signaturesByFormat = new LinkedHashMap<>();
    private final List<SignatureLoadException> errors = new ArrayList<>();
    private final List<String> unsupported = new ArrayList<>();
    private final List<String> skipped = new ArrayList<>();
    private final List<CvdHeader> containers = new ArrayList<>();
    private final Map<String, Integer> limitations = new LinkedHashMap<>();
    private int skippedByLevel;

    void count(String format) { signaturesByFormat.merge(format, 1, Integer::sum); }
    void error(SignatureLoadException e) { errors.add(e); }
    void unsupported(String database, String why) { unsupported.add(database + ": " + why); }
    void skipped(String database) { skipped.add(database); }
    void container(CvdHeader header) { containers.add(header); }
    void limitation(String what) { limitations.merge(what, 1, Integer::sum); }
    void skippedByLevel() { skippedByLevel++; }

    /** Loaded signatures per format ("hdb", "hsb", "ndb"). */
    public Map<String, Integer> signaturesByFormat() { return Collections.unmodifiableMap(signaturesByFormat); }
    /** Lines rejected in lenient mode (empty in strict mode: the first one was thrown). */
    public List<SignatureLoadException> errors() { return Collections.unmodifiableList(errors); }
    /** Database files that were skipped because their format is not yet supported. */
    public List<String> unsupported() { return Collections.unmodifiableList(unsupported); }
    /** Loaded signatures whose feature is approximated in this version (e.g. "offset EP+n scanned as *"), with counts. */
    public Map<String, Integer> limitations() { return Collections.unmodifiableMap(limitations); }
    /** Hash databases left out on purpose ({@link LoadOptions#includeHashes()} false). */
    public List<String> skipped() { return Collections.unmodifiableList(skipped); }
    /**
     * Signatures skipped because their functionality level range excludes the declared one
     * ({@link LoadOptions#functionalityLevel()}): they need a newer engine, or are meant for older ones only.
     */
    public int skippedByFunctionalityLevel() { return skippedByLevel; }
    /** Headers of the .cvd/.cld containers loaded. */
    public List<CvdHeader> containers() { return Collections.unmodifiableList(containers); }
}

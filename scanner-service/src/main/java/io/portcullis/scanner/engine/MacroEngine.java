package io.portcullis.scanner.engine;

import io.portcullis.contracts.scan.Category;
import io.portcullis.contracts.scan.EngineResult;
import io.portcullis.contracts.scan.Finding;
import io.portcullis.contracts.scan.ScanEngine;
import io.portcullis.contracts.scan.ScanInput;
import io.portcullis.contracts.scan.ScanItem;
import io.portcullis.scanner.config.ScannerConfig;
import io.portcullis.scanner.engine.macro.OfficeMacros;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Office macros ({@link OfficeMacros}): VBA projects in OLE2 and OOXML files, StarBasic in ODF and ActiveMime
 * containers are MACRO_VBA; Excel 4.0 macro sheets (BIFF8 and OOXML) are MACRO_XLM; both ACTIVE_CONTENT. The detail
 * names the item, the project and its modules, the auto-exec entry points and suspicious calls, never code. A project
 * that exists but cannot be read (corrupt, truncated) is still reported.
 *
 * <p>The same project reaches this engine more than once when the decomposition also yields a container's parts
 * (a .docm and its {@code zip:word/vbaProject.bin} entry, an OLE2 file and its embedded objects, the same file attached
 * twice): each project is reported once per message, at the first item it was found in, identified by content (the
 * hash of its {@code dir} stream, of its workbook stream, of the unreadable project's bytes).
 */
@ApplicationScoped
public class MacroEngine implements ScanEngine {
    public static final String VBA = "MACRO_VBA";
    public static final String XLM = "MACRO_XLM";
    public static final String FAILURE_SYMBOL = "MACRO_FAIL";

    private final OfficeMacros macros;

    @Inject
    public MacroEngine(ScannerConfig config) {
        this(config.scanner().activeContent().macroMaxSourceBytes());
    }

    public MacroEngine(int maxSourceBytes) {
        if (maxSourceBytes <= 0) {
            throw new IllegalStateException("portcullis.scanner.active-content.macro-max-source-bytes must be positive");
        }
        this.macros = new OfficeMacros(maxSourceBytes);
    }

    @Override
    public String name() {
        return "macro";
    }

    @Override
    public String failureSymbol() {
        return FAILURE_SYMBOL;
    }

    @Override
    public EngineResult scan(ScanInput input) throws InterruptedException {
        List<Finding> findings = new ArrayList<>();
        Set<String> fingerprints = new HashSet<>();
        for (ScanItem item : input.items()) {
            if (Thread.interrupted()) {
                throw new InterruptedException("macro engine cancelled");
            }
            if (item.depth() == 0 || !OfficeMacros.candidate(item.content())) {
                continue;
            }
            for (OfficeMacros.Hit hit : macros.find(item.content())) {
                String symbol = hit.kind() == OfficeMacros.Kind.XLM ? XLM : VBA;
                if (!fingerprints.add(symbol + ':' + hit.fingerprint())) {
                    continue;
                }
                findings.add(new Finding(symbol, Category.ACTIVE_CONTENT, 0, clip(hit.detail()) + " in "
                        + item.path()));
            }
        }
        return EngineResult.ok(name(), findings);
    }

    private static String clip(String s) {
        return s.length() > 400 ? s.substring(0, 397) + "..." : s;
    }
}

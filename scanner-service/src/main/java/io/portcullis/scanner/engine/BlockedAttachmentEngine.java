package io.portcullis.scanner.engine;

import io.portcullis.contracts.scan.Category;
import io.portcullis.contracts.scan.EngineResult;
import io.portcullis.contracts.scan.Finding;
import io.portcullis.contracts.scan.ScanEngine;
import io.portcullis.contracts.scan.ScanInput;
import io.portcullis.contracts.scan.ScanItem;
import io.portcullis.scanner.mime.FileNames;
import io.portcullis.scanner.policy.PolicySource;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reports files (MIME parts and archive entries) whose last extension is in the current policy snapshot's blocked
 * extensions: {@code invoice.pdf.exe} counts as {@code exe}; case, trailing dots and spaces do not matter.
 */
@ApplicationScoped
public class BlockedAttachmentEngine implements ScanEngine {
    public static final String SYMBOL = "BANNED_EXTENSION";
    public static final String FAILURE_SYMBOL = "ATTACHMENT_FAIL";

    private final PolicySource policy;

    public BlockedAttachmentEngine(PolicySource policy) {
        this.policy = policy;
    }

    @Override
    public String name() {
        return "blocked-attachment";
    }

    @Override
    public String failureSymbol() {
        return FAILURE_SYMBOL;
    }

    @Override
    public EngineResult scan(ScanInput input) {
        Set<String> blocked = new HashSet<>();
        for (String ext : policy.current().blockedExtensions()) {
            String e = ext.trim().toLowerCase(Locale.ROOT);
            blocked.add(e.startsWith(".") ? e.substring(1) : e);
        }
        List<Finding> findings = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (ScanItem item : input.items()) {
            String ext = FileNames.lastExtension(item.filename());
            if (!ext.isEmpty() && blocked.contains(ext) && seen.add(item.path() + "|" + ext)) {
                findings.add(new Finding(SYMBOL, Category.BLOCKED_ATTACHMENT, 0, ext + " in " + item.path()));
            }
        }
        return EngineResult.ok(name(), findings);
    }
}

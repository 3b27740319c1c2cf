package io.portcullis.scanner.engine;

import io.portcullis.contracts.scan.Category;
import io.portcullis.contracts.scan.EngineResult;
import io.portcullis.contracts.scan.Finding;
import io.portcullis.contracts.scan.ScanEngine;
import io.portcullis.contracts.scan.ScanInput;
import io.portcullis.contracts.scan.ScanItem;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Finds the EICAR anti-virus test file anywhere in any item (raw message, decoded parts, archive entries). */
@ApplicationScoped
public class EicarEngine implements ScanEngine {
    public static final String SYMBOL = "EICAR_TEST";
    public static final String FAILURE_SYMBOL = "AV_FAIL";
    /** The published 68-byte EICAR test string. */
    static final byte[] EICAR = "X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
            .getBytes(StandardCharsets.US_ASCII);

    @Override
    public String name() {
        return "eicar";
    }

    @Override
    public String failureSymbol() {
        return FAILURE_SYMBOL;
    }

    @Override
    public EngineResult scan(ScanInput input) {
        List<Finding> findings = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (ScanItem item : input.items()) {
            if (item.content() != null && Bytes.indexOf(item.content(), EICAR) >= 0 && seen.add(item.path())) {
                findings.add(new Finding(SYMBOL, Category.VIRUS, 0, "Eicar-Test-Signature in " + item.path()));
            }
        }
        return EngineResult.ok(name(), findings);
    }
}

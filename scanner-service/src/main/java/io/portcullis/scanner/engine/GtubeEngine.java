package io.portcullis.scanner.engine;

import io.portcullis.contracts.scan.Category;
import io.portcullis.contracts.scan.EngineResult;
import io.portcullis.contracts.scan.Finding;
import io.portcullis.contracts.scan.ScanEngine;
import io.portcullis.contracts.scan.ScanInput;
import io.portcullis.contracts.scan.ScanItem;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/** Finds the GTUBE spam test string in the raw message or a text part: one finding scoring 1000. */
@ApplicationScoped
public class GtubeEngine implements ScanEngine {
    public static final String SYMBOL = "GTUBE";
    public static final String FAILURE_SYMBOL = "SPAM_FAIL";
    public static final double SCORE = 1000;
    static final byte[] GTUBE = "XJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X"
            .getBytes(StandardCharsets.US_ASCII);

    @Override
    public String name() {
        return "gtube";
    }

    @Override
    public String failureSymbol() {
        return FAILURE_SYMBOL;
    }

    @Override
    public EngineResult scan(ScanInput input) {
        for (ScanItem item : input.items()) {
            if (isTextOrRaw(item) && item.content() != null && Bytes.indexOf(item.content(), GTUBE) >= 0) {
                return EngineResult.ok(name(), List.of(new Finding(SYMBOL, Category.SPAM, SCORE,
                        "GTUBE in " + item.path())));
            }
        }
        return EngineResult.ok(name(), List.of());
    }

    private static boolean isTextOrRaw(ScanItem item) {
        return item.depth() == 0 || (item.contentType() != null
                && item.contentType().toLowerCase(Locale.ROOT).startsWith("text/"));
    }
}

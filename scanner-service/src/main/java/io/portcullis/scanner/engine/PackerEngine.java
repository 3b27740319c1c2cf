package io.portcullis.scanner.engine;

import io.portcullis.contracts.scan.Category;
import io.portcullis.contracts.scan.EngineResult;
import io.portcullis.contracts.scan.Finding;
import io.portcullis.contracts.scan.ScanEngine;
import io.portcullis.contracts.scan.ScanInput;
import io.portcullis.contracts.scan.ScanItem;
import io.portcullis.scanner.engine.pe.PeImage;
import io.portcullis.scanner.engine.pe.Packers;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * IntelliTrap for executables: Windows PE files (any item starting with "MZ", whatever its name) packed with a known
 * packer or protector ({@link Packers}: UPX, ASPack, FSG, MEW, Petite, Upack, WWPack, yoda's Crypter, PESpin,
 * PECompact, MPRESS, Themida, VMProtect, NSIS installers) are PACKED_EXECUTABLE, detail {@code upx in <path>}; one
 * that only looks packed (high-entropy writable code, hollow code sections, entry point in the headers) is
 * PACKED_UNKNOWN. Both are FAILURE findings: packed code hides from signatures, so it is not a clean scan.
 */
@ApplicationScoped
public class PackerEngine implements ScanEngine {
    public static final String SYMBOL = "PACKED_EXECUTABLE";
    public static final String UNKNOWN_SYMBOL = "PACKED_UNKNOWN";
    public static final String FAILURE_SYMBOL = "PACKER_FAIL";

    @Override
    public String name() {
        return "packer";
    }

    @Override
    public String failureSymbol() {
        return FAILURE_SYMBOL;
    }

    @Override
    public EngineResult scan(ScanInput input) throws InterruptedException {
        List<Finding> findings = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (ScanItem item : input.items()) {
            if (Thread.interrupted()) {
                throw new InterruptedException("packer engine cancelled");
            }
            if (!PeImage.looksLikeMz(item.content())) {
                continue;
            }
            Optional<PeImage> image = PeImage.parse(item.content());
            if (image.isEmpty()) {
                continue;
            }
            List<String> packers = Packers.detect(image.get());
            for (String packer : packers) {
                if (seen.add(packer + '\u0000' + item.path())) {
                    findings.add(new Finding(SYMBOL, Category.FAILURE, 0, packer + " in " + item.path()));
                }
            }
            if (packers.isEmpty()) {
                Optional<String> reason = Packers.unknownPackerReason(image.get());
                if (reason.isPresent() && seen.add("?\u0000" + item.path())) {
                    findings.add(new Finding(UNKNOWN_SYMBOL, Category.FAILURE, 0,
                            reason.get() + " in " + item.path()));
                }
            }
        }
        return EngineResult.ok(name(), findings);
    }
}

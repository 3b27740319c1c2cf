package io.portcullis.scanner.support;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Debian's clamav-testfiles package ({@code /usr/share/clamav-testfiles}). Tests using it are skipped when it is not
 * installed on a developer machine, but fail under CI (env {@code CI} set), where it must be installed.
 */
public final class ClamavTestFiles {
    public static final Path DIR = Path.of("/usr/share/clamav-testfiles");

    private ClamavTestFiles() {
    }

    /** Skips the calling test (developer machine) or fails it (CI) when the package is missing. */
    public static void require() {
        boolean present = Files.isDirectory(DIR);
        String ci = System.getenv("CI");
        if (ci != null && !ci.isBlank()) {
            assertTrue(present, DIR + " is missing: install the clamav-testfiles package");
        }
        assumeTrue(present, DIR + " is missing (apt-get install clamav-testfiles)");
    }

    public static byte[] read(String name) {
        require();
        try {
            return Files.readAllBytes(DIR.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

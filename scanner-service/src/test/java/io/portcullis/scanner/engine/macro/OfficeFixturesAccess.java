package io.portcullis.scanner.engine.macro;

import java.io.ByteArrayInputStream;
import java.util.Map;
import org.apache.poi.poifs.filesystem.DirectoryEntry;

/** Fixtures that need package access. */
public final class OfficeFixturesAccess {
    private OfficeFixturesAccess() {
    }

    /** A Word document whose single module stream holds {@code compressed} (already in MS-OVBA form) at offset 0. */
    public static byte[] wordDocWithRawModule(String module, byte[] compressed) {
        return OfficeFixtures.ole2(fs -> {
            DirectoryEntry macros = fs.getRoot().createDirectory("Macros");
            DirectoryEntry vba = macros.createDirectory("VBA");
            vba.createDocument("dir", new ByteArrayInputStream(OfficeFixtures.compress(
                    OfficeFixtures.dirStream(Map.of(module, false), 0))));
            vba.createDocument(module, new ByteArrayInputStream(compressed));
            macros.createDocument("PROJECT", new ByteArrayInputStream(OfficeFixtures.ascii("Module=" + module)));
        });
    }
}

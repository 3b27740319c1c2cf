package io.portcullis.scanner.mime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class FileNamesTest {

    @Test
    void lastExtensionIsLowerCaseWithoutDot() {
        assertEquals("exe", FileNames.lastExtension("Setup.EXE"));
        assertEquals("exe", FileNames.lastExtension("invoice.pdf.exe"));
        assertEquals("pdf", FileNames.lastExtension("setup.exe.pdf"));
    }

    @Test
    void trailingDotsAndSpacesAreIgnoredLikeWindowsDoes() {
        assertEquals("exe", FileNames.lastExtension("a.exe."));
        assertEquals("exe", FileNames.lastExtension("a.exe . .  "));
        assertEquals("exe", FileNames.lastExtension("a.exe\u00a0"));
    }

    @Test
    void onlyTheLastPathSegmentCounts() {
        assertEquals("", FileNames.lastExtension("dir.exe/readme"));
        assertEquals("js", FileNames.lastExtension("a\\b\\c.js"));
    }

    @Test
    void noExtensionGivesEmpty() {
        assertEquals("", FileNames.lastExtension("README"));
        assertEquals("", FileNames.lastExtension(null));
        assertEquals("", FileNames.lastExtension("..."));
        assertEquals("", FileNames.lastExtension(""));
    }
}

package io.portcullis.scanner.mime;

import java.util.Locale;

/** File-name helpers shared by the decomposer and the engines. */
public final class FileNames {
    private FileNames() {
    }

    /**
     * The last extension of a file name, lower case without the dot: the last path segment is taken, trailing dots and
     * white space are trimmed (Windows ignores them), so {@code "dir/invoice.pdf.EXE. "} gives {@code "exe"}.
     *
     * @return the extension, or "" when there is none
     */
    public static String lastExtension(String filename) {
        if (filename == null) {
            return "";
        }
        String name = filename;
        int slash = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
        if (slash >= 0) {
            name = name.substring(slash + 1);
        }
        int end = name.length();
        while (end > 0 && (name.charAt(end - 1) == '.' || Character.isWhitespace(name.charAt(end - 1))
                || Character.isSpaceChar(name.charAt(end - 1)))) {
            end--;
        }
        name = name.substring(0, end);
        int dot = name.lastIndexOf('.');
        if (dot < 0 || dot == name.length() - 1) {
            return "";
        }
        return name.substring(dot + 1).trim().toLowerCase(Locale.ROOT);
    }
}

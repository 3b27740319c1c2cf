package io.portcullis.scanner.mime;

import java.util.Locale;
import java.util.Set;

/** File-name helpers shared by the decomposer and the engines. */
public final class FileNames {
    /** Extensions of documents and media that a deceptive name shows before the real one. */
    static final Set<String> DECEPTIVE_FIRST = Set.of("pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "rtf",
            "txt", "csv", "jpg", "jpeg", "png", "gif", "bmp", "tif", "tiff", "mp3", "mp4", "avi", "mov", "wav", "htm",
            "html", "odt", "ods", "zip", "rar", "7z", "eml", "msg", "xml", "json");
    /** Extensions that run code (or open something that does) when the file is opened. */
    static final Set<String> EXECUTABLE_LAST = Set.of("exe", "scr", "com", "pif", "bat", "cmd", "vbs", "vbe", "js",
            "jse", "wsf", "wsh", "hta", "ps1", "msi", "lnk", "jar", "cpl", "dll", "reg", "iso", "img", "vhd", "chm",
            "application", "appref-ms", "gadget", "msc", "scf", "url", "inf", "sh", "app");

    private FileNames() {
    }

    /**
     * A deceptive double extension: a document or media extension followed by an executable one
     * ({@code invoice.pdf.exe}, {@code photo.jpg   .scr}), trailing dots and spaces ignored.
     *
     * @return the two extensions ({@code "pdf.exe"}), or null when the name is not deceptive
     */
    public static String doubleExtension(String filename) {
        String last = lastExtension(filename);
        if (!EXECUTABLE_LAST.contains(last)) {
            return null;
        }
        String name = filename.substring(Math.max(filename.lastIndexOf('/'), filename.lastIndexOf('\\')) + 1)
                .strip();
        while (!name.isEmpty() && (name.endsWith(".") || Character.isWhitespace(name.charAt(name.length() - 1)))) {
            name = name.substring(0, name.length() - 1);
        }
        int dot = name.lastIndexOf('.');
        String before = dot > 0 ? name.substring(0, dot).strip() : "";
        String first = lastExtension(before);
        return DECEPTIVE_FIRST.contains(first) ? first + "." + last : null;
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

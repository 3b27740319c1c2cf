package io.portcullis.policy.engine;

/**
 * One attachment as rules see it.
 *
 * @param path     where it is in the message (e.g. {@code part/2}, {@code part/2/zip:a.exe})
 * @param filename the name it carries (or null)
 * @param trueType the type found from its content (e.g. {@code application/pdf}), or null
 * @param size     decoded size in bytes
 */
public record AttachmentInfo(String path, String filename, String trueType, long size) {

    /** The extension of the file name in lower case without the dot, or "". */
    public String extension() {
        if (filename == null) {
            return "";
        }
        int dot = filename.lastIndexOf('.');
        return dot < 0 || dot == filename.length() - 1 ? "" : filename.substring(dot + 1).strip()
                .toLowerCase(java.util.Locale.ROOT);
    }
}

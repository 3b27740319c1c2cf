package io.portcullis.contracts.events;

/**
 * What a verdict records about one attachment: names and sizes only, never content (for reports and for simulating
 * rules on recorded mail).
 *
 * @param path     where it is in the message, e.g. {@code part/2} or {@code part/2/zip:a.exe}
 * @param filename the file name it carries, or null
 * @param trueType the type found from its content, or null
 * @param size     decoded size in bytes
 */
public record AttachmentMeta(String path, String filename, String trueType, long size) {
}

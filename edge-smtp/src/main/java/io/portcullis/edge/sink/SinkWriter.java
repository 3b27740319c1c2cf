package io.portcullis.edge.sink;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.UUID;

/**
 * Writes each message the development sink receives to {@code <dir>/<id>.eml}, where {@code id} is the
 * {@code X-Portcullis-Queue-Id} header (reduced to {@code [A-Za-z0-9_-]}) or a generated id. The file is written
 * under a temporary name and renamed atomically, so readers never see a partial message; a message delivered
 * twice replaces its earlier copy. Each envelope recipient also gets its copy under
 * {@code <dir>/rcpt/<address>/<id>.eml} ({@link #writeFor}), so tests can tell who received what (a split message,
 * a BCC copy, a redirect, a notice).
 */
public final class SinkWriter {

    static final String QUEUE_ID_HEADER = "x-portcullis-queue-id";
    private static final int MAX_ID = 128;
    private static final int MAX_HEADER_SCAN = 1024 * 1024;

    private final Path dir;

    public SinkWriter(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    /**
     * Writes the exact bytes; returns the final path.
     *
     * @param fallbackId the file id when the message has no usable queue-id header (sanitized as well)
     */
    public Path write(byte[] message, String fallbackId) throws IOException {
        return write(message, fallbackId, java.util.List.of());
    }

    /**
     * Writes the exact bytes and gives each recipient its copy ({@code rcpt/<address>/<id>.eml}); returns the main
     * path. The recipients' links are made to this message's own file before it replaces the main one, so two
     * messages with the same id written at once (the groups of a split message, relayed in parallel) never give a
     * recipient the other group's copy.
     */
    public Path write(byte[] message, String fallbackId, java.util.List<String> recipients) throws IOException {
        Files.createDirectories(dir);
        String id = idOf(message, fallbackId);
        Path target = dir.resolve(id + ".eml");
        Path tmp = Files.createTempFile(dir, "." + id + ".", ".tmp");
        try {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                out.write(message);
                if (out instanceof java.io.FileOutputStream f) {
                    f.getFD().sync();
                }
            }
            link(tmp, id + ".eml", recipients);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            return target;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Gives each recipient its copy of a message already written to {@code written}: a hard link under
     * {@code rcpt/<address>/} (no second write; a later message with the same id replaces the main file, not the
     * recipients' links), or a copy where links are not supported. Returns the paths.
     */
    public java.util.List<Path> writeFor(Path written, java.util.List<String> recipients) throws IOException {
        return link(written, written.getFileName().toString(), recipients);
    }

    private java.util.List<Path> link(Path written, String name, java.util.List<String> recipients)
            throws IOException {
        java.util.List<Path> out = new java.util.ArrayList<>();
        for (String rcpt : recipients) {
            String address = rcpt.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9@._+-]", "_");
            if (address.isEmpty() || address.startsWith(".") || address.length() > 254) {
                continue;
            }
            Path folder = dir.resolve("rcpt").resolve(address);
            Files.createDirectories(folder);
            Path link = folder.resolve(name);
            Files.deleteIfExists(link);
            try {
                Files.createLink(link, written);
            } catch (UnsupportedOperationException | IOException e) {
                Files.copy(written, link, StandardCopyOption.REPLACE_EXISTING);
            }
            out.add(link);
        }
        return out;
    }

    /** The file id: the sanitized queue-id header, else the sanitized fallback, else {@code sink-<uuid>}. */
    static String idOf(byte[] message, String fallbackId) {
        String header = queueIdHeader(message);
        String id = header == null ? "" : sanitize(header);
        if (id.isEmpty() && fallbackId != null) {
            id = sanitize(fallbackId);
        }
        return id.isEmpty() ? "sink-" + UUID.randomUUID() : id;
    }

    /**
     * The message without the trace header the sink's own SMTP server prepended (the first field, when it is a
     * Received field naming {@code queueId}), so the file holds exactly what delivery relayed.
     */
    static byte[] withoutOwnReceived(byte[] bytes, String queueId) {
        String start = new String(bytes, 0, Math.min(bytes.length, 4096), StandardCharsets.ISO_8859_1);
        if (!start.regionMatches(true, 0, "Received:", 0, 9)) {
            return bytes;
        }
        int end = 0;
        while (true) {
            int nl = start.indexOf('\n', end);
            if (nl < 0) {
                return bytes;
            }
            end = nl + 1;
            if (end >= start.length() || (start.charAt(end) != ' ' && start.charAt(end) != '\t')) {
                break;
            }
        }
        if (!start.substring(0, end).contains(" id " + queueId)) {
            return bytes;
        }
        return java.util.Arrays.copyOfRange(bytes, end, bytes.length);
    }

    static String sanitize(String value) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < value.length() && sb.length() < MAX_ID; i++) {
            char c = value.charAt(i);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-') {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** The unfolded value of the first queue-id header field in the header block, or null. */
    static String queueIdHeader(byte[] message) {
        int limit = Math.min(message.length, MAX_HEADER_SCAN);
        String head = new String(message, 0, limit, StandardCharsets.ISO_8859_1);
        String[] lines = head.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.isEmpty()) {
                return null;
            }
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).strip().toLowerCase(Locale.ROOT).equals(QUEUE_ID_HEADER)) {
                StringBuilder value = new StringBuilder(line.substring(colon + 1));
                for (int j = i + 1; j < lines.length && !lines[j].isEmpty()
                        && (lines[j].charAt(0) == ' ' || lines[j].charAt(0) == '\t'); j++) {
                    value.append(lines[j]);
                }
                return value.toString().strip();
            }
        }
        return null;
    }
}

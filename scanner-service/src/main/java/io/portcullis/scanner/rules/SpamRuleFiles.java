package io.portcullis.scanner.rules;

import io.portcullis.spam.rules.RuleFileException;
import io.portcullis.spam.rules.RuleLimits;
import io.portcullis.spam.rules.RuleSet;
import io.portcullis.spam.rules.RuleSource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Where the spam rules come from: the shipped files (classpath {@value #SHIPPED_DIR}, in {@link #SHIPPED} order),
 * then every {@code *.cf} of the configured directories, directory by directory, files in name order.
 */
public final class SpamRuleFiles {
    /** Classpath folder of the shipped rule files. */
    public static final String SHIPPED_DIR = "spam/rules/";
    /** The shipped rule files, in the order they are applied (kept equal to the folder by a test). */
    public static final List<String> SHIPPED = List.of("10-headers.cf", "20-body.cf", "30-uri.cf", "40-html.cf");
    /** Largest rule file read from a directory. */
    static final long MAX_FILE_BYTES = 4L * 1024 * 1024;
    /** Most rule files read from all directories. */
    static final int MAX_FILES = 1000;

    private final List<Path> dirs;

    public SpamRuleFiles(List<Path> dirs) {
        this.dirs = List.copyOf(dirs);
    }

    public List<Path> dirs() {
        return dirs;
    }

    /** The shipped rules, then the directories' files. */
    public List<RuleSource> read() throws IOException {
        List<RuleSource> out = new ArrayList<>(shipped());
        int files = 0;
        for (Path dir : dirs) {
            if (!Files.isDirectory(dir)) {
                throw new IOException(dir + ": not a directory (portcullis.scanner.rules.dirs)");
            }
            List<Path> cf;
            try (Stream<Path> s = Files.list(dir)) {
                cf = s.filter(p -> p.getFileName().toString().endsWith(".cf") && Files.isRegularFile(p)).sorted()
                        .toList();
            }
            for (Path p : cf) {
                if (++files > MAX_FILES) {
                    throw new IOException("more than " + MAX_FILES + " rule files in " + dirs);
                }
                if (Files.size(p) > MAX_FILE_BYTES) {
                    throw new IOException(p + ":1: file larger than " + MAX_FILE_BYTES + " bytes");
                }
                out.add(new RuleSource(p.toString(), utf8(p.toString(), Files.readAllBytes(p))));
            }
        }
        return out;
    }

    /** Reads and compiles everything. */
    public RuleSet compile() throws IOException, RuleFileException {
        return RuleSet.compile(read(), RuleLimits.DEFAULT);
    }

    /** The shipped rule files. */
    public static List<RuleSource> shipped() throws IOException {
        List<RuleSource> out = new ArrayList<>();
        for (String name : SHIPPED) {
            String path = SHIPPED_DIR + name;
            try (InputStream in = SpamRuleFiles.class.getClassLoader().getResourceAsStream(path)) {
                if (in == null) {
                    throw new IOException("shipped rule file classpath:" + path + " not found");
                }
                out.add(new RuleSource("classpath:" + path, utf8(path, in.readAllBytes())));
            }
        }
        return out;
    }

    private static String utf8(String name, byte[] bytes) throws IOException {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new IOException(name + ":1: not UTF-8 text");
        }
    }
}

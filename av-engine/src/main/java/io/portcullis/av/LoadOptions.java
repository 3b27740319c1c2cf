package io.portcullis.av;

/**
 * How databases are loaded.
 *
 * @param strict true (default): the first bad line aborts loading with a {@link SignatureLoadException};
 *               false: bad lines are collected in the {@link LoadReport} and loading continues (for ClamAV's
 *               big real databases, which contain lines in formats this engine does not support yet)
 */
public record LoadOptions(boolean strict) {
    public static LoadOptions strictOptions() { return new LoadOptions(true); }
    public static LoadOptions collectErrors() { return new LoadOptions(false); }
}

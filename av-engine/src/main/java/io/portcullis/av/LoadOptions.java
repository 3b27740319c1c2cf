package io.portcullis.av;

/**
 * How databases are loaded.
 *
 * @param strict        true (default): the first bad line aborts loading with a {@link SignatureLoadException};
 *                      false: bad lines are collected in the {@link LoadReport} and loading continues (for ClamAV's
 *                      big real databases, which contain lines in formats this engine does not support yet)
 * @param includeHashes true (default): whole-file hash databases ({@code .hdb}, {@code .hsb}, also inside
 *                      {@code .cvd}) are loaded; false: they are skipped (counted in the report as skipped), for a
 *                      Smart Scan client that asks a central hash-reputation service instead
 */
public record LoadOptions(boolean strict, boolean includeHashes) {
    public LoadOptions(boolean strict) { this(strict, true); }

    public static LoadOptions strictOptions() { return new LoadOptions(true, true); }

    public static LoadOptions collectErrors() { return new LoadOptions(false, true); }

    /** The same options, without whole-file hash databases. */
    public LoadOptions withoutHashes() { return new LoadOptions(strict, false); }
}

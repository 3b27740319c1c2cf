package io.portcullis.av;

/**
 * How databases are loaded.
 *
 * @param strict             true (default): the first bad line aborts loading with a {@link SignatureLoadException};
 *                           false: bad lines are collected in the {@link LoadReport} and loading continues (for
 *                           ClamAV's big real databases, which contain lines in formats this engine does not support)
 * @param includeHashes      true (default): whole-file hash databases ({@code .hdb}, {@code .hsb}, also inside
 *                           {@code .cvd}) are loaded; false: they are skipped (counted in the report as skipped), for
 *                           a Smart Scan client that asks a central hash-reputation service instead
 * @param verifySignatures   true (default): a {@code .cvd} container must carry a valid ClamAV digital signature
 *                           (RSA over the MD5 of its archive), otherwise loading fails naming the file; false: only
 *                           the header MD5 is checked (for locally built containers)
 * @param functionalityLevel the functionality level this engine declares (default {@link #DEFAULT_FLEVEL}): signatures
 *                           whose minimum level is higher, or whose maximum level is lower, are skipped and counted
 *                           in {@link LoadReport#skippedByFunctionalityLevel()}, as ClamAV itself does
 */
public record LoadOptions(boolean strict, boolean includeHashes, boolean verifySignatures, int functionalityLevel) {
    /** The functionality level declared by default. */
    public static final int DEFAULT_FLEVEL = 150;

    public LoadOptions {
        if (functionalityLevel < 0) throw new IllegalArgumentException("negative functionality level " + functionalityLevel);
    }

    public LoadOptions(boolean strict, boolean includeHashes) { this(strict, includeHashes, true, DEFAULT_FLEVEL); }

    public LoadOptions(boolean strict) { this(strict, true); }

    public static LoadOptions strictOptions() { return new LoadOptions(true, true); }

    public static LoadOptions collectErrors() { return new LoadOptions(false, true); }

    /** The same options, without whole-file hash databases. */
    public LoadOptions withoutHashes() { return new LoadOptions(strict, false, verifySignatures, functionalityLevel); }

    /** The same options, without the digital signature check of {@code .cvd} containers. */
    public LoadOptions withoutSignatureCheck() { return new LoadOptions(strict, includeHashes, false, functionalityLevel); }

    /** The same options, declaring another functionality level. */
    public LoadOptions withFunctionalityLevel(int level) { return new LoadOptions(strict, includeHashes, verifySignatures, level); }
}

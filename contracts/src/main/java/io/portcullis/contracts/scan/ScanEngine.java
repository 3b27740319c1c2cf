package io.portcullis.contracts.scan;

/**
 * A detection engine. Implementations are thread-safe, validate their configuration at start-up, and never
 * decide an action: they only report findings.
 */
public interface ScanEngine {

    /** Stable name, used in logs and in the failure finding. */
    String name();

    /** The symbol this engine reports when it fails or times out, e.g. {@code AV_FAIL}. */
    String failureSymbol();

    /**
     * Scans one message. May throw; the scanner turns any exception or timeout into
     * {@link EngineResult#failed} with {@link #failureSymbol()}.
     */
    EngineResult scan(ScanInput input) throws Exception;
}

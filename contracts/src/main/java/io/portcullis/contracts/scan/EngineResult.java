package io.portcullis.contracts.scan;

import java.util.List;

/**
 * What one engine reports. Failure is a value: a failed or timed-out engine returns its failure finding,
 * never an empty "clean" result.
 *
 * @param engine   the engine's name
 * @param status   whether the engine completed
 * @param findings what it found (for a failure: at least one {@link Category#FAILURE} finding)
 * @param version  the version of the engine's data that produced this result (for the antivirus engine the signature
 *                 bundle version actually used for this scan), or null when the engine has none
 */
public record EngineResult(String engine, Status status, List<Finding> findings, String version) {
    public EngineResult {
        findings = List.copyOf(findings);
    }

    public EngineResult(String engine, Status status, List<Finding> findings) {
        this(engine, status, findings, null);
    }

    public enum Status {
        OK, FAILED, TIMEOUT
    }

    public static EngineResult ok(String engine, List<Finding> findings) {
        return new EngineResult(engine, Status.OK, findings);
    }

    public static EngineResult ok(String engine, List<Finding> findings, String version) {
        return new EngineResult(engine, Status.OK, findings, version);
    }

    public static EngineResult failed(String engine, Status status, String failureSymbol, String detail) {
        return new EngineResult(engine, status, List.of(new Finding(failureSymbol, Category.FAILURE, 0, detail)));
    }
}

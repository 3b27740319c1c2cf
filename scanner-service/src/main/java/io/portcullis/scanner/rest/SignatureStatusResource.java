package io.portcullis.scanner.rest;

import io.portcullis.av.SignatureStats;
import io.portcullis.scanner.signatures.LoadedSignatures;
import io.portcullis.scanner.signatures.SignatureHolder;
import io.portcullis.scanner.signatures.SignatureUpdater;
import io.portcullis.scanner.signatures.SmartScan;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code GET /api/v1/signatures/status}: the signature set in use, a load in progress, the last error, Smart Scan. */
@Path("/api/v1/signatures/status")
public class SignatureStatusResource {
    private final SignatureHolder holder;
    private final SignatureUpdater updater;
    private final SmartScan smartScan;

    public SignatureStatusResource(SignatureHolder holder, SignatureUpdater updater, SmartScan smartScan) {
        this.holder = holder;
        this.updater = updater;
        this.smartScan = smartScan;
    }

    /**
     * JSON answer.
     *
     * @param version   version of the set in use ({@code base}, {@code local-<hash>} or a bundle version)
     * @param source    where it came from
     * @param loadedAt  when it was built
     * @param signatures counts: per format, hashes per algorithm, body and logical signatures, approximate bytes
     * @param updates   whether updates are on
     * @param loading   version being loaded in the background, or null
     * @param lastError last load or lookup failure (cleared by a successful load), or null
     * @param smartScan Smart Scan state and cache counters
     */
    public record Status(String version, String source, Instant loadedAt, Map<String, Object> signatures,
            boolean updates, String loading, SignatureUpdater.Failure lastError, SmartScan.Stats smartScan) {
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Status status() {
        LoadedSignatures s = holder.current();
        return new Status(s.version(), s.source(), s.loadedAt(), counts(s.set().stats()), updater.enabled(),
                updater.loading(), updater.lastError(), smartScan.stats());
    }

    static Map<String, Object> counts(SignatureStats st) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("byFormat", st.signaturesByFormat());
        m.put("md5", st.md5Hashes());
        m.put("sha1", st.sha1Hashes());
        m.put("sha256", st.sha256Hashes());
        m.put("body", st.bodySignatures());
        m.put("logical", st.logicalSignatures());
        m.put("automatonStates", st.automatonStates());
        m.put("approximateBytes", st.approximateBytes());
        return m;
    }
}

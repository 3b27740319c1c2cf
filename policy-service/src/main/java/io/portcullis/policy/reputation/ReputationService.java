package io.portcullis.policy.reputation;

import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.portcullis.av.Match;
import io.portcullis.av.SignatureSet;
import io.portcullis.policy.api.ReputationRequest;
import io.portcullis.policy.api.ReputationRequest.FileHashes;
import io.portcullis.policy.api.ReputationResponse;
import io.portcullis.policy.api.ReputationResponse.Result;
import io.portcullis.policy.api.ReputationResponse.Verdict;
import io.portcullis.policy.service.InvalidPolicyException;
import io.portcullis.policy.service.UnavailableException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * Smart Scan: answers "is this file known malware?" from the whole-file hash databases (.hdb, .hsb, and those inside
 * .cvd/.cld) of the active bundle. A file is MALICIOUS when its SHA-256, SHA-1 or MD5 matches a signature whose
 * size is the file's size (or any size); otherwise UNKNOWN, which is not "clean": the scanner still scans it.
 */
@ApplicationScoped
public class ReputationService {
    /** Most files per request. */
    public static final int MAX_FILES = 1000;

    private final ReputationIndex index;

    public ReputationService(ReputationIndex index) {
        this.index = index;
    }

    /**
     * @throws InvalidPolicyException 400 naming the field ({@code files}, {@code files[3].md5}, ...)
     * @throws UnavailableException   503 while this instance has not yet loaded the active bundle
     */
    @WithSpan
    public ReputationResponse lookup(ReputationRequest request) {
        List<Digests> files = validate(request);
        ReputationIndex.Loaded loaded = index.current();
        if (loaded == null) {
            String why = index.failure();
            throw new UnavailableException("hash reputation is not loaded yet" + (why == null ? "" : ": " + why));
        }
        SignatureSet hashes = loaded.hashes();
        List<Result> results = new ArrayList<>(files.size());
        for (Digests file : files) {
            Match match = hashes == null ? null : match(hashes, file);
            results.add(match == null
                    ? new Result(file.sha256Hex(), Verdict.UNKNOWN, null, null)
                    : new Result(file.sha256Hex(), Verdict.MALICIOUS, match.signature(), match.category().name()));
        }
        return new ReputationResponse(loaded.version(), results);
    }

    private static Match match(SignatureSet hashes, Digests file) {
        Match match = hashes.lookupHash(file.sha256(), file.size());
        if (match == null && file.sha1() != null) {
            match = hashes.lookupHash(file.sha1(), file.size());
        }
        if (match == null) {
            match = hashes.lookupHash(file.md5(), file.size());
        }
        return match;
    }

    /** One validated file. */
    record Digests(byte[] md5, byte[] sha1, byte[] sha256, String sha256Hex, long size) {
    }

    static List<Digests> validate(ReputationRequest request) {
        if (request == null || request.files() == null) {
            throw new InvalidPolicyException("files", "files is required");
        }
        List<FileHashes> files = request.files();
        if (files.isEmpty() || files.size() > MAX_FILES) {
            throw new InvalidPolicyException("files", "1 to " + MAX_FILES + " files per request, not " + files.size());
        }
        List<Digests> digests = new ArrayList<>(files.size());
        for (int i = 0; i < files.size(); i++) {
            FileHashes f = files.get(i);
            String at = "files[" + i + "]";
            if (f == null) {
                throw new InvalidPolicyException(at, "a file must be an object");
            }
            byte[] md5 = hex(f.md5(), 32, at + ".md5", false);
            byte[] sha1 = hex(f.sha1(), 40, at + ".sha1", true);
            byte[] sha256 = hex(f.sha256(), 64, at + ".sha256", false);
            if (f.size() == null || f.size() < 0) {
                throw new InvalidPolicyException(at + ".size", "size must be a number of bytes, 0 or more");
            }
            digests.add(new Digests(md5, sha1, sha256, f.sha256().toLowerCase(Locale.ROOT), f.size()));
        }
        return digests;
    }

    private static byte[] hex(String value, int digits, String field, boolean optional) {
        if (value == null) {
            if (optional) {
                return null;
            }
            throw new InvalidPolicyException(field, field + " is required");
        }
        if (value.length() != digits || !value.chars().allMatch(ReputationService::isHexDigit)) {
            throw new InvalidPolicyException(field, field + " must be " + digits + " hex digits");
        }
        return HexFormat.of().parseHex(value.toLowerCase(Locale.ROOT));
    }

    private static boolean isHexDigit(int c) {
        return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
    }
}

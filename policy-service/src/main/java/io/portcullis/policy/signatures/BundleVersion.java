package io.portcullis.policy.signatures;

import io.portcullis.policy.service.InvalidPolicyException;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.regex.Pattern;

/** Bundle versions: what is allowed, the default, and the S3 object key of a version. */
public final class BundleVersion {
    private static final Pattern ALLOWED = Pattern.compile("^[0-9A-Za-z._-]{1,64}$");
    private static final DateTimeFormatter DEFAULT = DateTimeFormatter.ofPattern("yyyyMMddHHmmss")
            .withZone(ZoneOffset.UTC);

    private BundleVersion() {
    }

    /**
     * A version is 1 to 64 characters of {@code [0-9A-Za-z._-]}, and not "." or ".." (which could not be addressed
     * in a URL path).
     */
    public static boolean isValid(String version) {
        return version != null && ALLOWED.matcher(version).matches() && !version.equals(".") && !version.equals("..");
    }

    /** The requested version when given (400 when it is not valid), else the current UTC time as yyyyMMddHHmmss. */
    public static String requestedOrDefault(String requested, Clock clock) {
        if (requested == null) {
            return DEFAULT.format(clock.instant());
        }
        return require(requested);
    }

    /** @return the version, or a 400 naming the field "version" */
    public static String require(String version) {
        if (!isValid(version)) {
            throw new InvalidPolicyException("version",
                    "version must be 1 to 64 characters of [0-9A-Za-z._-], not . or ..");
        }
        return version;
    }

    /** S3 object key of a bundle: {@code bundles/<version>.tar}. */
    public static String objectKey(String version) {
        return "bundles/" + version + ".tar";
    }
}

package io.portcullis.av;

/**
 * The 512-byte text header of a ClamAV .cvd/.cld container:
 * {@code ClamAV-VDB:build time:version:sigs:flevel:md5:dsig:builder:stime}.
 * The digital signature ({@code dsig}) is recorded but NOT verified (out of scope for now).
 */
public record CvdHeader(String database, String buildTime, int version, int signatures, int functionalityLevel,
                        String md5, String digitalSignature, String builder, long signTime) {
}

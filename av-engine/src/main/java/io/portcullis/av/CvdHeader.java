package io.portcullis.av;

/**
 * The 512-byte text header of a ClamAV .cvd/.cld container:
 * {@code ClamAV-VDB:build time:version:sigs:flevel:md5:dsig:builder:stime}.
 * The digital signature ({@code dsig}) of a .cvd is verified at load time ({@link LoadOptions#verifySignatures()}).
 */
public record CvdHeader(String database, String buildTime, int version, int signatures, int functionalityLevel,
                        String md5, String digitalSignature, String builder, long signTime) {
}

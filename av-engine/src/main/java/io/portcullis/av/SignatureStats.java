package io.portcullis.av;

import java.util.Map;

/**
 * Size of a loaded set, for benchmarks and status pages.
 *
 * @param signaturesByFormat loaded signatures per format
 * @param md5Hashes          MD5 whole-file hashes
 * @param sha1Hashes         SHA-1 whole-file hashes
 * @param sha256Hashes       SHA-256 whole-file hashes
 * @param bodySignatures     body signatures: ndb lines and ldb subsignatures
 * @param logicalSignatures  ldb logical signatures (their subsignatures are counted in bodySignatures)
 * @param bodyParts          parts of body signatures (split at unbounded gaps), each with one anchor
 * @param automatonStates    distinct anchor keys in the prefilter index (the matcher no longer builds an Aho–Corasick
 *                           automaton; the component keeps its name for source compatibility)
 * @param maxPatternSpan     longest bounded part span: the overlap window kept between chunks
 * @param approximateBytes   estimated heap used by the signature tables
 */
public record SignatureStats(Map<String, Integer> signaturesByFormat, int md5Hashes, int sha1Hashes, int sha256Hashes,
                             int bodySignatures, int logicalSignatures, int bodyParts, int automatonStates, int maxPatternSpan,
                             long approximateBytes) {
}

package io.portcullis.policy.reputation;

import static io.portcullis.policy.signatures.TarFixtures.hdbLine;
import static io.portcullis.policy.signatures.TarFixtures.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.av.LoadOptions;
import io.portcullis.av.SignatureSet;
import io.portcullis.policy.api.ReputationRequest;
import io.portcullis.policy.api.ReputationRequest.FileHashes;
import io.portcullis.policy.api.ReputationResponse;
import io.portcullis.policy.api.ReputationResponse.Verdict;
import io.portcullis.policy.service.InvalidPolicyException;
import io.portcullis.policy.service.UnavailableException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ReputationServiceTest {
    private static final byte[] BY_MD5 = bytes("known by md5");
    private static final byte[] BY_SHA1 = bytes("known by sha1");
    private static final byte[] BY_SHA256 = bytes("known by sha256");
    private static final byte[] ANY_SIZE = bytes("known by md5, any size");
    private static final byte[] UNKNOWN = bytes("never seen");

    private final ReputationIndex index = new ReputationIndex();
    private final ReputationService service = new ReputationService(index);

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static FileHashes file(byte[] content) {
        return new FileHashes(hex("MD5", content), hex("SHA-1", content), hex("SHA-256", content),
                (long) content.length);
    }

    private static ReputationRequest request(FileHashes... files) {
        return new ReputationRequest(Arrays.asList(files));
    }

    @BeforeEach
    void loadBundle() throws Exception {
        SignatureSet set = SignatureSet.builder(LoadOptions.strictOptions())
                .load("main.hdb", bytes(hdbLine(BY_MD5, "Win.Trojan.ByMd5-1")
                        + hex("MD5", ANY_SIZE) + ":*:Win.Worm.AnySize-1\n"))
                .load("main.hsb", bytes(hex("SHA-1", BY_SHA1) + ":" + BY_SHA1.length + ":PUA.Win.Tool.BySha1-1\n"
                        + hex("SHA-256", BY_SHA256) + ":" + BY_SHA256.length + ":Eicar-Test-Signature\n"))
                .build();
        index.offer(new ReputationIndex.Loaded(3, "2026112701", set));
    }

    @Test
    void knownMd5WithTheRightSizeIsMaliciousWithSignatureAndCategory() {
        ReputationResponse r = service.lookup(request(file(BY_MD5)));
        assertEquals("2026112701", r.version());
        assertEquals(new ReputationResponse.Result(hex("SHA-256", BY_MD5), Verdict.MALICIOUS, "Win.Trojan.ByMd5-1",
                "TROJAN"), r.results().get(0));
    }

    @Test
    void knownMd5WithAnotherSizeIsUnknown() {
        FileHashes f = file(BY_MD5);
        FileHashes resized = new FileHashes(f.md5(), f.sha1(), f.sha256(), f.size() + 1);
        ReputationResponse.Result r = service.lookup(request(resized)).results().get(0);
        assertEquals(Verdict.UNKNOWN, r.verdict());
        assertNull(r.signature());
        assertNull(r.category());
    }

    @Test
    void wildcardSizeMatchesAnySize() {
        FileHashes f = file(ANY_SIZE);
        ReputationResponse.Result r = service.lookup(request(new FileHashes(f.md5(), null, f.sha256(), 999_999L)))
                .results().get(0);
        assertEquals("WORM_MASS_MAILER", r.category());
    }

    @Test
    void sha256AndSha1MatchToo() {
        List<ReputationResponse.Result> r = service.lookup(request(file(BY_SHA256), file(BY_SHA1))).results();
        assertEquals("Eicar-Test-Signature", r.get(0).signature());
        assertEquals("TEST", r.get(0).category());
        assertEquals("PUA.Win.Tool.BySha1-1", r.get(1).signature());
        assertEquals("PUA_GRAYWARE", r.get(1).category());
        FileHashes noSha1 = file(BY_SHA1);
        assertEquals(Verdict.UNKNOWN, service.lookup(request(new FileHashes(noSha1.md5(), null, noSha1.sha256(),
                noSha1.size()))).results().get(0).verdict(), "sha1 omitted: only md5 and sha256 are looked up");
    }

    @Test
    void unknownFilesAreUnknownAndResultsKeepRequestOrder() {
        List<ReputationResponse.Result> r = service.lookup(request(file(UNKNOWN), file(BY_MD5), file(UNKNOWN)))
                .results();
        assertEquals(List.of(Verdict.UNKNOWN, Verdict.MALICIOUS, Verdict.UNKNOWN),
                r.stream().map(ReputationResponse.Result::verdict).toList());
        assertEquals(hex("SHA-256", BY_MD5), r.get(1).sha256());
    }

    @Test
    void upperCaseHexIsAcceptedAndAnsweredInLowerCase() {
        FileHashes f = file(BY_MD5);
        ReputationResponse.Result r = service.lookup(request(new FileHashes(f.md5().toUpperCase(), null,
                f.sha256().toUpperCase(), f.size()))).results().get(0);
        assertEquals(Verdict.MALICIOUS, r.verdict());
        assertEquals(f.sha256(), r.sha256());
    }

    @Test
    void beforeAnyBundleEverythingIsUnknownWithVersionNull() {
        ReputationIndex empty = new ReputationIndex();
        empty.offer(ReputationIndex.Loaded.none(0));
        ReputationResponse r = new ReputationService(empty).lookup(request(file(BY_MD5)));
        assertNull(r.version());
        assertEquals(Verdict.UNKNOWN, r.results().get(0).verdict());
    }

    @Test
    void beforeTheDatabaseWasReadTheAnswerIs503NotUnknown() {
        ReputationIndex notLoaded = new ReputationIndex();
        notLoaded.failed("signature bundle 7: object storage unavailable");
        UnavailableException e = assertThrows(UnavailableException.class,
                () -> new ReputationService(notLoaded).lookup(request(file(BY_MD5))));
        assertTrue(e.getMessage().contains("object storage unavailable"), e.getMessage());
    }

    @Test
    void anOlderActivationNeverReplacesANewerOne() {
        assertEquals(false, index.offer(ReputationIndex.Loaded.none(2)));
        assertEquals(false, index.offer(ReputationIndex.Loaded.none(3)));
        assertEquals("2026112701", index.current().version());
        assertEquals(true, index.offer(ReputationIndex.Loaded.none(4)));
        assertNull(index.current().version());
    }

    private void assertRejected(String field, ReputationRequest request) {
        InvalidPolicyException e = assertThrows(InvalidPolicyException.class, () -> service.lookup(request));
        assertEquals(field, e.field(), e.getMessage());
    }

    @Test
    void malformedHashesAre400NamingTheIndexAndField() {
        FileHashes good = file(BY_MD5);
        assertRejected("files[1].md5", request(good, new FileHashes("abc", null, good.sha256(), 1L)));
        assertRejected("files[0].md5", request(new FileHashes("g".repeat(32), null, good.sha256(), 1L)));
        assertRejected("files[0].md5", request(new FileHashes(null, null, good.sha256(), 1L)));
        assertRejected("files[0].sha1", request(new FileHashes(good.md5(), "12", good.sha256(), 1L)));
        assertRejected("files[2].sha256", request(good, good, new FileHashes(good.md5(), null, good.md5(), 1L)));
        assertRejected("files[0].sha256", request(new FileHashes(good.md5(), null, null, 1L)));
        assertRejected("files[0].sha256", request(new FileHashes(good.md5(), null, " " + good.sha256()
                .substring(1), 1L)));
        assertRejected("files[0].size", request(new FileHashes(good.md5(), null, good.sha256(), null)));
        assertRejected("files[0].size", request(new FileHashes(good.md5(), null, good.sha256(), -1L)));
        assertRejected("files[1]", request(good, null));
    }

    @Test
    void oneToAThousandFilesPerRequest() {
        assertRejected("files", new ReputationRequest(null));
        assertRejected("files", request());
        assertRejected("files", null);
        List<FileHashes> many = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            many.add(file(i % 2 == 0 ? BY_MD5 : UNKNOWN));
        }
        ReputationResponse r = service.lookup(new ReputationRequest(many));
        assertEquals(1000, r.results().size());
        assertEquals(500, r.results().stream().filter(x -> x.verdict() == Verdict.MALICIOUS).count());
        many.add(file(UNKNOWN));
        assertRejected("files", new ReputationRequest(many));
    }
}

package io.portcullis.av;

import static io.portcullis.av.TestSets.bytes;
import static io.portcullis.av.TestSets.names;
import static io.portcullis.av.TestSets.ndb;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The prefilter: 4-byte and 2-byte keys, key windows inside anchors, position order across both kinds of keys. */
class AnchorIndexTest {

    @Test
    void shortAnchorsOfTwoAndThreeBytesMatchAnywhereIncludingTheLastBytes() throws Exception {
        SignatureSet set = ndb("Two:0:*:4142??4344", "Three:0:*:454647??4849");
        assertEquals(List.of("Two"), names(set.scan(bytes("AB.CD"))));
        assertEquals(List.of("Two"), names(set.scan(bytes("xxxxAB.CD"))));
        assertEquals(List.of("Three"), names(set.scan(bytes("EFG.HI"))));
        assertTrue(set.scan(bytes("AB.CE")).isEmpty());
        assertTrue(set.scan(bytes("A")).isEmpty());
        ScanSession s = set.newSession();
        for (byte b : bytes("zzAB.CD")) s.update(new byte[] {b}, 0, 1);
        assertEquals(List.of("Two"), names(s.finish()));
    }

    @Test
    void partsWithShortAndLongAnchorsAreSeenInPositionOrder() throws Exception {
        // part 1 has a 2-byte anchor, part 2 a long one: both kinds of key in one block must be merged by position
        SignatureSet set = ndb("Mixed:0:*:4142??43*" + TestSets.hex("longanchor"),
            "Reverse:0:*:" + TestSets.hex("firstpart") + "*5152??53");
        assertEquals(List.of("Mixed"), names(set.scan(bytes("..AB.C....longanchor.."))));
        assertTrue(set.scan(bytes("..longanchor..AB.C..")).isEmpty(), "parts out of order do not match");
        assertEquals(List.of("Reverse"), names(set.scan(bytes("firstpart.QR.S"))));
        assertTrue(set.scan(bytes("QR.S.firstpart")).isEmpty());
        byte[] far = bytes("AB.C" + ".".repeat(40_000) + "longanchor");
        assertEquals(List.of("Mixed"), names(set.scan(far)), "across blocks");
    }

    @Test
    void manyAnchorsSharingAKeyAreAllChecked() throws Exception {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 50; i++) lines.add("Same-" + i + ":0:*:00000000" + String.format("%02x", i) + "0000");
        SignatureSet set = ndb(lines.toArray(new String[0]));
        byte[] d = new byte[2000];
        d[1000] = 7;
        d[1500] = 42;
        assertEquals(List.of("Same-0", "Same-7", "Same-42"), names(set.scan(d)));
    }

    @Test
    void keyWindowAvoidsCommonBytes() throws Exception {
        // the anchor starts with zeros; its key window must be chosen on the rare bytes so zero runs are cheap
        SignatureSet set = ndb("Z:0:*:000000000000deadbeefcafe");
        AnchorIndex.Tier t = set.index.tiers[AnchorIndex.LONG];
        assertEquals(AnchorIndex.STRIDE, t.table.size(), "one anchor, four windows");
        for (int d : t.entryDelta) assertTrue(d >= 3, "key window at " + d);
        byte[] zeros = new byte[1 << 20];
        assertTrue(set.scan(zeros).isEmpty());
        System.arraycopy(new byte[] {(byte) 0xde, (byte) 0xad, (byte) 0xbe, (byte) 0xef, (byte) 0xca, (byte) 0xfe}, 0, zeros, 5000, 6);
        assertEquals(List.of("Z"), names(set.scan(zeros)));
        assertEquals(4994, set.scan(zeros).get(0).offset());
    }

    @Test
    void randomShortAndLongAnchorsAgreeWithNaiveSearchInEveryChunking() throws Exception {
        Random r = new Random(5);
        int n = 3000;
        List<byte[]> pats = new ArrayList<>();
        StringBuilder db = new StringBuilder();
        for (int i = 0; i < n; i++) {
            byte[] p = new byte[2 + r.nextInt(7)];
            r.nextBytes(p);
            if (p.length <= 3) p[0] = (byte) (0x80 | r.nextInt(128)); // keep 2-byte patterns from matching all over the data
            pats.add(p);
            db.append("P-").append(i).append(":0:*:").append(TestSets.hex(p)).append('\n');
        }
        SignatureSet set = SignatureSet.builder(LoadOptions.strictOptions()).load("p.ndb", bytes(db.toString())).build();
        byte[] data = new byte[100_000];
        for (int i = 0; i < data.length; i++) data[i] = (byte) r.nextInt(64); // low bytes only: short patterns match where planted
        for (int k = 0; k < 200; k++) {
            byte[] p = pats.get(r.nextInt(n));
            System.arraycopy(p, 0, data, r.nextInt(data.length - p.length), p.length);
        }
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] p = pats.get(i);
            for (int pos = 0; pos + p.length <= data.length; pos++) {
                if (java.util.Arrays.equals(data, pos, pos + p.length, p, 0, p.length)) {
                    expected.add("P-" + i + "@" + pos);
                    break;
                }
            }
        }
        java.util.Collections.sort(expected);
        assertTrue(expected.size() >= 150, "planted " + expected.size());
        List<Match> whole = set.scan(data);
        List<String> actual = new ArrayList<>(whole.stream().map(m -> m.signature() + "@" + m.offset()).toList());
        java.util.Collections.sort(actual);
        assertEquals(expected, actual);
        for (int round = 0; round < 3; round++) {
            ScanSession s = set.newSession();
            for (int p = 0; p < data.length; ) {
                int c = Math.min(data.length - p, 1 + r.nextInt(round == 0 ? 5 : 40_000));
                s.update(data, p, c);
                p += c;
            }
            assertEquals(whole, s.finish(), "chunking round " + round);
        }
    }
}

package io.portcullis.av;

import static io.portcullis.av.TestSets.EICAR;
import static io.portcullis.av.TestSets.bytes;
import static io.portcullis.av.TestSets.digest;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class EicarTest {

    @Test
    void eicarDetectedByBodyAndByMd5AsTest() throws Exception {
        byte[] eicar = bytes(EICAR);
        assertEquals(68, eicar.length);
        SignatureSet set = SignatureSet.builder(LoadOptions.strictOptions())
            .load("eicar.ndb", bytes("Eicar-Test-Signature:0:*:" + TestSets.hex(eicar)))
            .load("eicar.hdb", bytes(digest("MD5", eicar) + ":68:Eicar-Test-Signature-MD5"))
            .build();
        List<Match> m = set.scan(eicar);
        assertEquals(List.of(new Match("Eicar-Test-Signature-MD5", ThreatCategory.TEST, "eicar.hdb", Match.WHOLE_FILE),
            new Match("Eicar-Test-Signature", ThreatCategory.TEST, "eicar.ndb", 0)), m);
        // embedded in a larger object: the body signature still fires, the whole-file hash does not
        List<Match> embedded = set.scan(bytes("Subject: x\r\n\r\n" + EICAR + "\r\n"));
        assertEquals(List.of(new Match("Eicar-Test-Signature", ThreatCategory.TEST, "eicar.ndb", 14)), embedded);
    }
}

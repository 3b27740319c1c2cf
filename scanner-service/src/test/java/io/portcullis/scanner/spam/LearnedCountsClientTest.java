package io.portcullis.scanner.spam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.portcullis.spam.LearnedCounts;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LearnedCountsClientTest {

    private static LearnedCounts read(String json, String tenant) throws IOException {
        return LearnedCountsClient.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), tenant);
    }

    @Test
    void readsTheCountsAnswerWhole() throws IOException {
        String json = FakeLearnedCountsResource.json(3);
        LearnedCounts c = read(json, "default");
        assertEquals(3, c.sequence());
        assertEquals(3, c.hamMessages());
        LearnedCounts again = read("{\"extra\":{\"x\":[1,2]},\"tenant\":\"t\",\"sequence\":2,\"spamMessages\":1,"
                + "\"hamMessages\":0,\"tokens\":[[-5,1,0],[7,1,0]]}", "t");
        assertEquals(1, again.spam(-5));
        assertEquals(2, again.sequence());
    }

    @Test
    void refusesMalformedIncompleteOrForeignAnswersInsteadOfUsingHalfAModel() {
        assertThrows(IOException.class, () -> read("{\"tenant\":\"other\",\"sequence\":1,\"spamMessages\":0,"
                + "\"hamMessages\":0,\"tokens\":[]}", "default"));
        assertThrows(IOException.class, () -> read("{\"tenant\":\"t\",\"spamMessages\":0,\"hamMessages\":0,"
                + "\"tokens\":[]}", "t"));
        assertThrows(IOException.class, () -> read("{\"tenant\":\"t\",\"sequence\":1,\"spamMessages\":0,"
                + "\"hamMessages\":0,\"tokens\":[[1,-1,0]]}", "t"));
        assertThrows(IOException.class, () -> read("{\"tenant\":\"t\",\"sequence\":1,\"spamMessages\":0,"
                + "\"hamMessages\":0,\"tokens\":[[1,1]]}", "t"));
        assertThrows(IOException.class, () -> read("{\"tenant\":\"t\",\"sequence\":1,\"spamMessages\":0,"
                + "\"hamMessages\":0,\"tokens\":[[1,99999999999,0]]}", "t"));
        assertThrows(IOException.class, () -> read("{\"tenant\":\"t\",\"sequence\":1,\"spamMessages\":0,"
                + "\"hamMessages\":0,\"tokens\":[[1,1,0],[1,1,0]]}", "t"));
        assertThrows(IOException.class, () -> read("{\"tenant\":\"t\",\"sequence\":1,", "t"));
        assertThrows(IOException.class, () -> read("[]", "t"));
    }
}

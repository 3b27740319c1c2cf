package io.portcullis.scanner.mime;

import static io.portcullis.scanner.support.TestMessages.ascii;
import static io.portcullis.scanner.support.TestMessages.withAttachment;
import static io.portcullis.scanner.support.TestMessages.zip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.portcullis.contracts.scan.ScanInput;
import io.portcullis.policy.engine.AttachmentInfo;
import io.portcullis.policy.engine.MessageText;
import io.portcullis.scanner.engine.FileTypeEngine;
import io.portcullis.scanner.policy.DefaultPolicy;
import io.portcullis.scanner.policy.PolicyInputs;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.tika.mime.MediaType;
import org.junit.jupiter.api.Test;

class TrueTypesTest {
    private static final byte[] ELF = {0x7F, 'E', 'L', 'F', 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0x3E, 0};

    /**
     * A text part and a zip attachment with a PDF and an ELF: four items with content below the raw message, three
     * of them attachments (the zip and its entries).
     */
    private static Decomposition message() {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("report.pdf", ascii("%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n"));
        entries.put("tool.bin", ELF);
        return new MessageDecomposer(DecompositionLimits.DEFAULTS).decompose(withAttachment("files.zip",
                zip(entries)));
    }

    @Test
    void theSameItemIsDetectedOnceAndEqualBytesElsewhereAgain() throws Exception {
        TrueTypes types = new TrueTypes();
        byte[] pdf = ascii("%PDF-1.4\n%%EOF\n");

        MediaType first = types.of(pdf);
        MediaType second = types.of(pdf);
        assertEquals("application/pdf", first.getBaseType().toString());
        assertSame(first, second);
        assertEquals(1, types.detections());

        types.of(pdf.clone());
        assertEquals(2, types.detections(), "another message's bytes are another item");
    }

    @Test
    void policyAttachmentsReuseTheTypesTheFileTypeEngineDetected() throws Exception {
        Decomposition parts = message();
        TrueTypes shared = new TrueTypes();

        new FileTypeEngine(() -> DefaultPolicy.SNAPSHOT, shared).scan(new ScanInput("m1", null, parts.items()));
        long byEngine = shared.detections();
        List<AttachmentInfo> attachments = PolicyInputs.of(null, 100, List.of(), parts, Instant.EPOCH,
                MessageText.EMPTY, shared).attachments();

        assertEquals(3, attachments.size(), "the zip and its two entries");
        assertEquals(4, byEngine, "the engine detects each part and entry once: the text part, the zip, two entries");
        assertEquals(byEngine, shared.detections(), "the policy inputs detect nothing again (before: 4 + 3)");
    }

    @Test
    void reusedTypesAreTheTypesDetectedAlone() throws Exception {
        Decomposition parts = message();
        TrueTypes shared = new TrueTypes();
        new FileTypeEngine(() -> DefaultPolicy.SNAPSHOT, shared).scan(new ScanInput("m1", null, parts.items()));

        List<AttachmentInfo> reused = PolicyInputs.of(null, 100, List.of(), parts, Instant.EPOCH, MessageText.EMPTY,
                shared).attachments();
        TrueTypes alone = new TrueTypes();
        List<AttachmentInfo> fresh = PolicyInputs.of(null, 100, List.of(), parts, Instant.EPOCH, MessageText.EMPTY,
                alone).attachments();

        assertEquals(fresh, reused, "no behaviour change");
        assertEquals(3, alone.detections(), "without the engine's types, each path is detected here once");
        assertEquals(List.of("application/zip", "application/pdf", "application/x-executable"),
                reused.stream().map(AttachmentInfo::trueType).toList());
    }
}

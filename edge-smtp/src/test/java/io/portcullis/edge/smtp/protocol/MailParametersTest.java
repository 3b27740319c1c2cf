package io.portcullis.edge.smtp.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MailParametersTest {

    @Test
    void parsesSupportedParameters() throws Exception {
        MailParameters p = MailParameters.parse("size=1234 BODY=8bitmime SMTPUTF8");
        assertEquals(1234, p.declaredSize().getAsLong());
        assertTrue(p.eightBit());
        assertTrue(p.smtpUtf8());
        assertFalse(MailParameters.parse("BODY=7BIT").eightBit());
        assertEquals(MailParameters.NONE, MailParameters.parse(""));
    }

    @Test
    void refusesBadOrUnknownParametersWithTheRightReply() {
        assertEquals(501, code("SIZE=abc"));
        assertEquals(501, code("SIZE"));
        assertEquals(501, code("SIZE=1 SIZE=2"));
        assertEquals(501, code("SMTPUTF8=yes"));
        assertEquals(504, code("BODY=BINARYMIME"));
        assertEquals(555, code("AUTH=<>"));
        assertEquals(555, code("RET=FULL"));
        assertEquals(501, code("=x"));
    }

    private static int code(String text) {
        return assertThrows(MailParameters.InvalidParameterException.class, () -> MailParameters.parse(text))
                .reply().code();
    }
}

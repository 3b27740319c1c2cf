package io.portcullis.edge.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class NextHopTest {

    @Test
    void parsesHostPortAndIpv6() {
        assertEquals(new NextHop("mx.example.com", 25), NextHop.parse("mx.example.com:25"));
        assertEquals(new NextHop("::1", 2525), NextHop.parse("[::1]:2525"));
        assertEquals("[::1]:2525", NextHop.parse("[::1]:2525").toString());
        assertEquals("10.0.0.1:587", NextHop.parse(" 10.0.0.1:587 ").toString());
    }

    @Test
    void rejectsMalformedValues() {
        for (String bad : new String[] {"mx.example.com", ":25", "mx:0", "mx:70000", "mx:abc", "::1:25", "[::1]25"}) {
            assertThrows(IllegalArgumentException.class, () -> NextHop.parse(bad), bad);
        }
    }
}

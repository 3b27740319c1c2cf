package io.portcullis.edge.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.edge.config.EdgeConfig;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How {@code portcullis.delivery.next-hop} and the routing keys select sink, smart host or MX routing. */
class DeliveryTargetTest {

    /** An EdgeConfig whose delivery group answers from the map (Optional keys empty when absent). */
    private static EdgeConfig config(Map<String, Object> delivery) {
        EdgeConfig.Delivery d = (EdgeConfig.Delivery) Proxy.newProxyInstance(EdgeConfig.class.getClassLoader(),
                new Class<?>[] {EdgeConfig.Delivery.class}, (p, m, a) -> switch (m.getName()) {
                    case "dnsTimeout" -> Duration.ofSeconds(1);
                    case "mxPort" -> 25;
                    default -> m.getReturnType() == Optional.class
                            ? Optional.ofNullable(delivery.get(m.getName())) : delivery.get(m.getName());
                });
        return (EdgeConfig) Proxy.newProxyInstance(EdgeConfig.class.getClassLoader(),
                new Class<?>[] {EdgeConfig.class}, (p, m, a) -> m.getName().equals("delivery") ? d : null);
    }

    @Test
    void emptyNextHopMeansTheSinkMxMeansMxRoutingElseASmartHost() {
        EdgeConfig sink = config(Map.of());
        assertTrue(DeliveryTarget.usesSink(sink));
        assertFalse(DeliveryTarget.router(sink, () -> new NextHop("127.0.0.1", 2526)).mxRouting());

        EdgeConfig mx = config(Map.of("nextHop", " MX "));
        assertTrue(DeliveryTarget.mxRouting(mx));
        assertFalse(DeliveryTarget.usesSink(mx), "no development sink under MX routing");
        assertTrue(DeliveryTarget.configuredNextHop(mx).isEmpty());
        DeliveryRouter router = DeliveryTarget.router(mx, () -> new NextHop("127.0.0.1", 2526));
        assertTrue(router.mxRouting());
        assertTrue(router.destinationFor("a@example.com").mx());

        EdgeConfig smart = config(Map.of("nextHop", "relay.example.net:587",
                "routes", List.of("example.org=[10.0.0.5]:25")));
        assertEquals(Optional.of(new NextHop("relay.example.net", 587)), DeliveryTarget.configuredNextHop(smart));
        DeliveryRouter r = DeliveryTarget.router(smart, () -> new NextHop("relay.example.net", 587));
        assertEquals("relay.example.net:587", r.destinationFor("a@example.com").key());
        assertEquals("10.0.0.5:25", r.destinationFor("a@example.org").key());
    }

    @Test
    void malformedRoutingConfigurationFailsNamingTheKey() {
        IllegalArgumentException hop = assertThrows(IllegalArgumentException.class,
                () -> DeliveryTarget.configuredNextHop(config(Map.of("nextHop", "relay.example.net"))));
        assertTrue(hop.getMessage().startsWith("portcullis.delivery.next-hop: "), hop.getMessage());
        assertTrue(hop.getMessage().contains("'mx'"), hop.getMessage());

        IllegalArgumentException dns = assertThrows(IllegalArgumentException.class,
                () -> DeliveryTarget.router(config(Map.of("dnsResolver", "[::1")), () -> null));
        assertTrue(dns.getMessage().startsWith("portcullis.delivery.dns-resolver: "), dns.getMessage());

        IllegalArgumentException tls = assertThrows(IllegalArgumentException.class,
                () -> DeliveryTarget.router(config(Map.of("tlsPolicy", List.of("example.com"))), () -> null));
        assertTrue(tls.getMessage().startsWith("portcullis.delivery.tls-policy: "), tls.getMessage());
    }
}

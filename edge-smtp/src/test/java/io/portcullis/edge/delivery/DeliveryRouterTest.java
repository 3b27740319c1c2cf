package io.portcullis.edge.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Routing configuration, destination choice and the per-destination limit. */
class DeliveryRouterTest {

    private static final MxLookup MX = new MxLookup(Optional.of("127.0.0.1:1"), Duration.ofMillis(100), 25);

    @Test
    void staticRoutesOverrideTheSmartHostAndMx() {
        DeliveryRouter router = new DeliveryRouter(List.of("example.com=[10.0.0.5]:25", ".corp.test=relay.corp:2525"),
                List.of(), () -> new NextHop("smarthost.test", 587), MX);

        assertEquals(List.of(new NextHop("10.0.0.5", 25)), router.destinationFor("bob@Example.COM").hops());
        assertEquals(List.of(new NextHop("relay.corp", 2525)), router.destinationFor("a@eu.corp.test").hops());
        assertEquals("smarthost.test:587", router.destinationFor("a@corp.test").key(), "a .domain entry is for subdomains");
        assertEquals("smarthost.test:587", router.destinationFor("a@other.test").key());
    }

    @Test
    void mxRoutingMakesOneDestinationPerDomainWithItsTlsPolicy() {
        DeliveryRouter router = new DeliveryRouter(List.of(), List.of("bank.test=verify", "partner.test=required"),
                null, MX);

        Destination bank = router.destinationFor("a@bank.test");
        assertTrue(bank.mx());
        assertEquals(TlsPolicy.VERIFY, bank.tls());
        assertEquals("bank.test tls=verify", bank.key());
        assertEquals(TlsPolicy.REQUIRED, router.destinationFor("b@partner.test").tls());
        assertEquals(TlsPolicy.OPPORTUNISTIC, router.destinationFor("c@other.test").tls());
        assertEquals(router.destinationFor("x@other.test"), router.destinationFor("y@OTHER.test"), "same destination");
    }

    @Test
    void malformedConfigurationFailsNamingTheKey() {
        String[][] routes = {{"example.com"}, {"example.com="}, {"=1.2.3.4:25"}, {"exa mple.com=1.2.3.4:25"},
                {"example.com=host"}, {"example.com=host:99999"}, {"example.com=a:25", "example.com=b:25"}};
        for (String[] r : routes) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new DeliveryRouter(List.of(r), List.of(), null, MX), String.join(",", r));
            assertTrue(e.getMessage().startsWith("portcullis.delivery.routes: "), e.getMessage());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new DeliveryRouter(List.of(), List.of("example.com=mandatory"), null, MX));
        assertTrue(e.getMessage().startsWith("portcullis.delivery.tls-policy: "), e.getMessage());
        assertTrue(e.getMessage().contains("opportunistic, required or verify"), e.getMessage());
    }

    @Test
    void destinationLimitHoldsNoThreadWhileWaiting() throws Exception {
        DestinationQueues queues = new DestinationQueues(2, Duration.ofSeconds(60), Clock.systemUTC());
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch release = new CountDownLatch(1);
            AtomicInteger running = new AtomicInteger();
            AtomicInteger most = new AtomicInteger();
            List<CompletableFuture<Integer>> slow = new java.util.ArrayList<>();
            for (int i = 0; i < 6; i++) {
                slow.add(queues.submit("slow.test", () -> {
                    most.accumulateAndGet(running.incrementAndGet(), Math::max);
                    try {
                        release.await(5, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    running.decrementAndGet();
                    return 1;
                }, pool));
            }
            // another destination runs at once although six attempts wait for slow.test
            assertEquals(7, queues.submit("fast.test", () -> 7, pool).get(2, TimeUnit.SECONDS));
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(2)).until(() -> running.get() == 2);
            Thread.sleep(100);
            assertEquals(2, running.get(), "the other four wait in line");
            release.countDown();
            for (CompletableFuture<Integer> f : slow) {
                assertEquals(1, f.get(5, TimeUnit.SECONDS));
            }
            assertEquals(2, most.get(), "never more than the limit at once");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void snapshotShowsPendingLastErrorNextAttemptAndDownMark() {
        DestinationQueues queues = new DestinationQueues(2, Duration.ofSeconds(60), Clock.systemUTC());
        java.time.Instant next = java.time.Instant.now().plusSeconds(300);
        DestinationQueues.Ticket t = queues.pending("down.test", 3, next);
        queues.failed("down.test", "451 4.4.1 local: connection refused", true);

        DestinationQueues.DestinationStatus s = queues.snapshot().get(0);

        assertEquals("down.test", s.destination());
        assertEquals(3, s.pending());
        assertEquals(next, s.nextAttempt());
        assertTrue(s.lastError().contains("connection refused"));
        queues.failed("down.test", "550 5.1.1 <bob@down.test>: unknown", false);
        assertEquals("550 5.1.1 <*@down.test>: unknown", queues.snapshot().get(0).lastError(), "no full addresses");
        queues.failed("down.test", "451 4.4.1 local: connection refused", true);
        assertTrue(s.downUntil() != null);
        t.close();
        queues.reached("down.test");
        assertEquals(null, queues.down("down.test"));
        assertEquals(0, queues.snapshot().get(0).pending());
    }
}

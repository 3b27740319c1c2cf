package io.portcullis.scanner.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A fake clamd on TCP for {@code @QuarkusTest}s, with the clamd engine enabled against it. Replies by marker in the
 * stream: the EICAR string → {@code Eicar-Signature FOUND}, {@value #TROJAN} → {@code Win.Trojan.FakeClamd-1 FOUND},
 * {@value #ERROR} → an ERROR reply, anything else → {@code stream: OK}.
 */
public class FakeClamdResource implements QuarkusTestResourceLifecycleManager {
    public static final String TROJAN = "CLAMD-FAKE-TROJAN";
    public static final String ERROR = "CLAMD-FAKE-ERROR";
    public static final String VERSION = "ClamAV 1.4.6/27000/fake";

    private FakeClamd server;

    @Override
    public Map<String, String> start() {
        try {
            server = FakeClamd.tcp(FakeClamd.clamd(VERSION, FakeClamdResource::reply));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of("portcullis.scanner.clamd.enabled", "true",
                "portcullis.scanner.clamd.address", server.address(),
                "portcullis.scanner.clamd.timeout", "5S");
    }

    private static String reply(byte[] stream) {
        String s = new String(stream, StandardCharsets.ISO_8859_1);
        if (s.contains(TestMessages.EICAR)) {
            return "stream: Eicar-Signature FOUND";
        }
        if (s.contains(TROJAN)) {
            return "stream: Win.Trojan.FakeClamd-1 FOUND";
        }
        if (s.contains(ERROR)) {
            return "stream: Can't allocate memory ERROR";
        }
        return "stream: OK";
    }

    @Override
    public void stop() {
        if (server != null) {
            server.close();
        }
    }
}

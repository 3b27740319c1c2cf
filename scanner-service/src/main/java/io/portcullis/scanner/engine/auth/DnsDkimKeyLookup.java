package io.portcullis.scanner.engine.auth;

import io.portcullis.mailauth.dkim.DkimKeyLookup;
import java.util.List;
import org.xbill.DNS.Name;

/** DKIM key records from DNS through {@link AuthDns} (its timeouts, deadline and cache); failures are TEMPERROR. */
public final class DnsDkimKeyLookup implements DkimKeyLookup {
    private final AuthDns dns;

    public DnsDkimKeyLookup(AuthDns dns) {
        this.dns = dns;
    }

    @Override
    public Answer txt(String name, long deadlineNanos) throws InterruptedException {
        Name n = AuthDns.name(name);
        if (n == null) {
            return Answer.of(List.of()); // not askable: no key record
        }
        AuthDns.Answer a = dns.query(n, AuthDns.TXT, deadlineNanos);
        return a.failed() ? Answer.failed(a.detail()) : Answer.of(a.texts());
    }
}

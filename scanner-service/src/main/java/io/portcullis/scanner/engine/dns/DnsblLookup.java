package io.portcullis.scanner.engine.dns;

import com.github.benmanes.caffeine.cache.Ticker;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Asynchronous blocklist A-record lookups through one resolver, with a bounded cache of definite answers (listed and
 * not listed; TTL from the record, or the SOA minimum for NXDOMAIN, capped by the configured TTL). Timeouts,
 * failures and "query refused" codes are never cached and never a listing.
 */
public final class DnsblLookup {

    /** How a lookup ended. */
    public enum Kind {
        /** A 127.0.0.0/8 answer other than 127.255.255.x. */
        LISTED,
        /** NXDOMAIN or no A record. */
        NOT_LISTED,
        /** 127.255.255.x: the list refused the query (e.g. Spamhaus via a public resolver); not a listing. */
        REFUSED,
        /** SERVFAIL, REFUSED rcode, an answer outside 127/8, a network error. */
        FAILED,
        /** No answer within the query timeout. */
        TIMEOUT
    }

    /**
     * @param kind   how the lookup ended
     * @param codes  the returned addresses (for LISTED and REFUSED)
     * @param detail failure detail (rcode name, exception type), or null
     */
    public record Answer(Kind kind, List<String> codes, String detail) {
        public Answer {
            codes = List.copyOf(codes);
        }

        static Answer of(Kind kind, String detail) {
            return new Answer(kind, List.of(), detail);
        }
    }

    private final Resolver resolver;
    private final Duration timeout;
    private final TtlCache<Name, Answer> cache;

    public DnsblLookup(Resolver resolver, Duration timeout, long cacheSize, Duration maxTtl, Ticker ticker) {
        this.resolver = resolver;
        this.timeout = timeout;
        resolver.setTimeout(timeout);
        this.cache = new TtlCache<>(cacheSize, maxTtl, ticker);
    }

    /** Entries in the cache (for tests and metrics). */
    public long cached() {
        return cache.size();
    }

    /** Looks one name up; the future always completes normally, within the query timeout (plus a small margin). */
    public CompletableFuture<Answer> lookup(Name name) {
        Answer hit = cache.get(name);
        if (hit != null) {
            return CompletableFuture.completedFuture(hit);
        }
        Message query = Message.newQuery(Record.newRecord(name, Type.A, DClass.IN));
        CompletableFuture<Message> sent;
        try {
            sent = resolver.sendAsync(query).toCompletableFuture();
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(Answer.of(Kind.FAILED, e.getClass().getSimpleName()));
        }
        return sent.orTimeout(timeout.toMillis() + 250, TimeUnit.MILLISECONDS)
                .handle((response, error) -> error != null ? failure(error) : answer(name, response));
    }

    private Answer answer(Name name, Message response) {
        int rcode = response.getRcode();
        if (rcode == Rcode.NXDOMAIN) {
            return cache.remember(name, Answer.of(Kind.NOT_LISTED, "NXDOMAIN"), cache.negativeTtl(response));
        }
        if (rcode != Rcode.NOERROR) {
            return Answer.of(Kind.FAILED, Rcode.string(rcode));
        }
        List<String> listed = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        long ttl = Long.MAX_VALUE;
        for (Record r : response.getSection(Section.ANSWER)) {
            if (r instanceof ARecord a) {
                InetAddress address = a.getAddress();
                byte[] b = address.getAddress();
                String text = address.getHostAddress();
                if ((b[0] & 0xff) != 127) {
                    return Answer.of(Kind.FAILED, "unexpected answer " + text);
                }
                if ((b[1] & 0xff) == 255 && (b[2] & 0xff) == 255) {
                    refused.add(text);
                } else {
                    listed.add(text);
                    ttl = Math.min(ttl, r.getTTL());
                }
            }
        }
        if (!refused.isEmpty()) {
            return new Answer(Kind.REFUSED, refused, "query refused by the list");
        }
        if (listed.isEmpty()) {
            return cache.remember(name, Answer.of(Kind.NOT_LISTED, "NODATA"), cache.negativeTtl(response));
        }
        return cache.remember(name, new Answer(Kind.LISTED, listed.stream().sorted().toList(), null), ttl);
    }

    private static Answer failure(Throwable error) {
        Throwable t = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (t instanceof TimeoutException || t instanceof InterruptedIOException) {
            return Answer.of(Kind.TIMEOUT, "timeout");
        }
        return Answer.of(Kind.FAILED, t.getClass().getSimpleName());
    }
}

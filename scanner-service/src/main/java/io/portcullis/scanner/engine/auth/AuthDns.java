package io.portcullis.scanner.engine.auth;

import com.github.benmanes.caffeine.cache.Ticker;
import io.portcullis.scanner.engine.dns.TtlCache;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * The DNS queries of SPF, DKIM and DMARC: one resolver, a per-query timeout cut short by the message's deadline, and
 * a bounded cache of definite answers (records, NODATA and NXDOMAIN; TTL from the answer or the SOA minimum, capped).
 * Timeouts and failures are never cached and always reported as such: never an empty answer.
 */
public final class AuthDns {

    /** How a query ended. */
    public enum Status {
        /** NOERROR; the records of the asked type (none: NODATA). */
        OK,
        /** The name does not exist. */
        NXDOMAIN,
        /** No answer within the query timeout or the message's deadline. */
        TIMEOUT,
        /** SERVFAIL, REFUSED or another rcode, a network error. */
        FAILED
    }

    /**
     * @param status  how the query ended
     * @param records records of the asked type (OK only)
     * @param detail  failure detail, or null
     */
    public record Answer(Status status, List<Record> records, String detail) {
        public Answer {
            records = List.copyOf(records);
        }

        /** TEMPERROR in SPF, DKIM and DMARC terms. */
        public boolean failed() {
            return status == Status.TIMEOUT || status == Status.FAILED;
        }

        /** NXDOMAIN or NODATA: a "void lookup" (RFC 7208 section 4.6.4). */
        public boolean empty() {
            return status == Status.NXDOMAIN || status == Status.OK && records.isEmpty();
        }

        /** TXT records as strings, the character-strings of each record joined without spaces. */
        public List<String> texts() {
            List<String> out = new ArrayList<>();
            for (Record r : records) {
                if (r instanceof TXTRecord t) {
                    out.add(String.join("", t.getStrings()));
                }
            }
            return out;
        }

        static Answer of(Status status, String detail) {
            return new Answer(status, List.of(), detail);
        }
    }

    private record Key(Name name, int type) {
    }

    private final Resolver resolver;
    private final Duration timeout;
    private final TtlCache<Key, Answer> cache;

    public AuthDns(Resolver resolver, Duration timeout, long cacheSize, Duration maxTtl, Ticker ticker) {
        this.resolver = resolver;
        this.timeout = timeout;
        resolver.setTimeout(timeout);
        this.cache = new TtlCache<>(cacheSize, maxTtl, ticker);
    }

    /** Entries in the cache (for tests). */
    public long cached() {
        return cache.size();
    }

    /**
     * Asks one question; waits at most the query timeout and never beyond {@code deadlineNanos} ({@link System#nanoTime}).
     *
     * @throws InterruptedException when the engine is cancelled
     */
    public Answer query(Name name, int type, long deadlineNanos) throws InterruptedException {
        Key key = new Key(name, type);
        Answer hit = cache.get(key);
        if (hit != null) {
            return hit;
        }
        long wait = Math.min(timeout.toNanos() + TimeUnit.MILLISECONDS.toNanos(250), deadlineNanos - System.nanoTime());
        if (wait <= 0) {
            return Answer.of(Status.TIMEOUT, "deadline reached");
        }
        CompletableFuture<Message> sent;
        try {
            sent = resolver.sendAsync(Message.newQuery(Record.newRecord(name, type, DClass.IN))).toCompletableFuture();
        } catch (RuntimeException e) {
            return Answer.of(Status.FAILED, e.getClass().getSimpleName());
        }
        Message response;
        try {
            response = sent.get(wait, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            sent.cancel(true);
            return Answer.of(Status.TIMEOUT, "timeout");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof TimeoutException || cause instanceof java.io.InterruptedIOException) {
                return Answer.of(Status.TIMEOUT, "timeout");
            }
            return Answer.of(Status.FAILED, cause.getClass().getSimpleName());
        }
        return answer(key, response);
    }

    private Answer answer(Key key, Message response) {
        int rcode = response.getRcode();
        if (rcode == Rcode.NXDOMAIN) {
            return cache.remember(key, Answer.of(Status.NXDOMAIN, "NXDOMAIN"), cache.negativeTtl(response));
        }
        if (rcode != Rcode.NOERROR) {
            return Answer.of(Status.FAILED, Rcode.string(rcode));
        }
        List<Record> records = new ArrayList<>();
        long ttl = Long.MAX_VALUE;
        for (Record r : response.getSection(Section.ANSWER)) {
            if (r.getType() == key.type()) {
                records.add(r);
                ttl = Math.min(ttl, r.getTTL());
            }
        }
        if (records.isEmpty()) {
            return cache.remember(key, new Answer(Status.OK, List.of(), "NODATA"), cache.negativeTtl(response));
        }
        return cache.remember(key, new Answer(Status.OK, records, null), ttl);
    }

    /** A name from text, or null when it is not a valid absolute domain name (too long, empty label...). */
    public static Name name(String text) {
        if (text == null || text.isEmpty() || text.length() > 253 + 1) {
            return null;
        }
        try {
            return Name.fromString(text.endsWith(".") ? text : text + ".");
        } catch (org.xbill.DNS.TextParseException | RuntimeException e) {
            return null;
        }
    }

    /** Type constants re-exported for readability at call sites. */
    public static final int TXT = Type.TXT;
    public static final int A = Type.A;
    public static final int AAAA = Type.AAAA;
    public static final int MX = Type.MX;
    public static final int PTR = Type.PTR;
}

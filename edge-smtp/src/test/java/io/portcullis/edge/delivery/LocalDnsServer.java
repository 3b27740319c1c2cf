package io.portcullis.edge.delivery;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * Copied from the scanner's test support (scanner-service), with CNAME answers added.
 *
 * A tiny authoritative DNS server on 127.0.0.1 (UDP, a free port) for tests, built from dnsjava's Message classes.
 * Names answer with A records ({@link #a}), SERVFAIL ({@link #servfail}) or nothing at all ({@link #silent}); every
 * other name is NXDOMAIN with an SOA (negative TTL 60 s). Counts the queries per name.
 *
 * <p>A zone of typed records ({@link #txt}, {@link #mx}, {@link #ip}) is answered by type first: a name with
 * records of other types only is NOERROR without answers (NODATA).
 */
final class LocalDnsServer implements AutoCloseable {
    private enum Mode { SERVFAIL, SILENT }

    private final DatagramSocket socket;
    private final Thread thread;
    private final Map<Name, Object> names = new ConcurrentHashMap<>();
    private final Map<Name, AtomicInteger> queries = new ConcurrentHashMap<>();
    private final Map<Name, List<Record>> records = new ConcurrentHashMap<>();

    public LocalDnsServer() {
        try {
            socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        } catch (SocketException e) {
            throw new UncheckedIOException(e);
        }
        thread = new Thread(this::serve, "local-dns");
        thread.setDaemon(true);
        thread.start();
    }

    /** {@code 127.0.0.1:port} */
    public String address() {
        return "127.0.0.1:" + socket.getLocalPort();
    }

    /** Answers {@code name} with A records of {@code ttl} seconds. */
    public LocalDnsServer a(String name, long ttl, String... addresses) {
        names.put(name(name), new Object[] {ttl, addresses});
        return this;
    }

    /** Adds a TXT record of one or more character-strings (joined without spaces by the reader). */
    public LocalDnsServer txt(String name, String... strings) {
        return add(new TXTRecord(name(name), DClass.IN, 300, List.of(strings)));
    }

    /** Adds an MX record. */
    public LocalDnsServer mx(String name, int priority, String target) {
        return add(new MXRecord(name(name), DClass.IN, 300, priority, name(target)));
    }

    /** Adds a CNAME: every query for {@code name} is answered with it (and nothing else). */
    public LocalDnsServer cname(String name, String target) {
        return add(new org.xbill.DNS.CNAMERecord(name(name), DClass.IN, 300, name(target)));
    }

    /** Adds an A or AAAA record, by the address's family. */
    public LocalDnsServer ip(String name, String address) {
        try {
            InetAddress a = InetAddress.getByName(address);
            return add(a.getAddress().length == 4 ? new ARecord(name(name), DClass.IN, 300, a)
                    : new AAAARecord(name(name), DClass.IN, 300, a));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private LocalDnsServer add(Record r) {
        records.computeIfAbsent(r.getName(), n -> new CopyOnWriteArrayList<>()).add(r);
        return this;
    }

    public LocalDnsServer servfail(String name) {
        names.put(name(name), Mode.SERVFAIL);
        return this;
    }

    /** Never answers {@code name} (the client times out). */
    public LocalDnsServer silent(String name) {
        names.put(name(name), Mode.SILENT);
        return this;
    }

    public int queries(String name) {
        AtomicInteger n = queries.get(name(name));
        return n == null ? 0 : n.get();
    }

    private static Name name(String s) {
        try {
            return Name.fromString(s.endsWith(".") ? s : s + ".");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void serve() {
        byte[] buf = new byte[65535];
        while (!socket.isClosed()) {
            DatagramPacket packet = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(packet);
                Message query = new Message(java.util.Arrays.copyOf(packet.getData(), packet.getLength()));
                byte[] reply = reply(query);
                if (reply != null) {
                    socket.send(new DatagramPacket(reply, reply.length, packet.getSocketAddress()));
                }
            } catch (IOException | RuntimeException e) {
                if (socket.isClosed()) {
                    return;
                }
            }
        }
    }

    private byte[] reply(Message query) throws IOException {
        Record question = query.getQuestion();
        queries.computeIfAbsent(question.getName(), n -> new AtomicInteger()).incrementAndGet();
        Object what = names.get(question.getName());
        if (what == Mode.SILENT) {
            return null;
        }
        Message response = new Message(query.getHeader().getID());
        response.getHeader().setFlag(Flags.QR);
        response.getHeader().setFlag(Flags.AA);
        response.addRecord(question, Section.QUESTION);
        List<Record> typed = what == null ? records.get(question.getName()) : null;
        if (typed != null) {
            for (Record r : typed) {
                if (r.getType() == question.getType() || question.getType() == Type.ANY
                        || r.getType() == Type.CNAME) {
                    response.addRecord(r, Section.ANSWER);
                }
            }
            if (response.getSection(Section.ANSWER).isEmpty()) {
                response.addRecord(new SOARecord(question.getName(), DClass.IN, 300,
                        Name.fromString("ns." + question.getName()), Name.fromString("hostmaster." + question.getName()),
                        1, 3600, 600, 86400, 60), Section.AUTHORITY);
            }
        } else if (what == Mode.SERVFAIL) {
            response.getHeader().setRcode(Rcode.SERVFAIL);
        } else if (what instanceof Object[] a) {
            for (String address : (String[]) a[1]) {
                response.addRecord(new ARecord(question.getName(), DClass.IN, (Long) a[0],
                        InetAddress.getByName(address)), Section.ANSWER);
            }
        } else {
            response.getHeader().setRcode(Rcode.NXDOMAIN);
            Name zone = new Name(question.getName(), Math.max(0, question.getName().labels() - 3));
            response.addRecord(new SOARecord(zone, DClass.IN, 300, Name.fromString("ns." + zone),
                    Name.fromString("hostmaster." + zone), 1, 3600, 600, 86400, 60), Section.AUTHORITY);
        }
        return response.toWire();
    }

    @Override
    public void close() {
        socket.close();
        try {
            thread.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package io.portcullis.edge.delivery;

import io.portcullis.edge.config.EdgeConfig;
import io.portcullis.edge.delivery.RecipientResult.Outcome;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.jboss.logging.Logger;

/**
 * A small, strict SMTP client that relays a message verbatim (see docs/adr/0002-verbatim-relay-client.md):
 * EHLO (HELO fallback), opportunistic STARTTLS, MAIL FROM with SIZE/BODY=8BITMIME/SMTPUTF8 when advertised,
 * one RCPT per recipient with its own reply, DATA with dot-stuffing, QUIT. Plain blocking sockets with
 * connect and read timeouts: run it on a worker thread.
 */
@ApplicationScoped
public class SmtpRelayClient implements MessageRelay {

    private static final Logger LOG = Logger.getLogger(SmtpRelayClient.class);
    private static final int COPY_BUFFER = 16 * 1024;

    private final String heloName;
    private final int timeoutMillis;
    private final boolean startTls;
    private final SSLContext verifying;

    @Inject
    public SmtpRelayClient(EdgeConfig config) {
        this(config.delivery().heloName(), config.delivery().timeout(), true,
                verifyingContext(config.delivery().tlsTrustStore()));
    }

    public SmtpRelayClient(String heloName, Duration timeout, boolean startTls) {
        this(heloName, timeout, startTls, verifyingContext(java.util.Optional.empty()));
    }

    /**
     * @param heloName name sent in EHLO/HELO
     * @param timeout  connect timeout and the longest wait for any reply
     * @param startTls whether to use STARTTLS when the next hop offers it (opportunistic, certificates not verified)
     * @param verifying the TLS context of the {@code verify} policy (trusted CAs)
     */
    public SmtpRelayClient(String heloName, Duration timeout, boolean startTls, SSLContext verifying) {
        if (heloName == null || heloName.isBlank() || heloName.chars().anyMatch(c -> c <= ' ' || c > '~')) {
            throw new IllegalArgumentException("portcullis.delivery.helo-name must be a host name, got '" + heloName + "'");
        }
        if (timeout.isNegative() || timeout.isZero() || timeout.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("portcullis.delivery.timeout must be positive, got " + timeout);
        }
        this.heloName = heloName;
        this.timeoutMillis = (int) timeout.toMillis();
        this.startTls = startTls;
        this.verifying = verifying;
    }

    /**
     * The TLS context of the {@code verify} policy: the CA certificates of a PEM file, or the JVM's default trust
     * store when none is configured.
     *
     * @throws IllegalArgumentException naming {@code portcullis.delivery.tls-trust-store} when it is unusable
     */
    static SSLContext verifyingContext(java.util.Optional<String> trustStore) {
        String key = "portcullis.delivery.tls-trust-store";
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            if (trustStore.isPresent() && !trustStore.get().isBlank()) {
                java.nio.file.Path path = java.nio.file.Path.of(trustStore.get().strip());
                java.util.Collection<? extends java.security.cert.Certificate> certs;
                try (InputStream in = java.nio.file.Files.newInputStream(path)) {
                    certs = java.security.cert.CertificateFactory.getInstance("X.509").generateCertificates(in);
                } catch (IOException | GeneralSecurityException e) {
                    throw new IllegalArgumentException(key + ": cannot read CA certificates from " + path + ": " + e, e);
                }
                if (certs.isEmpty()) {
                    throw new IllegalArgumentException(key + ": no certificate in " + path);
                }
                java.security.KeyStore store = java.security.KeyStore.getInstance(java.security.KeyStore.getDefaultType());
                store.load(null, null);
                int i = 0;
                for (java.security.cert.Certificate c : certs) {
                    store.setCertificateEntry("ca-" + i++, c);
                }
                tmf.init(store);
            } else {
                tmf.init((java.security.KeyStore) null);
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), new SecureRandom());
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException(key + ": cannot set up certificate verification: " + e, e);
        }
    }

    @Override
    public RelayResult relay(NextHop hop, String mailFrom, List<String> recipients, OutgoingMessage message) {
        return relay(hop, mailFrom, recipients, message, TlsPolicy.OPPORTUNISTIC);
    }

    @Override
    public RelayResult relay(NextHop hop, String mailFrom, List<String> recipients, OutgoingMessage message,
            TlsPolicy tls) {
        Transaction tx = new Transaction(hop, mailFrom == null ? "" : mailFrom, recipients, message,
                tls == null ? TlsPolicy.OPPORTUNISTIC : tls);
        return tx.run();
    }

    /** The state of one SMTP transaction; final results fill in as replies arrive. */
    private final class Transaction {
        private final NextHop hop;
        private final String mailFrom;
        private final List<String> recipients;
        private final OutgoingMessage message;
        private final TlsPolicy policy;
        private final Map<String, RecipientResult> results = new LinkedHashMap<>();
        private Socket socket;
        private InputStream in;
        private OutputStream out;
        private boolean tls;
        /** Whether a session came about: 2xx greeting and the TLS policy met. */
        private boolean reached;
        private boolean handshaking;

        Transaction(NextHop hop, String mailFrom, List<String> recipients, OutgoingMessage message, TlsPolicy policy) {
            this.hop = hop;
            this.mailFrom = mailFrom;
            this.recipients = List.copyOf(recipients);
            this.message = message;
            this.policy = policy;
        }

        RelayResult run() {
            String badAddress = firstInvalidAddress();
            if (badAddress != null) {
                failAll(Outcome.PERMANENT, "553 5.1.3 local: invalid address syntax: " + badAddress);
                return result();
            }
            try {
                socket = new Socket();
                socket.connect(new InetSocketAddress(hop.host(), hop.port()), timeoutMillis);
                socket.setSoTimeout(timeoutMillis);
                streams();
                converse();
            } catch (SocketTimeoutException e) {
                failAll(Outcome.TEMPORARY, "451 4.4.2 local: timeout talking to " + hop + ": " + e.getMessage());

            } catch (MessageSourceException e) {
                Outcome outcome = e.getCause() instanceof BodyIntegrityException ? Outcome.PERMANENT : Outcome.TEMPORARY;
                failAll(outcome, (outcome == Outcome.PERMANENT ? "554 5.3.0" : "451 4.3.0")
                        + " local: cannot read the message body: " + e.getCause().getMessage());
            } catch (IOException e) {
                if (handshaking && policy.mandatory()) {
                    failAll(Outcome.TEMPORARY, "451 4.7.5 local: TLS " + policyName() + " for this destination but the "
                            + "TLS handshake with " + hop + " failed: " + e.getMessage());
                } else {
                    failAll(Outcome.TEMPORARY, "451 4.4.1 local: connection to " + hop + " failed: " + e);
                }
            } finally {
                closeQuietly();
            }
            return result();
        }

        private void converse() throws IOException {
            SmtpReply greeting = SmtpReply.read(in);
            if (!greeting.isPositive()) {
                failAll(greeting);
                quit();
                return;
            }
            Map<String, String> capabilities = hello();
            if (capabilities == null) {
                return;
            }
            boolean offered = capabilities.containsKey("STARTTLS");
            if (policy.mandatory() && (!startTls || !offered)) {
                // never cleartext when TLS is required: stop before MAIL FROM
                failAll(Outcome.TEMPORARY, "451 4.7.10 local: TLS " + policyName() + " for this destination but "
                        + hop + " does not offer STARTTLS");
                quit();
                return;
            }
            if (startTls && offered) {
                SmtpReply reply = command("STARTTLS");
                if (reply.code() == 220) {
                    handshaking = true;
                    upgradeToTls();
                    handshaking = false;
                    capabilities = hello();
                    if (capabilities == null) {
                        return;
                    }
                } else if (policy.mandatory()) {
                    failAll(Outcome.TEMPORARY, "451 4.7.10 local: TLS " + policyName() + " for this destination but "
                            + hop + " refused STARTTLS: " + reply);
                    quit();
                    return;
                } else {
                    LOG.debugf("next hop %s refused STARTTLS (%s); continuing without TLS", hop, reply);
                }
            }
            reached = true;
            long maxSize = parseSize(capabilities.get("SIZE"));
            if (maxSize > 0 && message.size() > maxSize) {
                failAll(Outcome.PERMANENT, "552 5.3.4 local: message size " + message.size()
                        + " exceeds the next hop's limit " + maxSize);
                quit();
                return;
            }
            StringBuilder mail = new StringBuilder("MAIL FROM:<").append(mailFrom).append('>');
            if (capabilities.containsKey("SIZE") && message.size() >= 0) {
                mail.append(" SIZE=").append(message.size());
            }
            if (capabilities.containsKey("8BITMIME")) {
                mail.append(" BODY=8BITMIME");
            }
            if (capabilities.containsKey("SMTPUTF8") && needsUtf8()) {
                mail.append(" SMTPUTF8");
            }
            SmtpReply mailReply = command(mail.toString());
            if (!mailReply.isPositive()) {
                failAll(mailReply);
                quit();
                return;
            }
            List<String> acceptedRcpt = new java.util.ArrayList<>();
            for (String rcpt : recipients) {
                SmtpReply rcptReply = command("RCPT TO:<" + rcpt + ">");
                if (rcptReply.isPositive()) {
                    acceptedRcpt.add(rcpt);
                } else {
                    results.put(rcpt, new RecipientResult(rcpt, RecipientResult.outcomeOf(rcptReply.code()),
                            rcptReply.toString()));
                }
            }
            if (acceptedRcpt.isEmpty()) {
                quit();
                return;
            }
            SmtpReply dataReply = command("DATA");
            if (dataReply.code() != 354) {
                failAll(dataReply);
                quit();
                return;
            }
            SmtpDataOutputStream data = new SmtpDataOutputStream(out);
            copyContent(data);
            data.finish();
            if (data.bareLineEnds() > 0) {
                LOG.warnf("normalized %d bare CR/LF line ends to CRLF while relaying to %s", data.bareLineEnds(), hop);
            }
            SmtpReply finalReply = SmtpReply.read(in);
            for (String rcpt : acceptedRcpt) {
                results.put(rcpt, new RecipientResult(rcpt, RecipientResult.outcomeOf(finalReply.code()),
                        finalReply.toString()));
            }
            quit();
        }

        /** EHLO, falling back to HELO; returns the capabilities (upper-case keyword to parameters) or null. */
        private Map<String, String> hello() throws IOException {
            SmtpReply ehlo = command("EHLO " + heloName);
            if (ehlo.isPositive()) {
                Map<String, String> caps = new HashMap<>();
                for (String line : ehlo.lines().subList(1, ehlo.lines().size())) {
                    String[] parts = line.trim().split("\\s+", 2);
                    if (!parts[0].isEmpty()) {
                        caps.put(parts[0].toUpperCase(Locale.ROOT), parts.length > 1 ? parts[1] : "");
                    }
                }
                return caps;
            }
            if (ehlo.code() == 421) {
                failAll(ehlo);
                return null;
            }
            SmtpReply helo = command("HELO " + heloName);
            if (!helo.isPositive()) {
                failAll(helo);
                quit();
                return null;
            }
            return Map.of();
        }

        private void copyContent(OutputStream data) throws IOException {
            byte[] buffer = new byte[COPY_BUFFER];
            InputStream source = message.stream();
            while (true) {
                int n;
                try {
                    n = source.read(buffer);
                } catch (IOException e) {
                    // Leave DATA unterminated and drop the connection: the next hop discards the partial message.
                    throw new MessageSourceException(e);
                }
                if (n < 0) {
                    return;
                }
                data.write(buffer, 0, n);
            }
        }

        private SmtpReply command(String line) throws IOException {
            out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            return SmtpReply.read(in);
        }

        private void quit() {
            try {
                command("QUIT");
            } catch (IOException e) {
                LOG.debugf("QUIT to %s failed: %s", hop, e.getMessage());
            }
        }

        private void upgradeToTls() throws IOException {
            try {
                SSLContext context;
                if (policy == TlsPolicy.VERIFY) {
                    context = verifying;
                } else {
                    context = SSLContext.getInstance("TLS");
                    context.init(null, new TrustManager[] {new TrustAllManager()}, new SecureRandom());
                }
                SSLSocket ssl = (SSLSocket) context.getSocketFactory().createSocket(socket, hop.name(), hop.port(), true);
                ssl.setUseClientMode(true);
                ssl.setSoTimeout(timeoutMillis);
                SSLParameters params = ssl.getSSLParameters();
                if (!isIpLiteral(hop.name())) {
                    params.setServerNames(List.of(new SNIHostName(hop.name())));
                }
                if (policy == TlsPolicy.VERIFY) {
                    // chain against the trust store, and the certificate must name the host (RFC 6125 via HTTPS rules)
                    params.setEndpointIdentificationAlgorithm("HTTPS");
                }
                ssl.setSSLParameters(params);
                ssl.startHandshake();
                socket = ssl;
                tls = true;
                LOG.debugf("TLS with %s: %s %s (%s)", hop, ssl.getSession().getProtocol(),
                        ssl.getSession().getCipherSuite(), policy == TlsPolicy.VERIFY ? "verified" : "not verified");
                streams();
            } catch (GeneralSecurityException e) {
                throw new IOException("cannot set up TLS: " + e.getMessage(), e);
            }
        }

        private void streams() throws IOException {
            in = new BufferedInputStream(socket.getInputStream());
            out = new BufferedOutputStream(socket.getOutputStream());
        }

        private boolean needsUtf8() {
            return !isAscii(mailFrom) || recipients.stream().anyMatch(r -> !isAscii(r));
        }

        private String firstInvalidAddress() {
            if (!validAddress(mailFrom, true)) {
                return "<" + mailFrom + ">";
            }
            return recipients.stream().filter(r -> !validAddress(r, false)).map(r -> "<" + r + ">").findFirst()
                    .orElse(null);
        }

        private String policyName() {
            return policy == TlsPolicy.VERIFY ? "with a verified certificate is required" : "is required";
        }

        private void failAll(SmtpReply reply) {
            failAll(RecipientResult.outcomeOf(reply.code()), reply.toString());
        }

        /** Gives every recipient without a final result yet the same outcome. */
        private void failAll(Outcome outcome, String reply) {
            for (String rcpt : recipients) {
                results.putIfAbsent(rcpt, new RecipientResult(rcpt, outcome, reply));
            }
        }

        private RelayResult result() {
            failAll(Outcome.TEMPORARY, "451 4.4.0 local: no reply for this recipient");
            return new RelayResult(hop, recipients.stream().map(results::get).toList(), tls, reached);
        }

        private void closeQuietly() {
            if (socket != null) {
                try {
                    socket.close();
                } catch (IOException e) {
                    LOG.tracef("close: %s", e.getMessage());
                }
            }
        }
    }

    static long parseSize(String sizeParam) {
        if (sizeParam == null || sizeParam.isBlank()) {
            return 0;
        }
        try {
            return Long.parseLong(sizeParam.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** No CR, LF, NUL, angle brackets or spaces; the null sender is allowed only as reverse path. */
    static boolean validAddress(String address, boolean reversePath) {
        if (address.isEmpty()) {
            return reversePath;
        }
        if (address.length() > 320) {
            return false;
        }
        return address.chars().noneMatch(c -> c <= ' ' || c == '<' || c == '>' || c == 0x7f);
    }

    private static boolean isIpLiteral(String host) {
        return host.indexOf(':') >= 0 || host.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'));
    }

    private static boolean isAscii(String s) {
        return s.chars().allMatch(c -> c < 0x80);
    }

    /** Wraps a failure reading the message body, to tell it apart from a failure of the connection. */
    private static final class MessageSourceException extends IOException {
        MessageSourceException(IOException cause) {
            super(cause);
        }
    }

    /** Opportunistic TLS to the next hop: encrypt, do not authenticate (RFC 7435). */
    private static final class TrustAllManager implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}

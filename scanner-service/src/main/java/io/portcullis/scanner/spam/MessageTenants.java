package io.portcullis.scanner.spam;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The tenant of each message being scanned, by message id, for engines that need it (the Bayes engine picks the
 * tenant's learned counts). {@link io.portcullis.contracts.scan.ScanInput} carries no tenant and engines run on
 * other threads, so the scan path binds it here for the duration of a scan.
 */
@ApplicationScoped
public class MessageTenants {
    /** Tenant of scans that name none (the synchronous API). */
    public static final String DEFAULT = "default";

    private final ConcurrentHashMap<String, String> tenants = new ConcurrentHashMap<>();

    /** A binding that ends with the scan. */
    public interface Binding extends AutoCloseable {
        @Override
        void close();
    }

    /** Binds {@code tenant} to {@code messageId} until the returned binding is closed. */
    public Binding bind(String messageId, String tenant) {
        String t = tenant == null || tenant.isBlank() ? DEFAULT : tenant;
        tenants.put(messageId, t);
        return () -> tenants.remove(messageId, t);
    }

    /** The tenant bound to a message, or {@value #DEFAULT}. */
    public String of(String messageId) {
        return messageId == null ? DEFAULT : tenants.getOrDefault(messageId, DEFAULT);
    }
}

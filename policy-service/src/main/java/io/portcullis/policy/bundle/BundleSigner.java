package io.portcullis.policy.bundle;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portcullis.policy.config.PolicyConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jboss.logging.Logger;

/**
 * Signs and verifies policy bundles with HMAC-SHA256 over their canonical form: the bundle without its
 * {@code signature} member, object members sorted by name at every level, no white space, UTF-8, strings and
 * numbers as Jackson writes them. Re-indenting or reordering a bundle keeps the signature valid; changing any value
 * does not. A key shorter than {@value #MIN_KEY_LENGTH} characters fails start-up.
 */
@ApplicationScoped
public class BundleSigner {
    /** The only algorithm. */
    public static final String ALGORITHM = "HMAC-SHA256";
    static final int MIN_KEY_LENGTH = 32;
    private static final Logger LOG = Logger.getLogger(BundleSigner.class);
    private static final ObjectMapper CANONICAL = new ObjectMapper();

    private final Optional<byte[]> key;

    public BundleSigner(PolicyConfig config) {
        Optional<String> raw = config.bundles().key().filter(k -> !k.isBlank());
        if (raw.isPresent() && raw.get().length() < MIN_KEY_LENGTH) {
            throw new IllegalStateException("portcullis.policy.bundles.key (PORTCULLIS_POLICY_BUNDLE_KEY) must have"
                    + " at least " + MIN_KEY_LENGTH + " characters");
        }
        this.key = raw.map(k -> k.getBytes(StandardCharsets.UTF_8));
    }

    /** Creates the bean at start-up, so a bad key fails start-up rather than the first export. */
    void onStart(@Observes StartupEvent event) {
        if (key.isEmpty()) {
            LOG.warn("no policy bundle key (PORTCULLIS_POLICY_BUNDLE_KEY): bundle export and import are off");
        }
    }

    public boolean configured() {
        return key.isPresent();
    }

    /** The base64 HMAC of the canonical form of {@code bundle} (its {@code signature} member left out). */
    public String sign(JsonNode bundle) {
        byte[] k = key.orElseThrow(() -> new IllegalStateException("no bundle key"));
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(k, "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(canonical(bundle)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /** Whether {@code signature} (base64) is this key's HMAC of the bundle; compared in constant time. */
    public boolean verify(JsonNode bundle, String signature) {
        byte[] given;
        try {
            given = Base64.getDecoder().decode(signature);
        } catch (IllegalArgumentException e) {
            return false;
        }
        byte[] expected = Base64.getDecoder().decode(sign(bundle));
        return MessageDigest.isEqual(expected, given);
    }

    /** The bytes that are signed. */
    static byte[] canonical(JsonNode bundle) {
        JsonNode copy = sorted(bundle);
        if (copy instanceof ObjectNode object) {
            object.remove("signature");
        }
        try {
            return CANONICAL.writeValueAsBytes(copy);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode sorted(JsonNode node) {
        if (node.isObject()) {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            List<String> names = new ArrayList<>();
            node.fieldNames().forEachRemaining(names::add);
            Collections.sort(names);
            for (String name : names) {
                out.set(name, sorted(node.get(name)));
            }
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            node.forEach(child -> out.add(sorted(child)));
            return out;
        }
        return node;
    }
}

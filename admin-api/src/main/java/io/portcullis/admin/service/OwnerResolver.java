package io.portcullis.admin.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.portcullis.admin.client.DirectoryClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

/**
 * Who an end user is for the quarantine: the token's {@code email} claim, only when {@code email_verified} is true,
 * plus the aliases policy-service's directory look-up lists for that address. When the directory is not configured,
 * does not know the address or cannot be reached, the owner is the address alone (never wider), and {@code source}
 * says which.
 */
@ApplicationScoped
public class OwnerResolver {
    private static final Logger LOG = Logger.getLogger(OwnerResolver.class);
    /** Most addresses in one owner set (the address plus aliases). */
    static final int MAX_ADDRESSES = 50;

    /** Where the owner set came from. */
    public enum Source {
        /** The directory listed the address with its aliases. */
        DIRECTORY("directory"),
        /** No directory is configured: the address alone. */
        NO_DIRECTORY("no-directory"),
        /** The directory does not know the address: the address alone. */
        NOT_IN_DIRECTORY("not-in-directory"),
        /** The directory could not be asked: the address alone, aliases missing for now. */
        DIRECTORY_UNAVAILABLE("directory-unavailable");

        private final String header;

        Source(String header) {
            this.header = header;
        }

        public String header() {
            return header;
        }
    }

    /** The verified address first, then the aliases; all lower case. */
    public record Owner(String address, List<String> addresses, Source source) {
        public String header() {
            return String.join(",", addresses);
        }
    }

    private final DirectoryClient directory;
    private final ObjectMapper json;

    public OwnerResolver(@RestClient DirectoryClient directory, ObjectMapper json) {
        this.directory = directory;
        this.json = json;
    }

    /** @return empty when the token has no verified, plausible email address */
    public Optional<Owner> resolve(JsonWebToken token) {
        Optional<String> address = verifiedEmail(token);
        if (address.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(withAliases(address.get()));
    }

    static Optional<String> verifiedEmail(JsonWebToken token) {
        if (token == null || !truthy(token.getClaim("email_verified"))) {
            return Optional.empty();
        }
        Object email = token.getClaim("email");
        String value = email instanceof JsonString s ? s.getString() : email instanceof String s ? s : null;
        return Optional.ofNullable(canonical(value));
    }

    private Owner withAliases(String address) {
        Response answer;
        try {
            answer = directory.lookup(address);
        } catch (WebApplicationException e) {
            answer = e.getResponse();
        } catch (ProcessingException e) {
            LOG.warnf("directory look-up unreachable: %s", e.getMessage());
            return new Owner(address, List.of(address), Source.DIRECTORY_UNAVAILABLE);
        }
        try (Response r = answer) {
            String body = r.hasEntity() ? r.readEntity(String.class) : "";
            if (r.getStatus() == 200) {
                return fromDirectory(address, json.readTree(body));
            }
            if (r.getStatus() == 404) {
                return new Owner(address, List.of(address), Source.NOT_IN_DIRECTORY);
            }
            if (r.getStatus() == 503 && body.contains("not configured")) {
                return new Owner(address, List.of(address), Source.NO_DIRECTORY);
            }
            LOG.warnf("directory look-up answered %d: owner limited to the token's address", r.getStatus());
            return new Owner(address, List.of(address), Source.DIRECTORY_UNAVAILABLE);
        } catch (IOException | ProcessingException e) {
            LOG.warnf("directory look-up unreadable: %s", e.getMessage());
            return new Owner(address, List.of(address), Source.DIRECTORY_UNAVAILABLE);
        }
    }

    private static Owner fromDirectory(String address, JsonNode entry) {
        Set<String> addresses = new LinkedHashSet<>();
        addresses.add(address);
        List<String> found = new ArrayList<>();
        found.add(entry.path("canonical").asText(null));
        entry.path("aliases").forEach(a -> found.add(a.asText(null)));
        for (String candidate : found) {
            String c = canonical(candidate);
            if (c != null && addresses.size() < MAX_ADDRESSES) {
                addresses.add(c);
            }
        }
        return new Owner(address, List.copyOf(addresses), Source.DIRECTORY);
    }

    /** Lower case, trimmed; null unless it looks like one address (no list separators, white space or controls). */
    static String canonical(String address) {
        if (address == null) {
            return null;
        }
        String a = address.strip().toLowerCase(Locale.ROOT);
        int at = a.indexOf('@');
        if (a.length() > 254 || at < 1 || at != a.lastIndexOf('@') || at == a.length() - 1
                || a.chars().anyMatch(c -> c <= 0x20 || c == 0x7f || c == ',' || c == '<' || c == '>' || c == '"')) {
            return null;
        }
        return a;
    }

    private static boolean truthy(Object claim) {
        return Boolean.TRUE.equals(claim) || claim == JsonValue.TRUE || JsonValue.TRUE.equals(claim)
                || "true".equals(claim) || (claim instanceof JsonString s && "true".equals(s.getString()));
    }
}

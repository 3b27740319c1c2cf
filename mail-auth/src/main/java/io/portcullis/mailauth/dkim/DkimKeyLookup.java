package io.portcullis.mailauth.dkim;

import java.util.List;
import java.util.Map;

/**
 * Where the verifier finds DKIM key records ({@code selector._domainkey.domain} TXT): DNS in the scanner (with its
 * timeouts and cache), a map in tests. A lookup that fails or times out must say so ({@link Answer#failed}): the
 * signature is then TEMPERROR, never valid and never invalid.
 */
@FunctionalInterface
public interface DkimKeyLookup {

    /**
     * @param texts   the TXT records at the name (each record's character-strings joined); empty when there are
     *                none or the name does not exist
     * @param failure why the lookup failed (timeout, SERVFAIL...), or null when it did not
     */
    record Answer(List<String> texts, String failure) {
        public Answer {
            texts = List.copyOf(texts);
        }

        public static Answer of(List<String> texts) {
            return new Answer(texts, null);
        }

        public static Answer failed(String failure) {
            return new Answer(List.of(), failure);
        }

        public boolean failed() {
            return failure != null;
        }
    }

    /**
     * The TXT records at {@code name} (lower case, no trailing dot), waiting at most until {@code deadlineNanos}
     * ({@link System#nanoTime}).
     *
     * @throws InterruptedException when the caller is cancelled
     */
    Answer txt(String name, long deadlineNanos) throws InterruptedException;

    /** Key records from a map of name to TXT record (tests, tools). */
    static DkimKeyLookup of(Map<String, String> records) {
        return (name, deadline) -> {
            String record = records.get(name);
            return Answer.of(record == null ? List.of() : List.of(record));
        };
    }
}

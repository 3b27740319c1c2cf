package io.portcullis.edge.delivery;

import io.portcullis.contracts.events.HeaderField;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A ready-to-send RFC 3464 delivery status notification, 7-bit ASCII only.
 *
 * @param envelopeRecipient where it goes (the original envelope sender); the DSN's own envelope sender is null
 * @param headers           the top-level header fields, in order
 * @param body              the multipart/report body with LF line endings (converted to CRLF on the wire)
 */
public record DeliveryStatusNotification(String envelopeRecipient, List<HeaderField> headers, String body) {
    public DeliveryStatusNotification {
        headers = List.copyOf(headers);
    }

    /** The first value of a header field, or null. */
    public String header(String name) {
        return headers.stream().filter(h -> h.name().equalsIgnoreCase(name)).map(HeaderField::value).findFirst()
                .orElse(null);
    }

    /** The whole message as it goes on the wire (before dot-stuffing): CRLF line endings. */
    public byte[] toBytes() {
        StringBuilder sb = new StringBuilder();
        for (HeaderField h : headers) {
            sb.append(h.name()).append(": ").append(h.value()).append('\n');
        }
        sb.append('\n').append(body);
        return sb.toString().replace("\n", "\r\n").getBytes(StandardCharsets.US_ASCII);
    }
}

package io.portcullis.policy.entity;

import com.fasterxml.jackson.core.type.TypeReference;
import io.portcullis.contracts.events.EventJson;
import io.portcullis.contracts.events.HeaderField;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/** Stores a rule's header fields as a JSON array in a text column. */
@Converter
public class HeaderListConverter implements AttributeConverter<List<HeaderField>, String> {
    private static final TypeReference<List<HeaderField>> TYPE = new TypeReference<>() {
    };

    @Override
    public String convertToDatabaseColumn(List<HeaderField> headers) {
        try {
            return EventJson.mapper().writeValueAsString(headers == null ? List.of() : headers);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public List<HeaderField> convertToEntityAttribute(String json) {
        if (json == null || json.isBlank()) {
            return List.of();
        }
        try {
            return List.copyOf(EventJson.mapper().readValue(json, TYPE));
        } catch (IOException e) {
            throw new UncheckedIOException("stored add_headers is not a JSON array of header fields", e);
        }
    }
}

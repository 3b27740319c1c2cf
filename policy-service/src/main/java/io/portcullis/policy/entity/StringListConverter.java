package io.portcullis.policy.entity;

import com.fasterxml.jackson.core.type.TypeReference;
import io.portcullis.contracts.events.EventJson;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/** Stores a list of strings as a JSON array in a text column. */
@Converter
public class StringListConverter implements AttributeConverter<List<String>, String> {
    private static final TypeReference<List<String>> TYPE = new TypeReference<>() {
    };

    @Override
    public String convertToDatabaseColumn(List<String> values) {
        try {
            return EventJson.mapper().writeValueAsString(values == null ? List.of() : values);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public List<String> convertToEntityAttribute(String json) {
        if (json == null || json.isBlank()) {
            return List.of();
        }
        try {
            return List.copyOf(EventJson.mapper().readValue(json, TYPE));
        } catch (IOException e) {
            throw new UncheckedIOException("stored value is not a JSON array of strings", e);
        }
    }
}

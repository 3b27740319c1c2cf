package io.portcullis.policy.entity;

import com.fasterxml.jackson.core.type.TypeReference;
import io.portcullis.contracts.events.EventJson;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/** Stores counts by name as a JSON object in a text column; read back sorted by name. */
@Converter
public class CountMapConverter implements AttributeConverter<Map<String, Integer>, String> {
    private static final TypeReference<TreeMap<String, Integer>> TYPE = new TypeReference<>() {
    };

    @Override
    public String convertToDatabaseColumn(Map<String, Integer> counts) {
        try {
            return EventJson.mapper().writeValueAsString(counts == null ? Map.of() : new TreeMap<>(counts));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Map<String, Integer> convertToEntityAttribute(String json) {
        if (json == null || json.isBlank()) {
            return Map.of();
        }
        try {
            return Collections.unmodifiableMap(EventJson.mapper().readValue(json, TYPE));
        } catch (IOException e) {
            throw new UncheckedIOException("stored value is not a JSON object of counts", e);
        }
    }
}

package io.portcullis.policy.entity;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.portcullis.contracts.events.EventJson;
import io.portcullis.contracts.policy.RuleAction;
import io.portcullis.contracts.policy.RuleCondition;
import io.portcullis.contracts.policy.RuleScope;
import java.io.UncheckedIOException;
import java.util.List;

/** JSON of the stored parts of a rule (and of audit and version rows). Nulls are left out. */
public final class RuleJson {
    private static final ObjectMapper MAPPER = EventJson.mapper().copy()
            .setSerializationInclusion(JsonInclude.Include.NON_NULL);
    private static final TypeReference<List<RuleCondition>> CONDITIONS = new TypeReference<>() {
    };
    private static final TypeReference<List<RuleAction>> ACTIONS = new TypeReference<>() {
    };

    private RuleJson() {
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static RuleScope scope(String json) {
        return read(json, MAPPER.getTypeFactory().constructType(RuleScope.class), "scope");
    }

    public static List<RuleCondition> conditions(String json) {
        return read(json, MAPPER.getTypeFactory().constructType(CONDITIONS), "conditions");
    }

    public static List<RuleAction> actions(String json) {
        return read(json, MAPPER.getTypeFactory().constructType(ACTIONS), "actions");
    }

    private static <T> T read(String json, com.fasterxml.jackson.databind.JavaType type, String what) {
        if (json == null) {
            throw new IllegalStateException("stored rule " + what + " is missing");
        }
        try {
            return MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored rule " + what + " is not valid JSON of its type", e);
        }
    }
}

package io.portcullis.spam.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MetaExpressionTest {

    private static double eval(String expr, Map<String, Boolean> hits) {
        MetaExpression m = MetaExpression.parse(expr);
        String[] names = hits.keySet().toArray(String[]::new);
        boolean[] h = new boolean[names.length];
        for (int i = 0; i < names.length; i++) {
            h[i] = hits.get(names[i]);
        }
        java.util.List<String> order = java.util.List.of(names);
        return m.bind(order::indexOf).eval(h, new int[MessageFacts.NAMES.size()]);
    }

    @Test
    void precedenceFollowsC() {
        Map<String, Boolean> h = new java.util.LinkedHashMap<>();
        h.put("A", true);
        h.put("B", false);
        h.put("C", true);
        assertEquals(1, eval("A || B && C", h));
        assertEquals(2, eval("A + B + C", h));
        assertEquals(1, eval("A + B * 5 + C >= 2", h));
        assertEquals(0, eval("!A || B", h));
        assertEquals(1, eval("!(A && B)", h));
        assertEquals(-1, eval("-A", h));
        assertEquals(0, eval("A / B", h));
        assertEquals(1, eval("1 < 2 == 1", h));
        assertEquals(0.5, eval("A / 2", h));
    }

    @Test
    void referencesAreCollected() {
        MetaExpression m = MetaExpression.parse("(A + __B) >= 1 && html_only");
        assertEquals(Set.of("A", "__B"), m.rules());
        assertEquals(Set.of("html_only"), m.facts());
    }

    @Test
    void syntaxErrors() {
        for (String bad : new String[] {"", "A &&", "(A", "A B", "A ? B", "1.2.3", "Mixed_case", ")"}) {
            assertThrows(IllegalArgumentException.class, () -> MetaExpression.parse(bad), bad);
        }
    }
}

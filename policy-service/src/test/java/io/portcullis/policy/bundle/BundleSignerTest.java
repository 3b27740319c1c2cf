package io.portcullis.policy.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.portcullis.policy.config.PolicyConfig;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BundleSignerTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static BundleSigner signer(String key) {
        PolicyConfig.Bundles bundles = (PolicyConfig.Bundles) Proxy.newProxyInstance(
                BundleSignerTest.class.getClassLoader(), new Class<?>[] {PolicyConfig.Bundles.class},
                (proxy, method, args) -> method.getName().equals("key") ? Optional.ofNullable(key) : null);
        PolicyConfig config = (PolicyConfig) Proxy.newProxyInstance(BundleSignerTest.class.getClassLoader(),
                new Class<?>[] {PolicyConfig.class},
                (proxy, method, args) -> method.getName().equals("bundles") ? bundles : null);
        return new BundleSigner(config);
    }

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    @Test
    void refusesAKeyShorterThan32CharactersAtStartUp() {
        assertThrows(IllegalStateException.class, () -> signer("short-key"));
        assertFalse(signer(null).configured());
        assertTrue(signer("k".repeat(32)).configured());
    }

    @Test
    void signatureCoversContentNotMemberOrderOrWhiteSpaceNorTheSignatureItself() throws Exception {
        BundleSigner s = signer("a-test-key-that-is-long-enough-0123");
        String sig = s.sign(json("{\"b\":1,\"a\":{\"y\":[1,2],\"x\":\"é\"}}"));
        assertTrue(s.verify(json("{ \"a\" : {\"x\":\"é\", \"y\":[1, 2]},\n \"b\":1 }"), sig));
        assertTrue(s.verify(json("{\"a\":{\"x\":\"é\",\"y\":[1,2]},\"b\":1,\"signature\":{\"value\":\"x\"}}"), sig));
        assertEquals("{\"a\":{\"x\":\"é\",\"y\":[1,2]},\"b\":1}",
                new String(BundleSigner.canonical(json("{\"b\":1,\"a\":{\"y\":[1,2],\"x\":\"é\"}}")),
                        StandardCharsets.UTF_8));
    }

    @Test
    void anyChangedValueOrderOfArrayOrOtherKeyBreaksIt() throws Exception {
        BundleSigner s = signer("a-test-key-that-is-long-enough-0123");
        String sig = s.sign(json("{\"rules\":[{\"id\":\"a\",\"priority\":1},{\"id\":\"b\"}]}"));
        assertFalse(s.verify(json("{\"rules\":[{\"id\":\"a\",\"priority\":2},{\"id\":\"b\"}]}"), sig));
        assertFalse(s.verify(json("{\"rules\":[{\"id\":\"b\"},{\"id\":\"a\",\"priority\":1}]}"), sig));
        assertFalse(s.verify(json("{\"rules\":[{\"id\":\"a\",\"priority\":1},{\"id\":\"b\"}],\"x\":null}"), sig));
        assertFalse(signer("another-key-that-is-long-enough-0123").verify(
                json("{\"rules\":[{\"id\":\"a\",\"priority\":1},{\"id\":\"b\"}]}"), sig));
        assertFalse(s.verify(json("{\"rules\":[]}"), "not base64 !"));
    }
}

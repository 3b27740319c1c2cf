package io.portcullis.quarantine.digest;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Tests: keeps digests instead of sending them; can be told to fail. */
@Alternative
@Priority(1)
@ApplicationScoped
public class CapturingDigestMailer implements DigestMailer {
    private final List<DigestMail> sent = new CopyOnWriteArrayList<>();
    private volatile boolean failing;

    /** Through methods: the test holds a client proxy, whose fields are not the bean's. */
    public List<DigestMail> sent() {
        return sent;
    }

    public void failing(boolean failing) {
        this.failing = failing;
    }

    @Override
    public void send(DigestMail mail) {
        if (failing) {
            throw new DigestSendException("451 try later", null);
        }
        sent.add(mail);
    }
}

package io.portcullis.policy.rest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.portcullis.policy.service.InvalidPolicyException;
import io.portcullis.policy.spam.FeedbackIntake;
import io.portcullis.policy.spam.Judgement;
import io.portcullis.policy.spam.SpamLearner;
import io.portcullis.policy.spam.SpamLearningStore;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import jakarta.ws.rs.core.UriInfo;
import java.io.InputStream;
import java.util.List;
import java.util.Map;

/**
 * Spam learning: reports in, learned counts out.
 *
 * <ul>
 * <li>{@code POST /api/v1/spam/feedback?label=spam|ham[&tenant=][&messageId=][&source=user_report|admin][&actor=]}
 * with the raw message (message/rfc822 or application/octet-stream): 202
 * {@code {"feedbackId","messageId","tenant","label","bucket","key","size","sha256"}}; 400 (bad parameter, empty or
 * not a message), 413 (above {@code max-message-bytes}), 503 (S3 or Kafka unavailable).</li>
 * <li>{@code GET /api/v1/spam/learned?tenant=T}: the model tenant's learned counts whole, one consistent copy:
 * {@code {"tenant","sequence","spamMessages","hamMessages","tokens":[[hash,spam,ham],...]}} (hash ascending; sequence 0
 * and no tokens when nothing was learned). {@code tenant=*} is the shared model.</li>
 * <li>{@code GET /api/v1/spam/learned}: the model tenants that learned something:
 * {@code {"shared":bool,"models":[{"tenant","sequence","spamMessages","hamMessages"}]}}.</li>
 * </ul>
 */
@Path("/api/v1/spam")
@Produces(MediaType.APPLICATION_JSON)
public class SpamResource {
    private static final JsonFactory JSON = new JsonFactory();

    private final FeedbackIntake intake;
    private final SpamLearningStore store;
    private final SpamLearner learner;

    public SpamResource(FeedbackIntake intake, SpamLearningStore store, SpamLearner learner) {
        this.intake = intake;
        this.store = store;
        this.learner = learner;
    }

    @POST
    @Path("feedback")
    @Consumes({"message/rfc822", MediaType.APPLICATION_OCTET_STREAM})
    @Blocking
    public Response feedback(@Context UriInfo uri, InputStream body) {
        var q = uri.getQueryParameters();
        FeedbackIntake.Accepted accepted = intake.accept(FeedbackIntake.label(single(q.get("label"), "label")),
                intake.tenant(single(q.get("tenant"), "tenant")), single(q.get("messageId"), "messageId"),
                FeedbackIntake.source(single(q.get("source"), "source")), single(q.get("actor"), "actor"), body);
        return Response.accepted(accepted).build();
    }

    @GET
    @Path("learned")
    @Blocking
    public Response learned(@Context UriInfo uri) {
        String tenant = single(uri.getQueryParameters().get("tenant"), "tenant");
        if (tenant == null) {
            List<SpamLearningStore.Summary> models = store.summaries();
            return Response.ok(Map.of("shared", learner.modelTenant("x").equals(SpamLearner.SHARED),
                    "models", models)).build();
        }
        if (!tenant.equals(SpamLearner.SHARED) && !Judgement.TENANT.matcher(tenant).matches()) {
            throw new InvalidPolicyException("tenant", "tenant must be * or 1-64 of A-Z a-z 0-9 . _ -");
        }
        SpamLearningStore.Snapshot s = store.snapshot(tenant);
        StreamingOutput out = os -> {
            try (JsonGenerator g = JSON.createGenerator(os)) {
                g.writeStartObject();
                g.writeStringField("tenant", s.tenant());
                g.writeNumberField("sequence", s.sequence());
                g.writeNumberField("spamMessages", s.spamMessages());
                g.writeNumberField("hamMessages", s.hamMessages());
                g.writeArrayFieldStart("tokens");
                for (int i = 0; i < s.hashes().length; i++) {
                    g.writeStartArray();
                    g.writeNumber(s.hashes()[i]);
                    g.writeNumber(s.spam()[i]);
                    g.writeNumber(s.ham()[i]);
                    g.writeEndArray();
                }
                g.writeEndArray();
                g.writeEndObject();
            }
        };
        return Response.ok(out, MediaType.APPLICATION_JSON_TYPE).build();
    }

    /** A query parameter given at most once (null when absent; an empty value stays empty and fails validation). */
    private static String single(List<String> values, String name) {
        if (values == null || values.isEmpty()) {
            return null;
        }
        if (values.size() > 1) {
            throw new InvalidPolicyException(name, name + " given more than once");
        }
        return values.get(0) == null ? "" : values.get(0);
    }
}

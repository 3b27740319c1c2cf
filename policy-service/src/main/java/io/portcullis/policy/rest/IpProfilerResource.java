package io.portcullis.policy.rest;

import io.portcullis.contracts.events.IpBlock;
import io.portcullis.contracts.events.IpProfilerCommand;
import io.portcullis.policy.api.AllowEntryView;
import io.portcullis.policy.api.AllowRequest;
import io.portcullis.policy.api.ErrorBody;
import io.portcullis.policy.config.PolicyConfig;
import io.portcullis.policy.ipprofiler.IpProfilerCommands;
import io.portcullis.policy.ipprofiler.IpProfilerView;
import io.portcullis.policy.service.InvalidPolicyException;
import io.portcullis.policy.service.UnavailableException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The IP Profiler's block list and allow list. Reads come from this instance's copy of the compacted topics (503
 * until it has read them once); writes publish an {@link IpProfilerCommand} and answer 202 once Kafka has it (the
 * profiler applies it within its check interval). {@code X-Portcullis-Actor} (set by admin-api) names who asked.
 */
@Path("/api/v1/ip-profiler")
@Produces(MediaType.APPLICATION_JSON)
public class IpProfilerResource {
    static final String ACTOR_HEADER = "X-Portcullis-Actor";

    private final IpProfilerCommands commands;
    private final IpProfilerView view;
    private final boolean following;

    public IpProfilerResource(IpProfilerCommands commands, IpProfilerView view, PolicyConfig config) {
        this.commands = commands;
        this.view = view;
        this.following = config.ipProfiler().followTopics();
    }

    /** {@code {"blocks":[IpBlock...]}}: the blocks in force now, by IP. */
    @GET
    @Path("blocks")
    public Map<String, List<IpBlock>> blocks() {
        requireView();
        return Map.of("blocks", view.activeBlocks());
    }

    /** {@code {"entries":[{"ip","note","actor","at"}...]}}. */
    @GET
    @Path("allow")
    public Map<String, List<AllowEntryView>> allowList() {
        requireView();
        return Map.of("entries", view.allowList().stream().map(AllowEntryView::of).toList());
    }

    @POST
    @Path("allow")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response allow(AllowRequest request, @HeaderParam(ACTOR_HEADER) String actor) {
        if (request == null) {
            throw new InvalidPolicyException("body", "a JSON object {\"ip\": ..., \"note\": ...} is required");
        }
        return accepted(commands.allow(request.ip(), request.note(), actor));
    }

    @DELETE
    @Path("allow/{ip}")
    public Response disallow(@PathParam("ip") String ip, @HeaderParam(ACTOR_HEADER) String actor) {
        return accepted(commands.disallow(ip, actor));
    }

    /** A CIDR block in the path: {@code /allow/198.51.100.0/24}. */
    @DELETE
    @Path("allow/{ip}/{prefix}")
    public Response disallowBlock(@PathParam("ip") String ip, @PathParam("prefix") String prefix,
            @HeaderParam(ACTOR_HEADER) String actor) {
        return accepted(commands.disallow(ip + "/" + prefix, actor));
    }

    @POST
    @Path("blocks/{ip}/unblock")
    public Response unblock(@PathParam("ip") String ip, @HeaderParam(ACTOR_HEADER) String actor) {
        return accepted(commands.unblock(ip, actor));
    }

    @ServerExceptionMapper
    public Response allowListed(IpProfilerCommands.AllowListedException e) {
        return Response.status(Response.Status.CONFLICT).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ErrorBody(e.getMessage(), "ip")).build();
    }

    private void requireView() {
        if (following && !view.caughtUp()) {
            throw new UnavailableException("the IP Profiler topics have not been read yet");
        }
    }

    private static Response accepted(IpProfilerCommand command) {
        return Response.status(Response.Status.ACCEPTED).entity(command).build();
    }
}

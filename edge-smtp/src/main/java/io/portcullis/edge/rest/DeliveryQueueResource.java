package io.portcullis.edge.rest;

import io.portcullis.edge.delivery.DestinationQueues;
import io.portcullis.edge.delivery.DestinationQueues.DestinationStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/**
 * {@code GET /api/v1/delivery/queue}: what this edge node holds per destination (recipients pending: being
 * attempted, waiting for a quick retry or held from the durable retry queue), the last error, the next attempt
 * and whether the destination is marked down. Other nodes hold their own share of the retry queue.
 */
@Path("/api/v1/delivery/queue")
@ApplicationScoped
public class DeliveryQueueResource {

    /** The answer: this node's destinations, busiest first. */
    public record QueueView(List<DestinationStatus> destinations) {
    }

    private final DestinationQueues queues;

    public DeliveryQueueResource(DestinationQueues queues) {
        this.queues = queues;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public QueueView queue() {
        return new QueueView(queues.snapshot());
    }
}

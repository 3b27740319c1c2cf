package io.portcullis.policy.ipprofiler;

import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.jboss.logging.Logger;

/**
 * A record the IP Profiler cannot parse is logged (topic, partition, offset: never its bytes), counted as
 * {@code skipped{reason=malformed-record}} and skipped, so one poison record never stops the application. It
 * stays on its topic for operators; counting is best-effort for such records by nature.
 */
public class SkipBadRecordHandler implements DeserializationExceptionHandler {
    /** Streams config key carrying the {@link ProfilerMetrics} instance to this handler. */
    public static final String METRICS_CONFIG = "portcullis.ip-profiler.metrics";
    private static final Logger LOG = Logger.getLogger(SkipBadRecordHandler.class);

    private ProfilerMetrics metrics;

    @Override
    public void configure(Map<String, ?> configs) {
        if (configs.get(METRICS_CONFIG) instanceof ProfilerMetrics m) {
            metrics = m;
        }
    }

    @Override
    public DeserializationHandlerResponse handle(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record,
            Exception exception) {
        LOG.warnf("IP Profiler skips a malformed record: topic %s partition %d offset %d: %s", context.topic(),
                context.partition(), context.offset(), exception.getMessage());
        if (metrics != null) {
            metrics.skipped(ProfilerMetrics.MALFORMED);
        }
        return DeserializationHandlerResponse.CONTINUE;
    }
}

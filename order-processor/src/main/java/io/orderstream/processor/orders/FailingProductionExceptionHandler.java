package io.orderstream.processor.orders;

import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A record the topology could not write is never skipped: skipping an event while its order state
 * and result commit would break the log's promise. The task fails instead, its transaction aborts
 * (nothing of the command is applied) and the client stops, which health reports as DOWN.
 *
 * <p>It cannot happen for size in practice: commands are bounded by validation, and a response the
 * idempotency store would refuse (256 KB by default, well under the producer's 1 MB) parks its
 * command before anything is written.
 */
public class FailingProductionExceptionHandler implements ProductionExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(FailingProductionExceptionHandler.class);

    @Override
    public ProductionExceptionHandlerResponse handle(ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record,
            Exception exception) {
        log.error("could not write to {} ({} bytes) while processing {}-{}@{}: {}; failing the task so that "
                        + "nothing of this command is applied", record.topic(),
                record.value() == null ? 0 : record.value().length, context.topic(), context.partition(),
                context.offset(), exception.toString());
        return ProductionExceptionHandlerResponse.FAIL;
    }

    @Override
    public void configure(Map<String, ?> configs) {
        // nothing to configure
    }
}

package io.orderstream.api.tracing;

import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingReceiverTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingSenderTracingObservationHandler;
import io.micrometer.tracing.propagation.Propagator;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

/**
 * The API's tracing: {@link TraceSampling} decides which requests are recorded, and Boot's tracing
 * handlers are replaced by ones that take part in those only ({@link RecordedOnly}, in Boot's
 * order). Boot's own beans step back (each is {@code @ConditionalOnMissingBean}).
 */
@Configuration(proxyBeanMethods = false)
class TracingConfiguration {

    /**
     * OpenTelemetry's sampler records every span it is asked for: a request reaches it only once
     * {@link TraceSampling} decided to record it (with the sampling probability), and a second draw
     * would sample the square of it.
     */
    @Bean
    Sampler otelSampler() {
        return Sampler.parentBased(Sampler.alwaysOn());
    }

    @Bean
    @Order(MicrometerTracingAutoConfiguration.RECEIVER_TRACING_OBSERVATION_HANDLER_ORDER)
    PropagatingReceiverTracingObservationHandler<?> propagatingReceiverTracingObservationHandler(Tracer tracer,
            ObjectProvider<Propagator> propagator, TraceSampling sampling) {
        return new RecordedOnly.Receiver(tracer, propagator.getIfAvailable(() -> Propagator.NOOP), sampling);
    }

    @Bean
    @Order(MicrometerTracingAutoConfiguration.SENDER_TRACING_OBSERVATION_HANDLER_ORDER)
    PropagatingSenderTracingObservationHandler<?> propagatingSenderTracingObservationHandler(Tracer tracer,
            ObjectProvider<Propagator> propagator, TraceSampling sampling) {
        return new RecordedOnly.Sender(tracer, propagator.getIfAvailable(() -> Propagator.NOOP), sampling);
    }

    @Bean
    @Order(MicrometerTracingAutoConfiguration.DEFAULT_TRACING_OBSERVATION_HANDLER_ORDER)
    DefaultTracingObservationHandler defaultTracingObservationHandler(Tracer tracer, TraceSampling sampling) {
        return new RecordedOnly.Local(tracer, sampling);
    }

    @Bean
    UnrecordedTraceLogging unrecordedTraceLogging(TraceSampling sampling) {
        return new UnrecordedTraceLogging(sampling);
    }
}

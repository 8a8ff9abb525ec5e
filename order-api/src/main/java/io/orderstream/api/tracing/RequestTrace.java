package io.orderstream.api.tracing;

import io.orderstream.events.Traceparent;

/**
 * One request's place in its trace, decided once as it arrives ({@link TraceSampling}).
 *
 * @param hop      this hop's {@code traceparent}: the caller's trace with a span id of our own, or a
 *                 trace started here; its sampled flag is what the next hops are asked to do
 * @param recorded whether spans are made for it: only when it is sampled and an exporter takes them
 */
public record RequestTrace(Traceparent hop, boolean recorded) {
}

package io.orderstream.api.orders;

/**
 * Body of a 202: the command is in the log, its result was not ready within the wait bound.
 *
 * @param state always {@code accepted}
 */
record CommandAccepted(String orderId, String requestId, String state, String detail) {
}

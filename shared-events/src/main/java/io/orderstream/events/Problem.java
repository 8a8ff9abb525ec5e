package io.orderstream.events;

/** An RFC 9457 problem as carried in a command result. */
public record Problem(String type, String title, int status, String detail) {
}

package io.orderstream.ops.projection;

import picocli.CommandLine.Command;

@Command(name = "projection", description = "The PostgreSQL projection of orders.events.v1 (tables orders, order_events).",
        subcommands = {RebuildCommand.class, VerifyCommand.class, RetryCommand.class})
public final class ProjectionCommand {
}

package io.orderstream.ops.commands;

import picocli.CommandLine.Command;

@Command(name = "commands", description = "The command log, orders.commands.v1.", subcommands = ReplayCommand.class)
public final class CommandsCommand {
}

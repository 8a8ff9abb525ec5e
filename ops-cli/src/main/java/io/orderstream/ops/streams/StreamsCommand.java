package io.orderstream.ops.streams;

import picocli.CommandLine.Command;

@Command(name = "streams", description = "The processor's Kafka Streams application.",
        subcommands = StreamsResetCommand.class)
public final class StreamsCommand {
}

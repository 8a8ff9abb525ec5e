package io.orderstream.ops.projection;

import io.orderstream.events.ProcessorDefaults;
import picocli.CommandLine.Option;

/** Whose stored positions count: the live projector's consumer group. */
final class ProjectorGroupOption {

    @Option(names = "--projector-group", paramLabel = "GROUP",
            defaultValue = "${env:ORDERS_PROJECTOR_GROUP:-" + ProcessorDefaults.PROJECTOR_GROUP + "}",
            description = "The live projector's consumer group, whose positions are stored in projector_offsets "
                    + "(env ORDERS_PROJECTOR_GROUP; default: ${DEFAULT-VALUE}).")
    String group;
}

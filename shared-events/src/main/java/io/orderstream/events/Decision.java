package io.orderstream.events;

import java.util.List;

/** What {@link OrderDecider#decide} concludes for a command. */
public sealed interface Decision {

    /** The command changes the order: these events, in order. */
    record Accepted(List<OrderEvent> events) implements Decision {
        public Accepted {
            if (events.isEmpty()) {
                throw new IllegalArgumentException("an accepted command yields at least one event");
            }
            events = List.copyOf(events);
        }
    }

    /** The command asks for what already is: the order stays as it is, no event. */
    record Unchanged() implements Decision {
    }

    /** The command is refused. */
    record Rejected(ProblemType type, String detail) implements Decision {
    }
}

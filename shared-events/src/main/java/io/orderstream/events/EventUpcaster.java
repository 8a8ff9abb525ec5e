package io.orderstream.events;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns the JSON of an older event envelope into the newest version, step by step (1 → 2 → …),
 * before it is bound to {@link EventEnvelope}. Upcasting never invents facts: what the old
 * version did not record becomes {@code null}.
 *
 * <ul>
 *   <li>1 → 2: {@code OrderStatusChanged} gains {@code actor}; version 1 did not record who asked,
 *       so it is {@code null} ("unknown"), never a made-up name.</li>
 * </ul>
 */
public final class EventUpcaster {

    private EventUpcaster() {
    }

    /**
     * @return the envelope in the newest version; a version this build does not know (newer, or not
     *         a number) is returned unchanged, for {@link EventEnvelope} to refuse
     */
    public static JsonNode upcast(JsonNode envelope) {
        if (!(envelope instanceof ObjectNode object) || !object.path("schemaVersion").isIntegralNumber()) {
            return envelope;
        }
        ObjectNode upcast = object.deepCopy();
        int version = upcast.get("schemaVersion").asInt();
        if (version == 1) {
            v1ToV2(upcast);
        }
        // a version 3 adds its step here: if (version <= 2) v2ToV3(upcast);
        return upcast;
    }

    private static void v1ToV2(ObjectNode envelope) {
        JsonNode event = envelope.path("event");
        if (event instanceof ObjectNode changed && "OrderStatusChanged".equals(changed.path("type").asString(null))
                && !changed.has("actor")) {
            changed.putNull("actor");
        }
        envelope.put("schemaVersion", 2);
    }
}

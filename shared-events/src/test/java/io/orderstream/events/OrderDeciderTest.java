package io.orderstream.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class OrderDeciderTest {

    private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");
    private static final OrderCommand.PlaceOrder PLACE = new OrderCommand.PlaceOrder("cust-1", "EUR",
            List.of(new OrderLine("SKU-1", 2, 1250), new OrderLine("SKU-2", 1, 500)));

    /** The whole transition table of DESIGN.md, written out independently of {@link OrderStatus#next}. */
    private static final Map<OrderStatus, Set<OrderStatus>> ALLOWED = Map.of(
            OrderStatus.PENDING, EnumSet.of(OrderStatus.PROCESSING, OrderStatus.CANCELED),
            OrderStatus.PROCESSING, EnumSet.of(OrderStatus.SHIPPED, OrderStatus.CANCELED),
            OrderStatus.SHIPPED, EnumSet.of(OrderStatus.DELIVERED),
            OrderStatus.DELIVERED, EnumSet.of(OrderStatus.REFUNDED),
            OrderStatus.REFUNDED, EnumSet.noneOf(OrderStatus.class),
            OrderStatus.CANCELED, EnumSet.noneOf(OrderStatus.class));

    static Stream<Arguments> everyPairOfStatuses() {
        List<Arguments> pairs = new ArrayList<>();
        for (OrderStatus from : OrderStatus.values()) {
            for (OrderStatus to : OrderStatus.values()) {
                pairs.add(Arguments.of(from, to));
            }
        }
        return pairs.stream();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("everyPairOfStatuses")
    void statusChange_followsTheTransitionTable(OrderStatus from, OrderStatus to) {
        OrderState state = orderIn(from);

        Decision decision = OrderDecider.decide(new OrderCommand.ChangeStatus(to, "because"), state);

        if (from == to) {
            assertThat(decision).isEqualTo(new Decision.Unchanged());
        } else if (ALLOWED.get(from).contains(to)) {
            assertThat(decision).isEqualTo(new Decision.Accepted(
                    List.of(new OrderEvent.OrderStatusChanged(from, to, "because"))));
            OrderState after = OrderDecider.evolve(state, recorded(state.version() + 1,
                    ((Decision.Accepted) decision).events().get(0)));
            assertThat(after.status()).isEqualTo(to);
            assertThat(after.version()).isEqualTo(state.version() + 1);
        } else {
            assertThat(decision).isInstanceOf(Decision.Rejected.class);
            assertThat(((Decision.Rejected) decision).type()).isEqualTo(ProblemType.INVALID_TRANSITION);
            assertThat(((Decision.Rejected) decision).detail()).contains(from.name()).contains(to.name());
        }
    }

    @Test
    void placeOrder_onNewOrder_yieldsOrderPlacedWithTotal() {
        Decision decision = OrderDecider.decide(PLACE, null);

        assertThat(decision).isEqualTo(new Decision.Accepted(List.of(
                new OrderEvent.OrderPlaced("cust-1", "EUR", PLACE.lines(), 3000))));
    }

    @Test
    void placeOrder_onExistingOrder_isRejectedAsConflict() {
        Decision decision = OrderDecider.decide(PLACE, orderIn(OrderStatus.PENDING));

        assertThat(decision).isInstanceOf(Decision.Rejected.class);
        assertThat(((Decision.Rejected) decision).type()).isEqualTo(ProblemType.ORDER_ALREADY_EXISTS);
    }

    @Test
    void statusChange_onMissingOrder_isRejectedAsNotFound() {
        Decision decision = OrderDecider.decide(new OrderCommand.ChangeStatus(OrderStatus.PROCESSING, null), null);

        assertThat(decision).isEqualTo(new Decision.Rejected(ProblemType.ORDER_NOT_FOUND, "No such order."));
    }

    @Test
    void invalidCommands_areRejectedNamingTheField() {
        assertThat(reject(new OrderCommand.PlaceOrder(" ", "EUR", PLACE.lines()))).startsWith("customerId:");
        assertThat(reject(new OrderCommand.PlaceOrder("c", "EURO", PLACE.lines()))).startsWith("currency:");
        assertThat(reject(new OrderCommand.PlaceOrder("c", "XYZ", PLACE.lines()))).startsWith("currency:");
        assertThat(reject(new OrderCommand.PlaceOrder("c", "EUR", List.of()))).startsWith("lines:");
        assertThat(reject(new OrderCommand.PlaceOrder("c", "EUR", List.of(new OrderLine("s", 0, 1)))))
                .startsWith("lines[0].quantity:");
        assertThat(reject(new OrderCommand.PlaceOrder("c", "EUR", List.of(new OrderLine("s", 1, -1)))))
                .startsWith("lines[0].unitPriceMinor:");
        assertThat(reject(new OrderCommand.PlaceOrder("c", "EUR",
                List.of(new OrderLine("a", 1, Long.MAX_VALUE), new OrderLine("b", 1, 1)))))
                .startsWith("lines[1].unitPriceMinor:").contains("overflows");
        assertThat(reject(new OrderCommand.ChangeStatus(null, null))).startsWith("status:");
    }

    @Test
    void fold_ofAHistory_givesTheFinalState() {
        List<EventEnvelope> history = List.of(
                recorded(1, new OrderEvent.OrderPlaced("cust-1", "EUR", PLACE.lines(), 3000)),
                recorded(2, new OrderEvent.OrderStatusChanged(OrderStatus.PENDING, OrderStatus.PROCESSING, null)),
                recorded(3, new OrderEvent.OrderStatusChanged(OrderStatus.PROCESSING, OrderStatus.SHIPPED, "dhl")));

        OrderState state = OrderDecider.fold(history);

        assertThat(state.status()).isEqualTo(OrderStatus.SHIPPED);
        assertThat(state.version()).isEqualTo(3);
        assertThat(state.totalMinor()).isEqualTo(3000);
        assertThat(state.createdAt()).isEqualTo(T0.plusSeconds(1));
        assertThat(state.updatedAt()).isEqualTo(T0.plusSeconds(3));
    }

    @Test
    void evolve_refusesAGapOrADuplicateInTheSequence() {
        OrderState placed = OrderDecider.evolve(null,
                recorded(1, new OrderEvent.OrderPlaced("c", "EUR", PLACE.lines(), 3000)));
        OrderEvent change = new OrderEvent.OrderStatusChanged(OrderStatus.PENDING, OrderStatus.PROCESSING, null);

        assertThatThrownBy(() -> OrderDecider.evolve(placed, recorded(3, change)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("expected sequence 2");
        assertThatThrownBy(() -> OrderDecider.evolve(placed, recorded(1, change)))
                .isInstanceOf(IllegalStateException.class);
    }

    private static String reject(OrderCommand command) {
        Decision decision = OrderDecider.decide(command, null);
        assertThat(decision).isInstanceOf(Decision.Rejected.class);
        assertThat(((Decision.Rejected) decision).type()).isEqualTo(ProblemType.VALIDATION);
        return ((Decision.Rejected) decision).detail();
    }

    private static OrderState orderIn(OrderStatus status) {
        return new OrderState("o-1", status, 4, "cust-1", "EUR", 3000, PLACE.lines(), T0, T0);
    }

    private static EventEnvelope recorded(long sequence, OrderEvent event) {
        return new EventEnvelope(SchemaVersions.EVENT, "e-" + sequence, "acme", "o-1", sequence,
                T0.plusSeconds(sequence), "c-" + sequence, "r-" + sequence, "k-" + sequence, event);
    }
}

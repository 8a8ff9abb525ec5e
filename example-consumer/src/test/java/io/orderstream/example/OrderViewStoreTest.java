package io.orderstream.example;

import static org.assertj.core.api.Assertions.assertThat;

import io.orderstream.events.OrderStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OrderViewStoreTest {

    @TempDir
    Path dir;

    @Test
    void savedViews_areReadBack_andUnsavedChangesAreNot() {
        Path file = dir.resolve("store/views.json");
        OrderViewStore store = OrderViewStore.open(file);
        OrderView shipped = new OrderView(OrderStatus.SHIPPED, 3, "ops@acme", Instant.parse("2026-11-26T10:00:00Z"));
        store.put("acme/o-1", shipped);
        store.save();
        store.put("acme/o-2", new OrderView(OrderStatus.PENDING, 1, null, Instant.parse("2026-11-26T10:00:01Z")));

        OrderViewStore reopened = OrderViewStore.open(file);

        assertThat(reopened.get("acme/o-1")).hasValue(shipped);
        assertThat(reopened.get("acme/o-2")).isEmpty();
        assertThat(OrderViewStore.open(dir.resolve("absent.json")).get("acme/o-1")).isEmpty();
    }

    @Test
    void saving_leavesNoTemporaryFilesBehind() throws Exception {
        Path file = dir.resolve("views.json");
        OrderViewStore store = OrderViewStore.open(file);
        store.put("acme/o-1", new OrderView(OrderStatus.PENDING, 1, null, Instant.parse("2026-11-26T10:00:00Z")));

        store.save();
        store.save();

        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
    }
}

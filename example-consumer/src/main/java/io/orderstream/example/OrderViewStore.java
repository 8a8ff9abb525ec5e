package io.orderstream.example;

import io.orderstream.events.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import tools.jackson.core.type.TypeReference;

/**
 * The consumer's own small store: one {@link OrderView} per {@code tenant/orderId}, in one JSON
 * file replaced atomically on {@link #save()}. The view and the last applied sequence are saved
 * together, so what was applied and what is known to be applied never disagree.
 */
public final class OrderViewStore {

    private static final TypeReference<TreeMap<String, OrderView>> VIEWS = new TypeReference<>() {
    };

    private final Path file;
    private final Map<String, OrderView> views;

    private OrderViewStore(Path file, Map<String, OrderView> views) {
        this.file = file;
        this.views = views;
    }

    /** Opens the store in {@code file}, empty when the file does not exist yet. */
    public static OrderViewStore open(Path file) {
        try {
            Map<String, OrderView> views = Files.exists(file) ? Json.MAPPER.readValue(file.toFile(), VIEWS)
                    : new TreeMap<>();
            return new OrderViewStore(file, views);
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    public Optional<OrderView> get(String orderKey) {
        return Optional.ofNullable(views.get(orderKey));
    }

    void put(String orderKey, OrderView view) {
        views.put(orderKey, view);
    }

    /** Writes every view to a temporary file and moves it over the store: all or nothing. */
    public void save() {
        try {
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path temporary = Files.createTempFile(parent, file.getFileName().toString(), ".tmp");
            Files.write(temporary, Json.write(views));
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package io.orderstream.ops.projection;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * Turns a batch of records into values on several threads and hands them back in the batch's
 * order, so that reading JSON, the costly part of a rebuild, uses every core while the fold that
 * follows stays sequential.
 */
final class ParallelReader implements AutoCloseable {

    private final int ways;
    private final ExecutorService helpers;

    ParallelReader() {
        this.ways = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
        this.helpers = Executors.newFixedThreadPool(Math.max(1, ways - 1), runnable -> {
            Thread thread = new Thread(runnable, "rebuild-reader");
            thread.setDaemon(true);
            return thread;
        });
    }

    <T, R> List<R> map(List<T> batch, Function<T, R> function) throws InterruptedException {
        int slice = (batch.size() + ways - 1) / ways;
        if (ways == 1 || batch.size() < 2 * ways) {
            return batch.stream().map(function).toList();
        }
        List<Future<List<R>>> others = new ArrayList<>();
        for (int from = slice; from < batch.size(); from += slice) {
            List<T> part = batch.subList(from, Math.min(batch.size(), from + slice));
            others.add(helpers.submit(() -> part.stream().map(function).toList()));
        }
        List<R> results = new ArrayList<>(batch.size());
        results.addAll(batch.subList(0, slice).stream().map(function).toList());
        for (Future<List<R>> other : others) {
            try {
                results.addAll(other.get());
            } catch (ExecutionException e) {
                throw e.getCause() instanceof RuntimeException runtime ? runtime
                        : new IllegalStateException(e.getCause());
            }
        }
        return results;
    }

    @Override
    public void close() {
        helpers.shutdownNow();
    }
}

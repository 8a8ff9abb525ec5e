package io.orderstream.ops.projection;

import io.orderstream.projection.ProjectionRows;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Rows into a table through {@code COPY … FROM STDIN}, the fastest way into PostgreSQL: rows are
 * encoded on the caller's thread and written in 1 MiB chunks by a second thread, so that reading
 * the log and writing to the database overlap.
 */
final class CopyStream implements AutoCloseable {

    private static final int CHUNK = 1 << 20;
    private static final byte[] END = new byte[0];

    private final CopyIn copy;
    private final BlockingQueue<byte[]> chunks = new ArrayBlockingQueue<>(8);
    private final Thread writer;
    private final StringBuilder buffer = new StringBuilder(CHUNK + 8192);
    private volatile Throwable failure;
    private long rows;

    CopyStream(Connection connection, String table, String columns) throws SQLException {
        this.copy = connection.unwrap(PGConnection.class).getCopyAPI()
                .copyIn("COPY " + table + " (" + columns + ") FROM STDIN");
        this.writer = new Thread(this::drain, "copy-" + table);
        writer.setDaemon(true);
        writer.start();
    }

    void add(Object[] row) {
        ProjectionRows.appendCopy(buffer, row);
        rowAdded();
    }

    /** Adds a row already in COPY's text format ({@link ProjectionRows#appendCopy}). */
    void add(CharSequence encodedRow) {
        buffer.append(encodedRow);
        rowAdded();
    }

    private void rowAdded() {
        rows++;
        if (buffer.length() >= CHUNK) {
            flush();
        }
    }

    /** Sends what is left and ends the COPY; returns the rows written. */
    long finish() throws SQLException, InterruptedException {
        flush();
        put(END);
        writer.join();
        rethrow();
        copy.endCopy();
        return rows;
    }

    private void flush() {
        if (buffer.length() > 0) {
            put(buffer.toString().getBytes(StandardCharsets.UTF_8));
            buffer.setLength(0);
        }
    }

    private void put(byte[] chunk) {
        try {
            while (!chunks.offer(chunk, 100, TimeUnit.MILLISECONDS)) {
                rethrow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new org.apache.kafka.common.errors.InterruptException(e);
        } catch (SQLException e) {
            throw new IllegalStateException("COPY failed: " + e.getMessage(), e);
        }
    }

    private void drain() {
        try {
            for (byte[] chunk = chunks.take(); chunk != END; chunk = chunks.take()) {
                copy.writeToCopy(chunk, 0, chunk.length);
            }
        } catch (InterruptedException | SQLException | RuntimeException e) {
            failure = e;
        }
    }

    private void rethrow() throws SQLException {
        Throwable failed = failure;
        if (failed instanceof SQLException sql) {
            throw sql;
        }
        if (failed != null) {
            throw new IllegalStateException("COPY failed: " + failed.getMessage(), failed);
        }
    }

    /**
     * Abandons an unfinished COPY (the transaction is rolled back by the caller). Runs to the end even
     * when the thread is interrupted (Ctrl-C): the connection must be free again for the clean-up.
     */
    @Override
    public void close() {
        boolean interrupted = Thread.interrupted();
        writer.interrupt();
        try {
            while (writer.isAlive()) {
                try {
                    writer.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (copy.isActive()) {
                copy.cancelCopy();
            }
        } catch (SQLException ignored) {
            // the connection is rolled back or closed next; nothing was committed
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}

package io.statetrail.service.ingest;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How many steps of one batch the ingest runs at once (issue 18). A warm instance spends nearly all of a batch waiting
 * for DynamoDB, one request at a time; steps that write distinct items can wait together. One lane runs every step on
 * the caller's thread, in order: exactly the sequential ingest. More lanes use a fixed pool of daemon threads, shared by
 * every {@link Ingestor} of an instance (one per policy version), so the bound holds for the instance.
 */
public final class Parallel implements AutoCloseable {

    /** Upper bound: beyond this a Lambda instance only queues on its own connections and CPU. */
    public static final int MAX_LANES = 64;
    private static final AtomicInteger POOLS = new AtomicInteger();

    private final int lanes;
    private final ExecutorService pool;
    /** Set: each round's steps run one at a time in a random order (tests of "the order of steps does not matter"). */
    private final Random shuffle;

    private Parallel(int lanes, Random shuffle) {
        this.shuffle = shuffle;
        if (lanes < 1 || lanes > MAX_LANES) {
            throw new IllegalArgumentException("ingest concurrency must be between 1 and " + MAX_LANES + ": " + lanes);
        }
        this.lanes = lanes;
        if (lanes == 1) {
            this.pool = null;
        } else {
            int id = POOLS.incrementAndGet();
            AtomicInteger thread = new AtomicInteger();
            this.pool = Executors.newFixedThreadPool(lanes, r -> {
                Thread t = new Thread(r, "ingest-" + id + "-" + thread.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
        }
    }

    /** Every step on the caller's thread, in order. */
    public static Parallel sequential() {
        return new Parallel(1, null);
    }

    /** At most {@code lanes} steps at once (1: {@link #sequential()}). */
    public static Parallel of(int lanes) {
        return new Parallel(lanes, null);
    }

    /**
     * One lane that runs each round's steps in a random order, groups of messages included: what any interleaving of
     * whole steps gives, reproducibly (for tests; real lanes interleave within steps too).
     */
    public static Parallel shuffled(long seed) {
        return new Parallel(1, new Random(seed));
    }

    public int lanes() {
        return lanes;
    }

    /** Steps run one after the other in the order given: the ingest as it was before lanes. */
    boolean inOrder() {
        return pool == null && shuffle == null;
    }

    /**
     * Runs these steps and returns once all are done. The steps must not share an item they write (see
     * {@link Ingestor}'s class comment); a step that throws is reported after all have finished.
     */
    void all(List<Runnable> steps) {
        if (shuffle != null) {
            List<Runnable> order = new ArrayList<>(steps);
            synchronized (shuffle) {
                Collections.shuffle(order, shuffle);
            }
            order.forEach(Runnable::run);
            return;
        }
        if (pool == null || steps.size() < 2) {
            steps.forEach(Runnable::run);
            return;
        }
        List<Future<?>> running = new ArrayList<>();
        for (Runnable step : steps) {
            running.add(pool.submit(step));
        }
        Throwable first = null;
        for (Future<?> f : running) {
            try {
                f.get();
            } catch (ExecutionException e) {
                if (first == null) {
                    first = e.getCause();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running.forEach(r -> r.cancel(true));
                throw new IllegalStateException("interrupted while judging a batch", e);
            }
        }
        // As thrown on the caller's thread: an Error (the function dying) stays one.
        if (first instanceof RuntimeException r) {
            throw r;
        }
        if (first instanceof Error e) {
            throw e;
        }
        if (first != null) {
            throw new IllegalStateException(first);
        }
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}

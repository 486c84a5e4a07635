package io.statetrail.service.backfill;

import java.time.Clock;

/**
 * Keeps one worker's sends under its share of the backfill's rate (records per second), so that a backfill does not
 * crowd out the live ingest that judges what it sends. A rate of zero or less means no limit.
 */
public final class Pacer {

    /** How the pacer waits (the tests' clock moves instead). */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(long millis) throws InterruptedException;
    }

    private final double perSecond;
    private final Clock clock;
    private final Sleeper sleeper;
    private double nextFreeMillis;

    public Pacer(double perSecond, Clock clock, Sleeper sleeper) {
        this.perSecond = perSecond;
        this.clock = clock;
        this.sleeper = sleeper;
        this.nextFreeMillis = clock.millis();
    }

    public static Pacer unlimited() {
        return new Pacer(0, Clock.systemUTC(), Thread::sleep);
    }

    /** Waits until {@code records} more may go, then counts them as gone. */
    public void acquire(long records) {
        if (perSecond <= 0 || records <= 0) {
            return;
        }
        long now = clock.millis();
        nextFreeMillis = Math.max(nextFreeMillis, now);
        long wait = (long) Math.ceil(nextFreeMillis - now);
        nextFreeMillis += records * 1000.0 / perSecond;
        pause(wait);
    }

    /** Waits (a backoff between tries); an interrupt ends the wait early and is kept. */
    public void pause(long millis) {
        if (millis <= 0) {
            return;
        }
        try {
            sleeper.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

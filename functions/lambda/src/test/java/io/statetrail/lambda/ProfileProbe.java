package io.statetrail.lambda;

import io.micronaut.context.ApplicationContext;
import io.statetrail.service.alert.AlertDispatcher;
import io.statetrail.service.port.AuditStore;
import io.statetrail.service.port.LockProbe;

/** Where a cold start goes: times each step of building the ingest handler (manual use). */
public final class ProfileProbe {
    public static void main(String[] args) {
        long t0 = System.nanoTime();
        ApplicationContext c = Functions.context();
        long t1 = System.nanoTime();
        c.getBean(Settings.class);
        long t2 = System.nanoTime();
        c.getBean(AuditStore.class);
        long t3 = System.nanoTime();
        c.getBean(PolicyCache.class).current();
        long t4 = System.nanoTime();
        c.getBean(AlertDispatcher.class);
        c.getBean(LockProbe.class);
        long t5 = System.nanoTime();
        System.err.printf("context=%d settings=%d store=%d policy=%d rest=%d%n", (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000,
                (t3 - t2) / 1_000_000, (t4 - t3) / 1_000_000, (t5 - t4) / 1_000_000);
    }
}

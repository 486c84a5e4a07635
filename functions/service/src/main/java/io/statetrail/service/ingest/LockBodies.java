package io.statetrail.service.ingest;

import io.statetrail.core.event.StateAccess;
import io.statetrail.core.event.TrailEvent;
import io.statetrail.service.port.AuditStore;
import io.statetrail.service.port.LockProbe;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the body of the locks a batch acquired. CloudTrail never shows who holds a lock (Terraform's lock ID,
 * {@code Who}, {@code Operation}): they are in the lock item or {@code .tflock} object, which exists only while the
 * lock is held. So right after its calls are stored, every successful acquisition's lock is looked at where it lives
 * ({@link LockProbe}) and a body found there is kept with the lock ({@link AuditStore#putLockDetails}).
 *
 * <p>A read that fails is reported, never thrown: the calls are stored and judged already, and the lock-stream function
 * or the sweeper's probe may still record the body, so the message must not be retried for it.
 */
public final class LockBodies {

    private final AuditStore store;
    private final LockProbe probe;

    public LockBodies(AuditStore store, LockProbe probe) {
        this.store = store;
        this.probe = probe;
    }

    /**
     * What looking at one acquisition's lock gave.
     *
     * @param probe what the lock probe answered; null when it threw
     * @param error why the body was not recorded (the probe or the store threw); null when nothing failed
     */
    public record Read(StateAccess acquisition, LockProbe.Probe probe, RuntimeException error) {

        /** The lock was held and its body is now stored with it. */
        public boolean stored() {
            return error == null && probe.state() == LockProbe.State.HELD && probe.details().isPresent();
        }
    }

    /** The successful lock acquisitions among these calls, in their order: the locks whose body can be read. */
    public static List<StateAccess> acquisitions(List<List<TrailEvent>> calls) {
        List<StateAccess> out = new ArrayList<>();
        for (List<TrailEvent> call : calls) {
            for (TrailEvent e : call) {
                if (e instanceof StateAccess s && s.operation() == StateAccess.Operation.LOCK && !s.meta().failed()) {
                    out.add(s);
                }
            }
        }
        return out;
    }

    /** Reads the body of every lock these calls acquired. */
    public List<Read> read(List<List<TrailEvent>> calls) {
        return acquisitions(calls).stream().map(this::read).toList();
    }

    /** Reads the lock this acquisition took, in its account and region, and stores its body when it is still held. */
    public Read read(StateAccess acquisition) {
        LockProbe.Probe found = null;
        try {
            found = probe.probe(acquisition.stateKey(), acquisition.lockStore(), acquisition.meta().account(), acquisition.meta().region());
            if (found.state() == LockProbe.State.HELD && found.details().isPresent()) {
                store.putLockDetails(acquisition.stateKey(), acquisition.lockStore(), acquisition.meta().time(), found.details().get());
            }
            return new Read(acquisition, found, null);
        } catch (RuntimeException e) {
            return new Read(acquisition, found, e);
        }
    }
}

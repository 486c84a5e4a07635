package io.statetrail.service.ingest;

import io.statetrail.core.detect.Detections;
import io.statetrail.core.finding.Finding;
import io.statetrail.service.finding.UnitFindings;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Runs the steps of judging a batch, each for the messages whose calls it judges: a step that throws fails those
 * messages (they are retried), the others go on. New findings are queued for delivery as soon as they are created.
 * Steps may run side by side ({@link Parallel}): what the judge records is kept under its lock.
 */
final class Judge {
    private final UnitFindings findings;
    private final RuntimeException[] failed;
    private final List<Set<Integer>> owners = new ArrayList<>();
    private final List<List<Finding>> created = new ArrayList<>();

    Judge(UnitFindings findings, RuntimeException[] failed) {
        this.findings = findings;
        this.failed = failed;
    }

    /** Runs one step for these messages, unless all of them failed already (their redelivery judges it again). */
    void run(Set<Integer> by, Supplier<List<Finding>> step) {
        synchronized (this) {
            if (by.stream().allMatch(i -> failed[i] != null)) {
                return;
            }
        }
        try {
            List<Finding> found = step.get();
            if (!found.isEmpty()) {
                synchronized (this) {
                    owners.add(by);
                    created.add(found);
                }
            }
        } catch (RuntimeException e) {
            synchronized (this) {
                for (int i : by) {
                    if (failed[i] == null) {
                        failed[i] = e;
                    }
                }
            }
        }
    }

    /** {@link UnitFindings#replace}: the findings it creates are queued for every destination with them. */
    List<Finding> replace(String scope, Set<String> types, Instant from, Instant to, List<Finding> produced,
                          Function<Finding, String> why) {
        return findings.replace(scope, types, from, to, produced, why);
    }

    /** Each new finding reported once: by the first of its messages that did not fail, else by the first. */
    synchronized List<List<Finding>> freshByMessage(int n) {
        List<List<Finding>> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new ArrayList<>());
        }
        for (int s = 0; s < created.size(); s++) {
            Set<Integer> by = new TreeSet<>(owners.get(s));
            int to = by.stream().filter(i -> failed[i] == null).findFirst().orElse(by.iterator().next());
            out.get(to).addAll(created.get(s));
        }
        out.forEach(l -> l.sort(Detections.ORDER));
        return out;
    }
}

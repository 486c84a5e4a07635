package io.statetrail.service.ingest;

import io.statetrail.core.event.RoleAssumed;
import io.statetrail.core.event.TrailEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The messages of a batch whose calls are stored one after the other (issue 18). Storing a call writes its own item
 * (shared by its copies and its redeliveries) and folds it into its run's summary (through the session that signed it,
 * or the session it issued). Messages that name the same call or the same session are in one group, so those writes
 * never race within a batch; groups are stored side by side. Two sessions of one run whose linking hop came in an
 * earlier batch can still fold into the same summary from two groups: that update is conditional on the summary it
 * read and retried (as between two instances), so the summary is the same, at the cost of a read and a write.
 */
final class CallGroups {

    private CallGroups() {
    }

    /** Message indices in groups, each group in message order, groups by their first message. */
    static List<List<Integer>> of(List<List<List<TrailEvent>>> callsByMessage) {
        int n = callsByMessage.size();
        int[] parent = new int[n];
        Map<String, Integer> firstNaming = new HashMap<>();
        for (int i = 0; i < n; i++) {
            parent[i] = i;
            for (List<TrailEvent> call : callsByMessage.get(i)) {
                link(parent, firstNaming, "call:" + call.get(0).meta().callKey(), i);
                for (TrailEvent e : call) {
                    if (e.meta().actor() != null && e.meta().actor().namesRoleSession()) {
                        link(parent, firstNaming, "session:" + e.meta().actor().accessKeyId(), i);
                    }
                    if (e instanceof RoleAssumed r && r.issuedKey() != null) {
                        link(parent, firstNaming, "session:" + r.issuedKey(), i);
                    }
                }
            }
        }
        Map<Integer, List<Integer>> groups = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            groups.computeIfAbsent(root(parent, i), k -> new ArrayList<>()).add(i);
        }
        return new ArrayList<>(groups.values());
    }

    /** Puts message i in the group of the first message that named this item. */
    private static void link(int[] parent, Map<String, Integer> firstNaming, String item, int i) {
        Integer first = firstNaming.putIfAbsent(item, i);
        if (first != null) {
            union(parent, i, first);
        }
    }

    private static void union(int[] parent, int a, int b) {
        int ra = root(parent, a);
        int rb = root(parent, b);
        if (ra != rb) {
            parent[Math.max(ra, rb)] = Math.min(ra, rb);
        }
    }

    private static int root(int[] parent, int i) {
        while (parent[i] != i) {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        return i;
    }
}

package io.statetrail.store.dynamodb;

import io.statetrail.core.finding.Finding;
import io.statetrail.core.finding.FindingJson;
import io.statetrail.core.finding.Severity;
import io.statetrail.core.policy.Glob;
import io.statetrail.core.policy.Policy;
import io.statetrail.core.event.EventMeta;
import io.statetrail.core.event.RoleAssumed;
import io.statetrail.core.event.StateAccess;
import io.statetrail.core.event.TrailEvent;
import io.statetrail.core.event.TrustPolicyChanged;
import io.statetrail.core.subject.Subject;
import io.statetrail.core.subject.SubjectParser;
import io.statetrail.service.query.Activity;
import io.statetrail.service.query.FindingQuery;
import io.statetrail.service.query.Hop;
import io.statetrail.service.query.LockDetails;
import io.statetrail.service.query.OpenLock;
import io.statetrail.service.query.Page;
import io.statetrail.service.query.RunDetail;
import io.statetrail.service.query.RunQuery;
import io.statetrail.service.query.RunSummary;
import io.statetrail.store.dynamodb.Items.CallItem;
import io.statetrail.store.dynamodb.Items.FindingItem;
import io.statetrail.store.dynamodb.Items.LockItem;
import io.statetrail.store.dynamodb.Items.RunSummaryItem;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryEnhancedRequest;

/** Pages of a listing: limits, cursors (an opaque sort key), and merging newest-first index streams. */
final class Paging {

    private Paging() {
    }

    static final int DEFAULT_LIMIT = 50;

    static final int MAX_LIMIT = 500;

    /** Merges iterators, each newest first by this sort key, into one newest first (equal keys stay next to each other). */
    static <T> Iterator<T> newestFirst(List<Iterator<T>> sources, java.util.function.Function<T, String> sortKey) {
        if (sources.size() == 1) {
            return sources.get(0);
        }
        record Head<T>(T item, String sk, Iterator<T> rest) {
        }
        java.util.PriorityQueue<Head<T>> heads = new java.util.PriorityQueue<>(Comparator.comparing((Head<T> h) -> h.sk()).reversed());
        java.util.function.Consumer<Iterator<T>> advance = it -> {
            if (it.hasNext()) {
                T i = it.next();
                heads.add(new Head<>(i, sortKey.apply(i), it));
            }
        };
        sources.forEach(advance);
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return !heads.isEmpty();
            }

            @Override
            public T next() {
                Head<T> h = heads.poll();
                if (h == null) {
                    throw new java.util.NoSuchElementException();
                }
                advance.accept(h.rest());
                return h.item();
            }
        };
    }

    // ---- helpers ----

    static int limit(int requested) {
        return requested <= 0 ? DEFAULT_LIMIT : Math.min(requested, MAX_LIMIT);
    }

    static String min(String a, String b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return a.compareTo(b) <= 0 ? a : b;
    }

    static String encode(String sortKey) {
        return sortKey == null ? null : Base64.getUrlEncoder().withoutPadding().encodeToString(sortKey.getBytes(StandardCharsets.UTF_8));
    }

    static String decode(String cursor) {
        if (cursor == null || cursor.isBlank()) {
            return null;
        }
        try {
            return new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid cursor");
        }
    }
}

package io.statetrail.store.dynamodb;

import io.statetrail.core.policy.Glob;
import io.statetrail.core.policy.Policy;
import io.statetrail.core.subject.SubjectParser;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * Every distinct root subject a run summary has been listed under, one item each in the {@code SUBJECTS} partition
 * (sort key: a hash of provider and subject, as subjects can outgrow a sort key). It serves the subject patterns no
 * {@link SubjectIndex} partition is complete for ({@code repo:acme/*}, {@code repo:acme/*:pull_req*}): the catalogue
 * is matched against the pattern, and the listing reads the {@code TAIL#} partitions of the subjects that match,
 * instead of every run. Subjects repeat (a repository's branches, environments, pull requests), so the catalogue
 * stays small; when it does not (a subject template with a per-run claim), or too many partitions would be read, the
 * listing reads the run index as before.
 *
 * <p>A subject is added before the first summary that lists a run under it is written, so the catalogue holds the
 * subject of every summarised run, whatever the order the run's records arrived in. Entries do not expire: a subject
 * outlives any one of its runs.
 *
 * <p>The marker {@code #complete} says that every summary in the table is in the catalogue and has its
 * {@link SubjectIndex} entries; listings use neither before it is there. A table created by this version is marked at
 * creation; one with summaries written by an older version is completed by the sweeps first
 * ({@code RunSummaries.completeIndexes}), and listed from the run index meanwhile.
 */
final class SubjectCatalogue {

    static final String PARTITION = "SUBJECTS";
    /** The marker: every summary is catalogued and indexed. Subject entries' sort keys are hex, never '#'. */
    static final String COMPLETE_SK = "#complete";
    /** Where completing an older table's catalogue has got to ({@code RunSummaries.completeIndexes}). */
    static final String PROGRESS_SK = "#progress";
    /** Catalogues larger than this are not read: the listing scans the run index instead. */
    static final int MAX_SUBJECTS = 5_000;
    /** Matching subjects spread over more {@code TAIL#} partitions than this: the listing scans the run index instead. */
    static final int MAX_PARTITIONS = 16;

    /** A catalogued subject; {@code provider} is empty for GitHub's. */
    record Entry(String subject, String provider) {
    }

    private final DynamoDbClient client;
    private final String tableName;
    private volatile boolean complete;
    /** Subjects this instance has added (or found added), to spare a write per summary. */
    private final Set<String> added = Collections.newSetFromMap(RunSummaries.lru(10_000));

    SubjectCatalogue(DynamoDbClient client, String tableName) {
        this.client = client;
        this.tableName = tableName;
    }

    /** Adds a root subject; a no-op when it is there already. Call before writing the summary that lists it. */
    void add(String subject, String provider) {
        String sk = sortKey(subject, provider);
        if (added.contains(sk)) {
            return;
        }
        Map<String, AttributeValue> item = new LinkedHashMap<>(key(sk));
        item.put("type", AttributeValue.fromS("subject"));
        item.put("subject", AttributeValue.fromS(subject));
        if (provider != null && !provider.isEmpty()) {
            item.put("provider", AttributeValue.fromS(provider));
        }
        try {
            client.putItem(PutItemRequest.builder().tableName(tableName).item(item)
                    .conditionExpression("attribute_not_exists(#pk)").expressionAttributeNames(Map.of("#pk", AuditTable.PK)).build());
        } catch (ConditionalCheckFailedException already) {
            // catalogued by an earlier summary
        }
        added.add(sk);
    }

    /** Whether every summary is catalogued and indexed (once true, it stays true). */
    boolean complete() {
        if (!complete) {
            complete = client.getItem(GetItemRequest.builder().tableName(tableName).key(key(COMPLETE_SK)).consistentRead(true)
                    .build()).hasItem();
        }
        return complete;
    }

    void markComplete() {
        client.putItem(PutItemRequest.builder().tableName(tableName).item(key(COMPLETE_SK)).build());
        complete = true;
    }

    static Map<String, AttributeValue> key(String sk) {
        return Map.of(AuditTable.PK, AttributeValue.fromS(PARTITION), AuditTable.SK, AttributeValue.fromS(sk));
    }

    /**
     * The index partitions that hold every summarised run whose root subject matches {@code pattern}: the
     * {@code TAIL#} partitions of the catalogued subjects that match. Null when the catalogue is not complete yet, or
     * when it or the partitions are too many to be worth it.
     */
    List<SubjectIndex.Partition> partitionsFor(Glob pattern) {
        List<Entry> entries = complete() ? read() : null;
        if (entries == null) {
            return null;
        }
        Set<SubjectIndex.Partition> out = new LinkedHashSet<>();
        for (Entry e : entries) {
            String provider = e.provider().isEmpty() ? null : e.provider();
            if (!Policy.subjectMatches(pattern, SubjectParser.parse(e.subject(), provider))) {
                continue;
            }
            for (SubjectIndex.Partition p : SubjectIndex.partitionsOf(e.subject(), provider)) {
                if (p.prefix().equals(SubjectIndex.TAIL)) {
                    out.add(p);
                }
            }
            if (out.size() > MAX_PARTITIONS) {
                return null;
            }
        }
        return List.copyOf(out);
    }

    /** Every catalogued subject, or null when there are more than {@link #MAX_SUBJECTS}. */
    List<Entry> read() {
        List<Entry> out = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            QueryResponse r = client.query(QueryRequest.builder().tableName(tableName)
                    .keyConditionExpression("#pk = :pk")
                    .expressionAttributeNames(Map.of("#pk", AuditTable.PK))
                    .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(PARTITION)))
                    .projectionExpression("subject, provider")
                    .exclusiveStartKey(start)
                    .build());
            for (Map<String, AttributeValue> item : r.items()) {
                if (!item.containsKey("subject")) {
                    continue; // the marker and the progress item
                }
                AttributeValue provider = item.get("provider");
                out.add(new Entry(item.get("subject").s(), provider == null ? "" : provider.s()));
            }
            if (out.size() > MAX_SUBJECTS) {
                return null;
            }
            start = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
        } while (start != null);
        return out;
    }

    private static String sortKey(String subject, String provider) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update((provider == null ? "" : provider).getBytes(StandardCharsets.UTF_8));
            sha.update((byte) '\n');
            sha.update(subject.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}

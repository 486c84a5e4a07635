package io.statetrail.core.detect;

import static io.statetrail.core.detect.StoreVerdict.bool;
import static io.statetrail.core.detect.StoreVerdict.field;
import static io.statetrail.core.detect.StoreVerdict.items;
import static io.statetrail.core.detect.StoreVerdict.json;
import static io.statetrail.core.detect.StoreVerdict.safe;
import static io.statetrail.core.detect.StoreVerdict.text;
import static io.statetrail.core.detect.StoreVerdict.weakens;

import com.fasterxml.jackson.databind.JsonNode;
import io.statetrail.core.event.Arns;
import io.statetrail.core.event.StoreChange;
import io.statetrail.core.finding.Severity;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Judges the changes of a bucket that holds state (issue 19), reading the request as CloudTrail logged it: versioning
 * suspended, lifecycle rules that expire or delete versions under state keys, a bucket policy deleted or opened to
 * principals outside the account or organisation or dropping a Deny, the public access block turned off, default
 * encryption removed or moved away from KMS, replication to another account, ACLs that make the bucket or a state object
 * public, the bucket deleted.
 */
final class BucketVerdicts {

    private static final Set<String> PUBLIC_CANNED = Set.of("public-read", "public-read-write", "authenticated-read");
    private static final List<String> PUBLIC_ACCESS_BLOCK = List.of("BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy",
            "RestrictPublicBuckets");

    private BucketVerdicts() {
    }

    static StoreVerdict judge(StoreChange c, List<StoreChange> earlier, StoreFacts facts, Evaluation e) {
        JsonNode req = json(c.request());
        String bucket = c.name();
        Severity critical = Severity.CRITICAL;
        return switch (c.meta().eventName()) {
            case "CreateBucket" -> safe("bucket");
            case "DeleteBucket" -> weakens("bucket", critical, "bucket " + bucket + " deleted");
            case "PutBucketVersioning" -> {
                String status = text(field(field(req, "VersioningConfiguration"), "Status"));
                yield status.isEmpty() ? StoreVerdict.NONE : "Suspended".equalsIgnoreCase(status)
                        ? weakens("versioning", critical, "versioning suspended: a bad write can no longer be rolled back")
                        : safe("versioning");
            }
            case "PutBucketLifecycle", "PutBucketLifecycleConfiguration" -> weakens("lifecycle", critical, lifecycle(req, bucket, e));
            case "DeleteBucketLifecycle" -> safe("lifecycle");
            case "PutBucketPolicy" -> weakens("policy", critical, StoreVerdict.policyProblems(field(req, "bucketPolicy"),
                    previousPolicy(earlier), c.meta().account(), facts, "bucket policy"));
            case "DeleteBucketPolicy" -> {
                List<String> problems = new ArrayList<>(List.of("bucket policy deleted"));
                JsonNode previous = previousPolicy(earlier);
                if (previous != null) {
                    StoreVerdict.policyProblems(json("{\"Statement\":[]}"), previous, c.meta().account(), facts, "bucket policy")
                            .forEach(problems::add);
                }
                yield weakens("policy", critical, problems);
            }
            case "PutBucketPublicAccessBlock", "PutPublicAccessBlock" -> {
                JsonNode config = field(req, "PublicAccessBlockConfiguration");
                List<String> off = new ArrayList<>();
                for (String setting : PUBLIC_ACCESS_BLOCK) {
                    if (!Boolean.TRUE.equals(bool(field(config, setting)))) {
                        off.add(setting);
                    }
                }
                yield off.isEmpty() ? safe("public-access-block")
                        : weakens("public-access-block", critical, "public access block off: " + String.join(", ", off));
            }
            case "DeleteBucketPublicAccessBlock", "DeletePublicAccessBlock" ->
                    weakens("public-access-block", critical, "public access block removed");
            case "PutBucketEncryption" -> weakens("encryption", critical, encryption(c, facts));
            case "DeleteBucketEncryption" -> weakens("encryption", critical,
                    "default encryption removed: new state objects are no longer encrypted with KMS");
            case "PutBucketReplication" -> weakens("replication", critical, replication(req, c, facts, e));
            case "DeleteBucketReplication" -> safe("replication");
            case "PutBucketAcl" -> weakens("acl", critical, publicAcl(req, "bucket " + bucket));
            case "PutObjectAcl" -> weakens("object-acl:" + c.objectKey(), critical, publicAcl(req, "state object " + c.storeKey()));
            default -> StoreVerdict.NONE;
        };
    }

    /** The bucket policy the latest earlier change left (null after a delete, or when the trail shows none). */
    private static JsonNode previousPolicy(List<StoreChange> earlier) {
        for (int i = earlier.size() - 1; i >= 0; i--) {
            String name = earlier.get(i).meta().eventName();
            if ("DeleteBucketPolicy".equals(name)) {
                return null;
            }
            if ("PutBucketPolicy".equals(name)) {
                JsonNode p = field(json(earlier.get(i).request()), "bucketPolicy");
                return p.isMissingNode() ? null : p;
            }
        }
        return null;
    }

    // ---- lifecycle ----

    /**
     * Enabled rules that expire current versions (an {@code Expiration} with days or a date) or delete noncurrent ones
     * ({@code NoncurrentVersionExpiration}), and whose filter can cover a state key. A rule given as an object (one rule,
     * as CloudTrail logs it) or a list; the filter as {@code Filter.Prefix}, {@code Filter.And.Prefix} or the older
     * top-level {@code Prefix}. Terraform does not tag state objects, so a rule filtered on tags is taken to miss them.
     */
    private static List<String> lifecycle(JsonNode req, String bucket, Evaluation e) {
        JsonNode config = field(req, "LifecycleConfiguration");
        List<JsonNode> rules = items(field(config, "Rule"));
        rules.addAll(items(field(config, "Rules")));
        List<String> problems = new ArrayList<>();
        for (JsonNode rule : rules) {
            if (!"Enabled".equalsIgnoreCase(text(field(rule, "Status")))) {
                continue;
            }
            JsonNode filter = field(rule, "Filter");
            JsonNode and = field(filter, "And");
            if (!field(filter, "Tag").isMissingNode() || !field(and, "Tag").isMissingNode() || !field(and, "Tags").isMissingNode()) {
                continue;
            }
            String prefix = text(field(filter, "Prefix"));
            prefix = prefix.isEmpty() ? text(field(and, "Prefix")) : prefix;
            prefix = prefix.isEmpty() ? text(field(rule, "Prefix")) : prefix;
            List<String> deletes = new ArrayList<>();
            JsonNode expiration = field(rule, "Expiration");
            if (!field(expiration, "Days").isMissingNode() || !field(expiration, "Date").isMissingNode()) {
                deletes.add("expires current versions after " + (field(expiration, "Days").isMissingNode()
                        ? text(field(expiration, "Date")) : text(field(expiration, "Days")) + " days"));
            }
            JsonNode noncurrent = field(rule, "NoncurrentVersionExpiration");
            if (!noncurrent.isMissingNode()) {
                deletes.add("deletes noncurrent versions" + (field(noncurrent, "NoncurrentDays").isMissingNode() ? ""
                        : " after " + text(field(noncurrent, "NoncurrentDays")) + " days"));
            }
            List<String> covered = deletes.isEmpty() ? List.of() : statesUnder(bucket, prefix, e);
            if (!covered.isEmpty()) {
                String id = text(field(rule, "ID"));
                problems.add("lifecycle rule " + (id.isEmpty() ? "" : "'" + id + "' ") + String.join(" and ", deletes)
                        + " under '" + prefix + "', which holds state (" + String.join(", ", covered) + ")");
            }
        }
        return problems;
    }

    /**
     * What state the prefix covers: the states seen in the bucket under it, or the policy's {@code states} entries that
     * can name a key under it; when neither names any state of the bucket, any prefix may hold state.
     */
    static List<String> statesUnder(String bucket, String prefix, Evaluation e) {
        List<String> out = new ArrayList<>();
        List<String> seen = e.statesIn(bucket);
        for (String s : seen) {
            if (s.substring(bucket.length() + 1).startsWith(prefix)) {
                out.add(s);
            }
        }
        boolean policyNames = false;
        for (var entry : e.policy().states()) {
            if (entry.key().matchesSomeStringStartingWith(bucket + "/")) {
                policyNames = true;
                if (entry.key().matchesSomeStringStartingWith(bucket + "/" + prefix) && out.size() < 5) {
                    out.add(entry.key().pattern());
                }
            }
        }
        if (seen.isEmpty() && !policyNames) {
            out.add("state may be under any prefix of " + bucket);
        }
        return out.size() > 5 ? out.subList(0, 5) : out;
    }

    // ---- encryption ----

    private static List<String> encryption(StoreChange c, StoreFacts facts) {
        List<String> problems = new ArrayList<>();
        JsonNode config = field(json(c.request()), "ServerSideEncryptionConfiguration");
        for (JsonNode rule : items(field(config, "Rule"))) {
            JsonNode def = field(rule, "ApplyServerSideEncryptionByDefault");
            String algorithm = text(field(def, "SSEAlgorithm"));
            String key = text(field(def, "KMSMasterKeyID"));
            if (!algorithm.toLowerCase(Locale.ROOT).startsWith("aws:kms")) {
                problems.add("default encryption changed to " + (algorithm.isEmpty() ? "none" : algorithm) + ", away from KMS");
            } else if (key.startsWith("arn:") && !facts.isOurAccount(Arns.account(key), c.meta().account())) {
                problems.add("default encryption uses KMS key " + key + " of account " + Arns.account(key));
            }
        }
        return problems;
    }

    /** The KMS keys a default encryption names (to learn which keys encrypt state). */
    static List<String> defaultKeys(StoreChange c) {
        List<String> out = new ArrayList<>();
        for (JsonNode rule : items(field(field(json(c.request()), "ServerSideEncryptionConfiguration"), "Rule"))) {
            String key = text(field(field(rule, "ApplyServerSideEncryptionByDefault"), "KMSMasterKeyID"));
            if (!key.isEmpty()) {
                out.add(key);
            }
        }
        return out;
    }

    // ---- replication ----

    /**
     * Enabled rules that can copy state to a bucket of another account: the destination names an account that is not
     * ours, or names none and is not a bucket known to hold state (CloudTrail shows the destination's account only when
     * the rule names it).
     */
    private static List<String> replication(JsonNode req, StoreChange c, StoreFacts facts, Evaluation e) {
        List<String> problems = new ArrayList<>();
        JsonNode config = field(req, "ReplicationConfiguration");
        for (JsonNode rule : items(field(config, "Rule"))) {
            if (!"Enabled".equalsIgnoreCase(text(field(rule, "Status")))) {
                continue;
            }
            String prefix = text(field(field(rule, "Filter"), "Prefix"));
            prefix = prefix.isEmpty() ? text(field(field(field(rule, "Filter"), "And"), "Prefix")) : prefix;
            prefix = prefix.isEmpty() ? text(field(rule, "Prefix")) : prefix;
            if (statesUnder(c.name(), prefix, e).isEmpty()) {
                continue;
            }
            JsonNode destination = field(rule, "Destination");
            String target = text(field(destination, "Bucket"));
            String targetBucket = Arns.s3Bucket(target) != null ? Arns.s3Bucket(target) : target;
            String account = text(field(destination, "Account"));
            if (!account.isEmpty() && !facts.isOurAccount(account, c.meta().account())) {
                problems.add("replicates state to bucket " + targetBucket + " in account " + account);
            } else if (account.isEmpty() && !facts.holdsState(targetBucket)) {
                problems.add("replicates state to bucket " + targetBucket + ", whose account the rule does not name");
            }
        }
        return problems;
    }

    // ---- ACLs ----

    /** A canned ACL or grant that opens the bucket or object to everyone or to every AWS account. */
    private static List<String> publicAcl(JsonNode req, String what) {
        List<String> grants = new ArrayList<>();
        String canned = text(field(req, "x-amz-acl"));
        if (PUBLIC_CANNED.contains(canned.toLowerCase(Locale.ROOT))) {
            grants.add("canned ACL " + canned);
        }
        for (String header : List.of("x-amz-grant-read", "x-amz-grant-write", "x-amz-grant-read-acp", "x-amz-grant-write-acp",
                "x-amz-grant-full-control")) {
            String v = text(field(req, header));
            if (v.contains("AllUsers") || v.contains("AuthenticatedUsers")) {
                grants.add(header + " " + v);
            }
        }
        JsonNode list = field(field(req, "AccessControlPolicy"), "AccessControlList");
        List<JsonNode> entries = items(field(list, "Grant"));
        entries.addAll(items(field(list, "Grants")));
        for (JsonNode g : entries) {
            String uri = text(field(field(g, "Grantee"), "URI"));
            if (uri.endsWith("/AllUsers") || uri.endsWith("/AuthenticatedUsers")) {
                grants.add(text(field(g, "Permission")) + " to " + uri.substring(uri.lastIndexOf('/') + 1));
            }
        }
        return grants.isEmpty() ? List.of() : List.of(what + " made public: " + String.join(", ", grants));
    }
}

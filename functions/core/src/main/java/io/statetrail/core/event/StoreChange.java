package io.statetrail.core.event;

import java.util.Locale;

/**
 * A change of the store Terraform state lives in (issue 19): the state bucket, the lock table, or the KMS key that
 * encrypts the state, as CloudTrail logged the request. Whether it weakens the store, and whether the store holds state
 * at all, is the detections' question: they read the request as logged.
 *
 * @param store     which kind of store
 * @param name      bucket name, table name, or key ARN (a bare key id resolved with the record's account and region)
 * @param objectKey for an object-level change (an object ACL): the object's key; else null
 * @param request   {@code requestParameters} as logged, JSON text ({@code {}} when CloudTrail logged none); CloudTrail's own
 *                  shapes are kept (a single lifecycle rule as an object, a bucket policy as an object, a key policy as a
 *                  string)
 * @param response  {@code responseElements} as logged, JSON text, or null
 */
public record StoreChange(EventMeta meta, Store store, String name, String objectKey, String request, String response)
        implements TrailEvent {

    public enum Store {
        BUCKET, TABLE, KEY;

        /** {@code bucket}, {@code table}, {@code key}: how stored items and scopes name the kind. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * What a finding about this store names in {@code stateKey}: {@code <bucket>/*} for a bucket ({@code <bucket>/<key>}
     * for an object), the table name for a lock table, the key ARN for a KMS key.
     */
    public String storeKey() {
        return switch (store) {
            case BUCKET -> objectKey != null ? name + "/" + objectKey : name + "/*";
            case TABLE, KEY -> name;
        };
    }

    /**
     * The store as a whole, whatever object of it the change names: {@code bucket:<name>} (bucket names are global),
     * {@code table:<account>:<region>:<name>} (one table name is often used in every account), {@code key:<ARN>}.
     */
    public String storeId() {
        return store == Store.TABLE ? "table:" + meta.account() + ":" + meta.region() + ":" + name : store.label() + ":" + name;
    }

    /**
     * The store by the name discovery knows it by: {@code bucket:<name>}, {@code table:<name>}, {@code key:<key id>} (lower
     * case). The live service keeps a store's changes, and what is known of it, under this name.
     */
    public String storeRef() {
        return ref(store, name);
    }

    /** {@link #storeRef()} of a store of this kind and name (a key by its ARN or bare id); null for a key alias. */
    public static String ref(Store store, String name) {
        if (store == Store.KEY) {
            int at = name.indexOf(":key/");
            String id = name.startsWith("arn:") ? (at < 0 ? null : name.substring(at + ":key/".length())) : name;
            return id == null || id.isBlank() || id.startsWith("alias/") ? null : "key:" + id.toLowerCase(Locale.ROOT);
        }
        return store.label() + ":" + name;
    }

}

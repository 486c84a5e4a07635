package io.statetrail.core.event;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Small ARN helpers. */
public final class Arns {
    private static final Pattern ROLE_ARN = Pattern.compile("arn:aws[a-z-]*:iam::\\d{12}:role/[\\w+=,.@/-]{1,512}");

    private Arns() {
    }

    /** The account field of an ARN, or null. */
    public static String account(String arn) {
        if (arn == null) {
            return null;
        }
        String[] parts = arn.split(":", 6);
        return parts.length >= 5 && !parts[4].isEmpty() ? parts[4] : null;
    }

    /** The first role ARN inside a free text, e.g. an {@code errorMessage} of a denied AssumeRole. */
    public static String roleArnIn(String text) {
        if (text == null) {
            return null;
        }
        Matcher m = ROLE_ARN.matcher(text);
        return m.find() ? m.group() : null;
    }

    /** {@code arn:aws:sts::1:assumed-role/Role/session} → {@code arn:aws:iam::1:role/Role} (path unknown, so without it). */
    public static String roleOfAssumedRole(String assumedRoleArn) {
        if (assumedRoleArn == null || !assumedRoleArn.contains(":assumed-role/")) {
            return null;
        }
        String[] parts = assumedRoleArn.split(":", 6);
        String[] rest = parts[5].split("/");
        if (rest.length < 3) {
            return null;
        }
        return parts[0] + ":" + parts[1] + ":iam::" + parts[4] + ":role/" + rest[1];
    }

    /** {@code arn:<partition>:s3:::<bucket>/<key>} → {@code [bucket, key]}; null for anything else (a bucket, a prefix). */
    public static String[] s3Object(String arn) {
        String rest = s3Resource(arn);
        int slash = rest == null ? -1 : rest.indexOf('/');
        return slash > 0 && slash < rest.length() - 1 ? new String[] {rest.substring(0, slash), rest.substring(slash + 1)} : null;
    }

    /** The bucket of {@code arn:<partition>:s3:::<bucket>} or of a prefix {@code arn:<partition>:s3:::<bucket>/…}. */
    public static String s3Bucket(String arn) {
        String rest = s3Resource(arn);
        if (rest == null) {
            return null;
        }
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        return bucket.isEmpty() ? null : bucket;
    }

    private static String s3Resource(String arn) {
        if (arn == null || !arn.startsWith("arn:")) {
            return null;
        }
        String[] parts = arn.split(":", 6);
        return parts.length == 6 && "s3".equals(parts[2]) && parts[3].isEmpty() && parts[4].isEmpty() ? parts[5] : null;
    }
}

package io.statetrail.lambda;

import io.statetrail.core.policy.Policy;
import io.statetrail.core.policy.PolicyException;
import io.statetrail.core.policy.PolicyLoader;
import java.nio.file.Path;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Loads the policy from {@code STATETRAIL_POLICY}: {@code s3://bucket/key} (GetObject), {@code ssm:/name} (GetParameter
 * with decryption; the Terraform module stores it as a SecureString) or a local file path.
 */
public final class PolicySource {

    private PolicySource() {
    }

    public static Policy load(String location, AwsClients aws) {
        return load(location, aws, java.time.LocalDate.now(java.time.ZoneOffset.UTC));
    }

    /** @param today a suppression that expired before this day makes the policy refused, with its line; null: never */
    public static Policy load(String location, AwsClients aws, java.time.LocalDate today) {
        if (location.startsWith("s3://")) {
            String rest = location.substring("s3://".length());
            int slash = rest.indexOf('/');
            if (slash <= 0 || slash == rest.length() - 1) {
                throw new PolicyException(location + ": expected s3://bucket/key");
            }
            String bucket = rest.substring(0, slash);
            String key = rest.substring(slash + 1);
            try {
                String yaml = aws.s3(aws.home()).getObjectAsBytes(b -> b.bucket(bucket).key(key)).asUtf8String();
                return PolicyLoader.parse(yaml, location, today);
            } catch (SdkException e) {
                throw new PolicyException(location + ": cannot read policy: " + e.getMessage());
            }
        }
        if (location.startsWith("ssm:")) {
            String name = location.substring("ssm:".length());
            try {
                String yaml = aws.ssm().getParameter(b -> b.name(name).withDecryption(true)).parameter().value();
                return PolicyLoader.parse(yaml, location, today);
            } catch (SdkException e) {
                throw new PolicyException(location + ": cannot read policy: " + e.getMessage());
            }
        }
        return PolicyLoader.load(Path.of(location), today);
    }
}

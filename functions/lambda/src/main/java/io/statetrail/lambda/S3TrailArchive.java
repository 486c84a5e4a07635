package io.statetrail.lambda;

import io.statetrail.service.port.TrailArchive;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The trail bucket through {@code GetObject}. The SDK already retries throttling ({@code SlowDown}, 503) and server
 * errors with backoff; what still fails is reported with the service's code, and whether another try may help.
 */
public final class S3TrailArchive implements TrailArchive {

    private final S3Client s3;

    public S3TrailArchive(S3Client s3) {
        this.s3 = s3;
    }

    @Override
    public byte[] read(String bucket, String key) {
        try {
            return s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
        } catch (S3Exception e) {
            String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
            int status = e.statusCode();
            boolean retryable = status >= 500 || status == 429 || "SlowDown".equals(code) || "RequestTimeout".equals(code);
            throw new Unreadable((code == null ? "HTTP " + status : code) + " (HTTP " + status + ")", retryable);
        } catch (SdkClientException e) {
            throw new Unreadable(e.getMessage(), true);
        } catch (SdkException e) {
            throw new Unreadable(e.getMessage(), false);
        }
    }
}

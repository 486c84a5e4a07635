package io.statetrail.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.SfnClientBuilder;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.MapRunItemCounts;
import software.amazon.awssdk.services.sfn.model.MapRunListItem;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code statetrail backfill --aws}: starts the backfill state machine (infra/modules/statetrail, backfill.tf) on a trail
 * bucket's log files of a date range and follows it to the end: the files done so far while it runs, then its totals
 * (files, records, relevant, sent, malformed) on stdout and every file it could not backfill on stderr.
 */
@Command(name = "backfill", mixinStandardHelpOptions = true,
        description = {"Judge a trail bucket's history on AWS: start the backfill state machine and follow it.",
                "Lists the bucket under --prefix, reads the log files delivered from --from to --to (UTC days, both included) in "
                        + "parallel Lambda workers and sends their relevant records to the ingest queue, where the live ingest judges "
                        + "them (rerunning a range is harmless). Progress goes to stderr; the execution's totals, as JSON, to stdout."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:backfilled, every file read", "1:the execution failed, timed out or was stopped, or AWS could not be reached",
                "2:usage error", "4:backfilled, but some files could not be (listed on stderr)"})
public final class BackfillCommand implements Callable<Integer> {

    public static final int EXIT_FAILED = 1;
    public static final int EXIT_FILES_FAILED = 4;
    static final ObjectMapper JSON = new ObjectMapper();
    /** Step Functions' execution names: up to 80 characters of letters, digits, - and _. */
    private static final Pattern UNSAFE_NAME = Pattern.compile("[^A-Za-z0-9_-]");
    /** A prefix that ends at a region's folder: the range's common year, month or day can be added to it. */
    private static final Pattern REGION_FOLDER = Pattern.compile(".*/CloudTrail/[^/]+/$");

    @Option(names = "--aws", required = true, description = "run on AWS (the backfill runs nowhere else)")
    boolean aws;

    @Option(names = "--bucket", required = true, paramLabel = "BUCKET", description = "the trail bucket")
    String bucket;

    @Option(names = "--from", required = true, paramLabel = "YYYY-MM-DD", description = "first day of log files (UTC)")
    String from;

    @Option(names = "--to", required = true, paramLabel = "YYYY-MM-DD", description = "last day of log files (UTC, included)")
    String to;

    @Option(names = "--prefix", paramLabel = "PREFIX", description = "where the log files are: AWSLogs/ (every account and region, "
            + "the default), AWSLogs/<org>/<account>/CloudTrail/<region>/ (one account and region; the listing is narrowed to the "
            + "range's common year, month or day)")
    String prefix = "AWSLogs/";

    @Option(names = "--state-machine", paramLabel = "ARN", description = "the backfill state machine (Terraform output "
            + "backfill_state_machine_arn; default: $STATETRAIL_BACKFILL_STATE_MACHINE)")
    String stateMachine = System.getenv("STATETRAIL_BACKFILL_STATE_MACHINE");

    @Option(names = "--concurrency", paramLabel = "N", description = "workers at a time (default: ${DEFAULT-VALUE})")
    int concurrency = 40;

    @Option(names = "--files-per-batch", paramLabel = "N", description = "log files per worker invocation (default: ${DEFAULT-VALUE})")
    int filesPerBatch = 50;

    @Option(names = "--rate", paramLabel = "RECORDS_PER_SECOND", description = "relevant records sent per second, all workers "
            + "together, so that the live ingest keeps up (0: no limit; default: ${DEFAULT-VALUE})")
    int rate = 0;

    @Option(names = "--region", paramLabel = "REGION", description = "the state machine's region (default: the SDK's: AWS_REGION, profile)")
    String region;

    @Option(names = "--endpoint-url", paramLabel = "URL", description = "Step Functions endpoint (a VPC endpoint; default: the region's)")
    URI endpoint;

    @Option(names = "--no-follow", description = "start the execution and print its ARN without waiting for it")
    boolean noFollow;

    @Option(names = "--poll", paramLabel = "DURATION", description = "how often to ask for progress (default: ${DEFAULT-VALUE})")
    Duration poll = Duration.ofSeconds(10);

    @Override
    public Integer call() {
        PrintStream err = System.err;
        LocalDate first;
        LocalDate last;
        try {
            first = LocalDate.parse(from);
            last = LocalDate.parse(to);
        } catch (DateTimeParseException e) {
            err.println("statetrail backfill: --from and --to are days such as 2026-11-01, got '" + TerminalText.safe(from) + "' and '"
                    + TerminalText.safe(to) + "'");
            return Main.EXIT_USAGE;
        }
        String usage = usageError(first, last);
        if (usage != null) {
            err.println("statetrail backfill: " + usage);
            return Main.EXIT_USAGE;
        }
        ObjectNode input = input(first, last);
        try (SfnClient sfn = client()) {
            String name = executionName(first, last);
            String arn = sfn.startExecution(b -> b.stateMachineArn(stateMachine).name(name).input(input.toString())).executionArn();
            err.println("statetrail: backfill started: " + arn);
            if (noFollow) {
                System.out.println(arn);
                return 0;
            }
            return follow(sfn, arn, err);
        } catch (SdkException e) {
            err.println("statetrail backfill: " + TerminalText.safe(e.getMessage()));
            return EXIT_FAILED;
        }
    }

    private String usageError(LocalDate first, LocalDate last) {
        if (last.isBefore(first)) {
            return "--to (" + last + ") is before --from (" + first + ")";
        }
        if (stateMachine == null || stateMachine.isBlank()) {
            return "give --state-machine ARN (the Terraform output backfill_state_machine_arn) or set STATETRAIL_BACKFILL_STATE_MACHINE";
        }
        if (concurrency < 1 || concurrency > 10_000) {
            return "--concurrency must be between 1 and 10000 (a Distributed Map's limit)";
        }
        if (filesPerBatch < 1 || filesPerBatch > 1000) {
            return "--files-per-batch must be between 1 and 1000";
        }
        if (rate < 0) {
            return "--rate must not be negative";
        }
        if (poll.isNegative() || poll.isZero()) {
            return "--poll must be positive";
        }
        return null;
    }

    /** The execution's input, as the state machine reads it. */
    ObjectNode input(LocalDate first, LocalDate last) {
        ObjectNode in = JSON.createObjectNode();
        in.put("bucket", bucket);
        in.put("prefix", narrowed(prefix, first, last));
        in.put("from", first.toString());
        in.put("to", last.toString());
        in.put("concurrency", concurrency);
        in.put("filesPerBatch", filesPerBatch);
        in.put("rate", rate);
        return in;
    }

    /** A region's folder narrowed to the year, month or day the whole range shares, so that less is listed. */
    static String narrowed(String prefix, LocalDate first, LocalDate last) {
        if (!REGION_FOLDER.matcher(prefix).matches() || first.getYear() != last.getYear()) {
            return prefix;
        }
        String out = prefix + "%04d/".formatted(first.getYear());
        if (first.getMonth() != last.getMonth()) {
            return out;
        }
        out += "%02d/".formatted(first.getMonthValue());
        return first.equals(last) ? out + "%02d/".formatted(first.getDayOfMonth()) : out;
    }

    private String executionName(LocalDate first, LocalDate last) {
        String name = "backfill-" + first + "-" + last + "-" + Long.toString(System.currentTimeMillis(), 36);
        return UNSAFE_NAME.matcher(name).replaceAll("_");
    }

    private SfnClient client() {
        SfnClientBuilder b = SfnClient.builder().httpClient(UrlConnectionHttpClient.create());
        if (region != null) {
            b.region(Region.of(region));
        }
        if (endpoint != null) {
            b.endpointOverride(endpoint);
        }
        return b.build();
    }

    private int follow(SfnClient sfn, String arn, PrintStream err) {
        String lastProgress = null;
        while (true) {
            DescribeExecutionResponse d = sfn.describeExecution(b -> b.executionArn(arn));
            String progress = progress(sfn, arn, d.status());
            if (!progress.equals(lastProgress)) {
                err.println("statetrail: backfill " + progress);
                lastProgress = progress;
            }
            switch (d.status()) {
                case SUCCEEDED -> {
                    return done(d.output(), err);
                }
                case RUNNING, PENDING_REDRIVE -> sleep();
                default -> {
                    err.println("statetrail backfill: the execution ended " + d.statusAsString() + ": " + TerminalText.safe(d.error()) + " "
                            + TerminalText.safe(d.cause()));
                    return EXIT_FAILED;
                }
            }
        }
    }

    /** Status, and the files of the Distributed Map done so far. */
    private static String progress(SfnClient sfn, String arn, ExecutionStatus status) {
        List<MapRunListItem> runs = sfn.listMapRuns(b -> b.executionArn(arn)).mapRuns();
        if (runs.isEmpty()) {
            return status.toString().toLowerCase(java.util.Locale.ROOT) + ", listing the log files";
        }
        MapRunItemCounts c = sfn.describeMapRun(b -> b.mapRunArn(runs.get(0).mapRunArn())).itemCounts();
        long failed = c.failed() + c.timedOut() + c.aborted();
        return "%s, %d of %d listed files done%s".formatted(status.toString().toLowerCase(java.util.Locale.ROOT), c.succeeded() + failed,
                c.total(), failed > 0 ? " (" + failed + " in failed batches)" : "");
    }

    private int done(String output, PrintStream err) {
        JsonNode totals;
        try {
            totals = JSON.readTree(output);
        } catch (Exception e) {
            err.println("statetrail backfill: the execution's output is not the summary's: " + TerminalText.fit(output, 200));
            return EXIT_FAILED;
        }
        System.out.println(totals);
        err.printf("statetrail: backfilled %d log files (%d outside the range): %d records, %d relevant, %d sent, %d malformed%n",
                totals.path("files").asLong(), totals.path("outsideRange").asLong(), totals.path("records").asLong(),
                totals.path("relevant").asLong(), totals.path("sent").asLong(), totals.path("malformed").asLong());
        JsonNode failed = totals.path("failedFiles");
        for (JsonNode f : failed) {
            err.println("statetrail: not backfilled: " + TerminalText.safe(f.path("key").asText()) + ": " + TerminalText.safe(f.path("reason").asText()));
        }
        return failed.isEmpty() ? 0 : EXIT_FILES_FAILED;
    }

    private void sleep() {
        try {
            Thread.sleep(poll.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: the execution goes on; stop it with aws stepfunctions stop-execution");
        }
    }
}

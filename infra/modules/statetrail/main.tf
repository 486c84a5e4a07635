# statetrail: audit trail of Terraform runs from GitHub Actions (OIDC) to Terraform state in S3 and its locks.
#
# The module is split by concern:
#   main.tf        shared data sources and locals (names, ARNs, function definitions)
#   kms.tf         the customer managed key that encrypts every store and queue
#   cloudtrail.tf  optional trail with data-event selectors scoped to the state objects and lock tables
#   eventbridge.tf rules (default bus, optional central bus) -> SQS queue, dead-letter queue
#   (the event patterns and data-event selectors come from ../statetrail-events, shared with statetrail-member)
#   storage.tf     the DynamoDB audit table
#   alerts.tf      SNS topic, Slack webhook secret, policy parameter
#   lambda.tf      the four functions, SnapStart aliases, event sources, schedule, Function URL
#   iam.tf         one role per function, least privilege
#   monitoring.tf  CloudWatch alarms and dashboard

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

data "aws_region" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.name

  tags = merge(var.tags, { "statetrail:module" = "statetrail" })

  regions = length(var.regions) > 0 ? var.regions : [local.region]

  # --- Watched resources -------------------------------------------------------------------------------------------

  state_bucket_names = distinct([for b in var.state_buckets : b.name])
  state_bucket_arns  = [for b in var.state_buckets : "arn:${local.partition}:s3:::${b.name}"]

  # ARN prefixes of the state objects, as CloudTrail's resources.ARN StartsWith wants them.
  state_object_prefixes_whole  = [for b in var.state_buckets : "arn:${local.partition}:s3:::${b.name}/" if length(b.key_prefixes) == 0]
  state_object_prefixes_scoped = flatten([for b in var.state_buckets : [for p in b.key_prefixes : "arn:${local.partition}:s3:::${b.name}/${p}"]])
  state_object_arn_prefixes    = concat(local.state_object_prefixes_whole, local.state_object_prefixes_scoped)

  # S3-native lock objects: "<state key>.tflock".
  lock_object_arns = [for b in var.state_buckets : "arn:${local.partition}:s3:::${b.name}/*.tflock"]

  state_kms_key_arns = compact([for b in var.state_buckets : b.kms_key_arn == null ? "" : b.kms_key_arn])

  lock_table_names = distinct([for t in var.lock_tables : t.name])
  lock_table_arns = [
    for t in var.lock_tables :
    "arn:${local.partition}:dynamodb:${t.region == null ? local.region : t.region}:${t.account_id == null ? local.account_id : t.account_id}:table/${t.name}"
  ]
  lock_stream_arns = compact([for t in var.lock_tables : t.stream_arn == null ? "" : t.stream_arn])

  # --- Names ---------------------------------------------------------------------------------------------------------

  trail_name             = var.trail_name == null ? var.name_prefix : var.trail_name
  central_event_bus_name = var.central_event_bus_name == null ? var.name_prefix : var.central_event_bus_name
  dashboard_name         = var.name_prefix
  dashboard_url          = "https://${local.region}.console.aws.amazon.com/cloudwatch/home?region=${local.region}#dashboards/dashboard/${local.dashboard_name}"

  # --- Policy location -----------------------------------------------------------------------------------------------

  policy_parameter_name = "/${var.name_prefix}/policy"
  policy_location       = var.policy_yaml != null ? "ssm:${local.policy_parameter_name}" : var.policy_location
  policy_location_text  = local.policy_location == null ? "" : local.policy_location
  policy_is_ssm         = startswith(local.policy_location_text, "ssm:")
  policy_ssm_name       = trimprefix(local.policy_location_text, "ssm:")
  policy_s3_path        = trimprefix(local.policy_location_text, "s3://")
  policy_resource_arn = (local.policy_is_ssm
    ? "arn:${local.partition}:ssm:${local.region}:${local.account_id}:parameter${local.policy_ssm_name}"
    : "arn:${local.partition}:s3:::${local.policy_s3_path}"
  )

  slack_secret_arn = var.slack_webhook_secret_arn == null ? aws_secretsmanager_secret.slack[0].arn : var.slack_webhook_secret_arn

  # Keys, besides the statetrail key, that the functions may need to decrypt with.
  policy_kms_key_arn     = var.policy_kms_key_arn == null ? "" : var.policy_kms_key_arn
  slack_kms_key_arn      = var.slack_webhook_secret_kms_key_arn == null ? "" : var.slack_webhook_secret_kms_key_arn
  extra_decrypt_key_arns = compact([local.policy_kms_key_arn, local.slack_kms_key_arn])

  # --- Functions -----------------------------------------------------------------------------------------------------

  # Two jars: the query API's HTTP stack stays out of the event functions, whose cold start it would slow down.
  lambda_jar_path = var.lambda_jar_path == null ? "${path.module}/../../../functions/lambda/target/statetrail-lambda.jar" : var.lambda_jar_path
  query_jar_path  = var.query_jar_path == null ? "${path.module}/../../../functions/lambda/target/statetrail-lambda-query.jar" : var.query_jar_path
  # A release's jars in S3 instead (docs/deploy.md): then no local file is read.
  code_in_s3 = var.lambda_s3_bucket != null

  functions = {
    ingest = {
      handler     = "io.statetrail.lambda.IngestHandler::handleRequest"
      jar         = local.lambda_jar_path
      s3_key      = var.lambda_s3_key
      s3_version  = var.lambda_s3_object_version
      description = "statetrail: ingest CloudTrail events from SQS (EventBridge), correlate sessions, alert."
      timeout     = 60
    }
    lock-stream = {
      handler     = "io.statetrail.lambda.LockStreamHandler::handleRequest"
      jar         = local.lambda_jar_path
      s3_key      = var.lambda_s3_key
      s3_version  = var.lambda_s3_object_version
      description = "statetrail: read lock details (Who, Operation, ID) from the lock tables' DynamoDB streams."
      timeout     = 60
    }
    sweeper = {
      handler     = "io.statetrail.lambda.SweeperHandler::handleRequest"
      jar         = local.lambda_jar_path
      s3_key      = var.lambda_s3_key
      s3_version  = var.lambda_s3_object_version
      description = "statetrail: stale locks, unmatched events, CloudTrail LookupEvents back-fill (every 5 minutes)."
      timeout     = 240
    }
    # The backfill state machine's (backfill.tf): one batch of log files, and the execution's totals.
    backfill = {
      handler     = "io.statetrail.lambda.BackfillHandler::handleRequest"
      jar         = local.lambda_jar_path
      s3_key      = var.lambda_s3_key
      s3_version  = var.lambda_s3_object_version
      description = "statetrail: backfill, one batch of CloudTrail log files from the trail bucket to the ingest queue."
      timeout     = 240
    }
    backfill-summary = {
      handler     = "io.statetrail.lambda.BackfillSummaryHandler::handleRequest"
      jar         = local.lambda_jar_path
      s3_key      = var.lambda_s3_key
      s3_version  = var.lambda_s3_object_version
      description = "statetrail: backfill, the totals of an execution from its Distributed Map's results."
      timeout     = 120
    }
    query = {
      handler     = "io.statetrail.lambda.QueryApiHandler::handleRequest"
      jar         = local.query_jar_path
      s3_key      = var.query_s3_key
      s3_version  = var.query_s3_object_version
      description = "statetrail: read-only query API behind a Function URL (AWS_IAM auth)."
      timeout     = 15
    }
  }

  function_environment = {
    STATETRAIL_TABLE              = aws_dynamodb_table.audit.name
    STATETRAIL_TOPIC_ARN          = aws_sns_topic.alerts.arn
    STATETRAIL_SLACK_SECRET_ARN   = local.slack_secret_arn
    STATETRAIL_EVENT_BUS          = var.finding_event_bus_name == null ? "" : var.finding_event_bus_name
    STATETRAIL_POLICY             = local.policy_location
    STATETRAIL_DASHBOARD_URL      = local.dashboard_url
    STATETRAIL_RETENTION_DAYS     = tostring(var.retention_days)
    STATETRAIL_LOCK_READER_ROLE   = var.lock_reader_role_name == null ? "" : var.lock_reader_role_name
    STATETRAIL_ALERT_WINDOW       = var.alert_window
    STATETRAIL_SETTLE_WINDOW      = var.settle_window
    STATETRAIL_INGEST_CONCURRENCY = tostring(var.ingest_concurrency)
    STATETRAIL_POSTURE_ACCOUNTS   = join(",", var.posture_accounts)
    STATETRAIL_REGIONS            = join(",", local.regions)
    STATETRAIL_INGEST_QUEUE_URL   = aws_sqs_queue.events.url
    JAVA_TOOL_OPTIONS             = "-XX:+TieredCompilation -XX:TieredStopAtLevel=1"
  }
}

# What statetrail listens to (EventBridge patterns, the trail's data-event selectors), declared once for this module and
# statetrail-member.
module "events" {
  source = "../statetrail-events"

  state_bucket_names        = local.state_bucket_names
  lock_table_names          = local.lock_table_names
  state_object_arn_prefixes = local.state_object_arn_prefixes
  lock_table_arns           = local.lock_table_arns
  log_data_event_reads      = var.log_data_event_reads
}

# What the ingest and sweeper roles read of this account's stores (lock bodies, store settings): the statements the
# member accounts' lock-reader role gets too.
module "store_access" {
  source = "../statetrail-store-access"

  lock_table_arns           = local.lock_table_arns
  lock_object_arns          = local.lock_object_arns
  state_object_arn_prefixes = local.state_object_arn_prefixes
  verify_bulk_deletes       = var.verify_bulk_deletes
  state_kms_key_arns        = local.state_kms_key_arns
  state_bucket_arns         = local.state_bucket_arns
}

# ---------------------------------------------------------------------------------------------------------------------
# Naming and tagging
# ---------------------------------------------------------------------------------------------------------------------

variable "name_prefix" {
  description = "Prefix of every resource name (table, queues, topic, functions, roles, rules, log groups, dashboard)."
  type        = string
  default     = "statetrail"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}$", var.name_prefix))
    error_message = "name_prefix must be 2-31 characters: lower-case letters, digits and hyphens, starting with a letter."
  }
}

variable "tags" {
  description = "Tags added to every resource that supports them."
  type        = map(string)
  default     = {}
}

# ---------------------------------------------------------------------------------------------------------------------
# What to watch: Terraform state buckets and lock tables
# ---------------------------------------------------------------------------------------------------------------------

variable "state_buckets" {
  description = <<-EOT
    S3 buckets holding Terraform state. `key_prefixes` narrows the CloudTrail data events to those key prefixes
    (include the workspace prefix, `env:/` by default, if you use workspaces); empty means the whole bucket.
    `kms_key_arn` is the bucket's SSE-KMS key, if any, so that statetrail can read `.tflock` bodies.
    Buckets may live in other accounts (organization setups): the trail that logs their data events must then be
    in that account or be an organization trail.
  EOT
  type = list(object({
    name         = string
    key_prefixes = optional(list(string), [])
    kms_key_arn  = optional(string)
  }))
  default = []

  validation {
    condition     = alltrue([for b in var.state_buckets : can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", b.name))])
    error_message = "Every state_buckets[*].name must be a valid S3 bucket name (no ARN, no s3:// prefix)."
  }
}

variable "lock_tables" {
  description = <<-EOT
    DynamoDB tables used for Terraform state locking (`dynamodb_table` in the S3 backend). `region` and
    `account_id` default to the deployment's. Set `stream_arn` (the table must have a stream with
    NEW_AND_OLD_IMAGES) to read lock details (Who, Operation, lock ID) from the stream; streams can only be read
    in the same account and region as statetrail.
  EOT
  type = list(object({
    name       = string
    region     = optional(string)
    account_id = optional(string)
    stream_arn = optional(string)
  }))
  default = []

  validation {
    condition     = alltrue([for t in var.lock_tables : can(regex("^[a-zA-Z0-9_.-]{3,255}$", t.name))])
    error_message = "Every lock_tables[*].name must be a DynamoDB table name (3-255 characters of a-z, A-Z, 0-9, _ . -)."
  }
}

variable "regions" {
  description = <<-EOT
    Regions where the Terraform runs happen and where their STS, S3 and DynamoDB events are logged (add us-east-1
    if clients use the global STS endpoint). Passed to the functions as STATETRAIL_REGIONS (CloudTrail
    LookupEvents back-fill). Empty means the deployment region only. EventBridge rules are regional: events of
    other regions reach statetrail through the statetrail-member module's forwarding rules, deployed per region.
  EOT
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for r in var.regions : can(regex("^[a-z]{2}(-[a-z]+)+-[0-9]$", r))])
    error_message = "regions must be AWS region names such as eu-west-1."
  }
}

# ---------------------------------------------------------------------------------------------------------------------
# CloudTrail
# ---------------------------------------------------------------------------------------------------------------------

variable "create_trail" {
  description = "Create a trail. Set to false to use an existing trail: add the selectors from the `data_event_selectors` output to it."
  type        = bool
  default     = true
}

variable "trail_name" {
  description = "Name of the trail to create (defaults to \"<name_prefix>\")."
  type        = string
  default     = null
}

variable "trail_management_events" {
  description = <<-EOT
    Log management events (STS, IAM) in the created trail. The first copy of management events in a region is
    free; further copies cost $2.00 per 100,000. Set to false when another trail (for example an organization
    trail) already logs management events in this account: EventBridge receives them from that trail.
  EOT
  type        = bool
  default     = true
}

variable "trail_is_organization_trail" {
  description = "Create the trail as an organization trail (deploy in the management account or a CloudTrail delegated administrator account)."
  type        = bool
  default     = false
}

variable "trail_bucket_name" {
  description = "Existing S3 bucket for the created trail's log files. Null creates an encrypted bucket \"<name_prefix>-trail-<account id>\"."
  type        = string
  default     = null
}

variable "trail_log_retention_days" {
  description = "Days to keep CloudTrail log files in the bucket created by this module."
  type        = number
  default     = 90

  validation {
    condition     = var.trail_log_retention_days >= 1
    error_message = "trail_log_retention_days must be at least 1."
  }
}

variable "log_data_event_reads" {
  description = "Also log read data events (GetObject on state and .tflock objects, GetItem on lock tables). Reads show who read state (which holds secrets); they roughly double the data-event volume."
  type        = bool
  default     = true
}

# ---------------------------------------------------------------------------------------------------------------------
# Organization: central event bus
# ---------------------------------------------------------------------------------------------------------------------

variable "create_central_event_bus" {
  description = "Create a custom event bus that member accounts forward their events to (see the statetrail-member module). The same rules are then created on it."
  type        = bool
  default     = false
}

variable "central_event_bus_name" {
  description = "Name of the central event bus (defaults to \"<name_prefix>\")."
  type        = string
  default     = null
}

variable "organization_id" {
  description = "AWS Organizations ID (o-xxxxxxxxxx). Allows every account of the organization to put events on the central bus and scopes the lock-reader AssumeRole permission."
  type        = string
  default     = null

  validation {
    condition     = var.organization_id == null || can(regex("^o-[a-z0-9]{10,32}$", var.organization_id))
    error_message = "organization_id must look like o-abcdef1234."
  }
}

variable "member_account_ids" {
  description = "Accounts that may forward events to the central bus and in which the lock-reader role may be assumed. Use instead of, or with, organization_id."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for a in var.member_account_ids : can(regex("^[0-9]{12}$", a))])
    error_message = "member_account_ids must be 12-digit account IDs."
  }
}

variable "lock_reader_role_name" {
  description = "Name of the role (created by the statetrail-member module) that the functions assume in member accounts to read lock bodies. Null disables cross-account lock reads."
  type        = string
  default     = null
}

# ---------------------------------------------------------------------------------------------------------------------
# Policy, alerts
# ---------------------------------------------------------------------------------------------------------------------

variable "policy_yaml" {
  description = "statetrail policy (YAML). Stored as an encrypted SSM parameter \"/<name_prefix>/policy\". Exactly one of policy_yaml and policy_location must be set."
  type        = string
  default     = null
}

variable "policy_location" {
  description = "Existing policy: \"s3://bucket/key\" or \"ssm:/parameter/name\". Exactly one of policy_yaml and policy_location must be set."
  type        = string
  default     = null

  validation {
    condition     = var.policy_location == null || can(regex("^(s3://[a-z0-9][a-z0-9.-]+[a-z0-9]/.+|ssm:/[a-zA-Z0-9_.\\-/]+)$", var.policy_location))
    error_message = "policy_location must be s3://bucket/key or ssm:/parameter/name."
  }
}

variable "policy_kms_key_arn" {
  description = "KMS key that encrypts an existing policy object or SecureString parameter (policy_location), if it is not the statetrail key."
  type        = string
  default     = null
}

variable "slack_webhook_secret_arn" {
  description = "Existing Secrets Manager secret whose SecretString is the Slack webhook URL. Null creates one (\"<name_prefix>/slack-webhook\"), encrypted with the statetrail key."
  type        = string
  default     = null
}

variable "slack_webhook_secret_kms_key_arn" {
  description = "KMS key of an existing slack_webhook_secret_arn, if it is not the statetrail key."
  type        = string
  default     = null
}

variable "slack_webhook_url" {
  description = "Slack incoming-webhook URL to store in the created secret. It then sits in the Terraform state: prefer leaving it null and running `aws secretsmanager put-secret-value` once (docs/deploy.md)."
  type        = string
  default     = null
  sensitive   = true
}

variable "sns_subscriptions" {
  description = "Subscriptions to the alert topic, e.g. { protocol = \"email\", endpoint = \"platform@example.com\" }. Email subscriptions must be confirmed."
  type = list(object({
    protocol             = string
    endpoint             = string
    raw_message_delivery = optional(bool, false)
  }))
  default = []

  validation {
    condition     = alltrue([for s in var.sns_subscriptions : contains(["email", "email-json", "https", "sqs", "lambda", "sms", "application", "firehose"], s.protocol)])
    error_message = "sns_subscriptions[*].protocol must be an SNS protocol (email, email-json, https, sqs, lambda, sms, application, firehose)."
  }
}

variable "finding_event_bus_name" {
  description = "EventBridge bus in this account and region that every new finding, follow-up and reminder is published to (STATETRAIL_EVENT_BUS; source statetrail, detail-type \"statetrail finding\", the finding JSON as detail), for your own rules to route. null publishes none."
  type        = string
  default     = "default"

  validation {
    condition     = var.finding_event_bus_name == null || can(regex("^[A-Za-z0-9._/-]{1,256}$", var.finding_event_bus_name))
    error_message = "finding_event_bus_name must be an event bus name such as default or security-findings (not an ARN)."
  }
}

variable "alert_window" {
  description = "ISO-8601 duration (STATETRAIL_ALERT_WINDOW) within which repeated alerts for the same finding are suppressed."
  type        = string
  default     = "PT15M"

  validation {
    condition     = can(regex("^P(T(\\d+H)?(\\d+M)?(\\d+S)?|\\d+D)$", var.alert_window))
    error_message = "alert_window must be an ISO-8601 duration such as PT15M, PT1H or P1D."
  }
}

variable "settle_window" {
  description = "ISO-8601 duration (STATETRAIL_SETTLE_WINDOW): a finding that late CloudTrail records could still undo is paged only once its latest evidence is this old. PT0S pages at once."
  type        = string
  default     = "PT15M"

  validation {
    condition     = can(regex("^P(T(\\d+H)?(\\d+M)?(\\d+S)?|\\d+D)$", var.settle_window))
    error_message = "settle_window must be an ISO-8601 duration such as PT15M, PT0S or PT1H."
  }
}

variable "alarm_topic_arn" {
  description = "SNS topic for CloudWatch alarm notifications (operational alarms about statetrail itself). Null uses the statetrail alert topic."
  type        = string
  default     = null
}

# ---------------------------------------------------------------------------------------------------------------------
# Retention
# ---------------------------------------------------------------------------------------------------------------------

variable "retention_days" {
  description = "Days an audit item is kept (DynamoDB TTL, STATETRAIL_RETENTION_DAYS)."
  type        = number
  default     = 400

  validation {
    condition     = var.retention_days >= 1 && var.retention_days <= 3650
    error_message = "retention_days must be between 1 and 3650."
  }
}

variable "log_retention_days" {
  description = "Retention of the functions' CloudWatch log groups."
  type        = number
  default     = 30

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a value CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, ...)."
  }
}

# ---------------------------------------------------------------------------------------------------------------------
# Functions
# ---------------------------------------------------------------------------------------------------------------------

variable "lambda_jar_path" {
  description = "Path of the shaded jar of the ingest, lock-stream and sweeper functions: a release's statetrail-lambda-<version>.jar, or null for functions/lambda/target/statetrail-lambda.jar of this repository (relative to this module). Not read when lambda_s3_bucket is set."
  type        = string
  default     = null
}

variable "query_jar_path" {
  description = "Path of the shaded jar of the query function (the API): a release's statetrail-lambda-query-<version>.jar, or null for functions/lambda/target/statetrail-lambda-query.jar of this repository (relative to this module). Not read when lambda_s3_bucket is set."
  type        = string
  default     = null
}

variable "lambda_s3_bucket" {
  description = "Bucket holding a release's Lambda jars, in the functions' region. Set, the functions' code comes from s3://<lambda_s3_bucket>/<lambda_s3_key> and <query_s3_key>, and lambda_jar_path and query_jar_path are not read: no local jar is needed."
  type        = string
  default     = null
}

variable "lambda_s3_key" {
  description = "With lambda_s3_bucket: key of the release's statetrail-lambda-<version>.jar (ingest, lock-stream, sweeper). A new key (one per version) deploys new code."
  type        = string
  default     = null
}

variable "query_s3_key" {
  description = "With lambda_s3_bucket: key of the release's statetrail-lambda-query-<version>.jar (query API)."
  type        = string
  default     = null
}

variable "lambda_s3_object_version" {
  description = "With lambda_s3_bucket on a versioned bucket: the object version of lambda_s3_key, so that replacing the object under the same key deploys it."
  type        = string
  default     = null
}

variable "query_s3_object_version" {
  description = "With lambda_s3_bucket on a versioned bucket: the object version of query_s3_key."
  type        = string
  default     = null
}

variable "lambda_memory_mb" {
  description = "Memory of each function in MB (CPU scales with it; 1024 keeps Java cold starts and SnapStart restores short)."
  type        = number
  default     = 1024

  validation {
    condition     = var.lambda_memory_mb >= 256 && var.lambda_memory_mb <= 10240
    error_message = "lambda_memory_mb must be between 256 and 10240."
  }
}

variable "ingest_batch_size" {
  description = "Messages per ingest invocation."
  type        = number
  default     = 10

  validation {
    condition     = var.ingest_batch_size >= 1 && var.ingest_batch_size <= 100
    error_message = "ingest_batch_size must be between 1 and 100."
  }
}

variable "ingest_max_concurrency" {
  description = "Maximum concurrent ingest invocations (SQS event source scaling, 2-1000)."
  type        = number
  default     = 5

  validation {
    condition     = var.ingest_max_concurrency >= 2 && var.ingest_max_concurrency <= 1000
    error_message = "ingest_max_concurrency must be between 2 and 1000."
  }
}

variable "ingest_concurrency" {
  description = "Steps of one batch each ingest instance judges at once (STATETRAIL_INGEST_CONCURRENCY, 1-64): an instance waits on DynamoDB most of the time, so more than the CPU count pays; 1 judges one step at a time. Also the HTTP connections it keeps to DynamoDB."
  type        = number
  default     = 8

  validation {
    condition     = var.ingest_concurrency >= 1 && var.ingest_concurrency <= 64 && floor(var.ingest_concurrency) == var.ingest_concurrency
    error_message = "ingest_concurrency must be a whole number between 1 and 64."
  }
}

variable "sweeper_schedule" {
  description = "EventBridge Scheduler expression for the sweeper (stale locks, unmatched events, LookupEvents back-fill)."
  type        = string
  default     = "rate(5 minutes)"
}

variable "posture_schedule" {
  description = "EventBridge Scheduler expression for the daily posture run (the IAM roles OIDC providers can assume, judged: oidc-trust-too-wide, oidc-role-unlisted). null turns posture off and leaves the sweeper without IAM read permissions."
  type        = string
  default     = "cron(0 6 * * ? *)"
}

variable "posture_accounts" {
  description = "Accounts whose IAM roles posture judges. Empty: this account only. Other accounts are read through lock_reader_role_name, which the statetrail-member module grants the read-only IAM calls when its enable_posture is true."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for a in var.posture_accounts : can(regex("^[0-9]{12}$", a))])
    error_message = "posture_accounts must be 12-digit account ids."
  }
}

variable "query_invoker_arns" {
  description = "IAM principals (role or account ARNs) allowed to call the query Function URL (lambda:InvokeFunctionUrl). Principals of this account can also be allowed by their own IAM policy."
  type        = list(string)
  default     = []
}

variable "query_allowed_origins" {
  description = "Browser origins allowed by the query Function URL's CORS configuration. Empty disables CORS. \"*\" is refused."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for o in var.query_allowed_origins : can(regex("^https?://[^*/]+$", o))])
    error_message = "query_allowed_origins must be explicit origins such as https://audit.example.com (no wildcard, no path)."
  }
}

# ---------------------------------------------------------------------------------------------------------------------
# Encryption
# ---------------------------------------------------------------------------------------------------------------------

variable "kms_key_deletion_window_days" {
  description = "Waiting period before the statetrail KMS key is deleted after destroy."
  type        = number
  default     = 30

  validation {
    condition     = var.kms_key_deletion_window_days >= 7 && var.kms_key_deletion_window_days <= 30
    error_message = "kms_key_deletion_window_days must be between 7 and 30."
  }
}

variable "verify_bulk_deletes" {
  description = "Let the sweeper HeadObject the known state objects of the state buckets, to name what a DeleteObjects call (whose keys CloudTrail does not log) removed. HeadObject needs s3:GetObject on them, which could also read state bodies; statetrail never does. Off: .tflock objects are still looked at, and such findings say verified false."
  type        = bool
  default     = false
}

# --- Backfill (Step Functions) ---------------------------------------------------------------------------------------

variable "backfill_trail_buckets" {
  description = "Buckets holding CloudTrail log files that the backfill state machine may read (s3:ListBucket for its Distributed Map, s3:GetObject on AWSLogs/* for its worker). null: the trail bucket of this module (trail_bucket_name or the one it creates)."
  type        = list(string)
  default     = null
}

variable "backfill_trail_kms_key_arns" {
  description = "KMS keys that encrypt log files in backfill_trail_buckets besides statetrail's own key (an organization trail's key): the worker may decrypt with them, through S3 only."
  type        = list(string)
  default     = []
}

variable "backfill_results_retention_days" {
  description = "Days the backfill executions' per-batch results (the Distributed Map's ResultWriter output) are kept."
  type        = number
  default     = 30

  validation {
    condition     = var.backfill_results_retention_days >= 1
    error_message = "backfill_results_retention_days must be at least 1."
  }
}

# Backfill: a Step Functions state machine judges the history of a trail bucket (docs/deploy.md, "Backfill").
#
#   Files    Distributed Map: lists the bucket under the execution's prefix (ItemReader s3:listObjectsV2), batches the
#            log files (ItemBatcher) and runs the backfill function per batch in Express child executions, at most
#            `concurrency` at a time. The function reads each file of the date range through the replay's reader and
#            sends its relevant records to the ingest queue, where the live ingest judges them (order- and
#            duplicate-independent: rerunning a range is harmless). Each batch's result goes to the results bucket
#            (ResultWriter); a batch that still fails after its retries is listed there, not dropped.
#   Summary  the backfill-summary function adds the results up: the execution's output is the totals and every file
#            that was not backfilled, with why.
#
# Execution input: {"bucket", "prefix", "from", "to", "concurrency", "filesPerBatch", "rate"}; `./statetrail backfill --aws`
# builds it. IAM: the worker reads the trail bucket's log files and sends to the ingest queue, nothing else.

locals {
  backfill_trail_buckets = var.backfill_trail_buckets == null ? [local.trail_bucket_name] : var.backfill_trail_buckets
  backfill_state_machine = "${var.name_prefix}-backfill"
  backfill_results_name  = "${var.name_prefix}-backfill-${local.account_id}"

  # The functions by name and alias (Lambda invokes "name:alias"), so that the definition names them plainly.
  backfill_worker  = "${var.name_prefix}-backfill:live"
  backfill_summary = "${var.name_prefix}-backfill-summary:live"
  backfill_function_arns = [
    for f in [local.backfill_worker, local.backfill_summary] : "arn:${local.partition}:lambda:${local.region}:${local.account_id}:function:${f}"
  ]

  backfill_state_machine_arn = "arn:${local.partition}:states:${local.region}:${local.account_id}:stateMachine:${local.backfill_state_machine}"
  backfill_execution_arns = [
    "arn:${local.partition}:states:${local.region}:${local.account_id}:execution:${local.backfill_state_machine}:*",
    "arn:${local.partition}:states:${local.region}:${local.account_id}:express:${local.backfill_state_machine}/*:*",
  ]

  # Errors of the Lambda service itself (throttling, a function that timed out or ran out of memory), worth another
  # try: the batch is idempotent. The function's own errors (bad input) are not retried.
  backfill_lambda_retry = [
    {
      ErrorEquals     = ["Lambda.ServiceException", "Lambda.AWSLambdaException", "Lambda.SdkClientException", "Lambda.TooManyRequestsException"]
      IntervalSeconds = 2
      MaxAttempts     = 6
      BackoffRate     = 2
      JitterStrategy  = "FULL"
    },
    {
      ErrorEquals     = ["Sandbox.Timedout", "Lambda.Unknown", "States.Timeout"]
      IntervalSeconds = 5
      MaxAttempts     = 2
      BackoffRate     = 2
    },
  ]

  backfill_definition = {
    Comment = "statetrail backfill: CloudTrail log files of a trail bucket, under a prefix and within a date range, to the ingest queue"
    StartAt = "Files"
    States = {
      Files = {
        Type = "Map"
        ItemReader = {
          Resource   = "arn:aws:states:::s3:listObjectsV2"
          Parameters = { "Bucket.$" = "$.bucket", "Prefix.$" = "$.prefix" }
        }
        ItemBatcher = {
          MaxItemsPerBatchPath  = "$.filesPerBatch"
          MaxInputBytesPerBatch = 262144
          BatchInput = {
            "bucket.$"      = "$.bucket"
            "from.$"        = "$.from"
            "to.$"          = "$.to"
            "rate.$"        = "$.rate"
            "concurrency.$" = "$.concurrency"
          }
        }
        MaxConcurrencyPath = "$.concurrency"
        # A batch that fails after its retries is listed by the summary (with its files) instead of failing the run.
        ToleratedFailurePercentage = 100
        ItemProcessor = {
          ProcessorConfig = { Mode = "DISTRIBUTED", ExecutionType = "EXPRESS" }
          StartAt         = "Backfill"
          States = {
            Backfill = {
              Type       = "Task"
              Resource   = "arn:aws:states:::lambda:invoke"
              Parameters = { FunctionName = local.backfill_worker, "Payload.$" = "$" }
              OutputPath = "$.Payload"
              # Below the Express child execution's five minutes.
              TimeoutSeconds = 280
              Retry          = local.backfill_lambda_retry
              End            = true
            }
          }
        }
        ResultWriter = {
          Resource   = "arn:aws:states:::s3:putObject"
          Parameters = { Bucket = local.backfill_results_name, Prefix = "results" }
        }
        ResultPath = "$.results"
        Next       = "Summary"
      }
      Summary = {
        Type       = "Task"
        Resource   = "arn:aws:states:::lambda:invoke"
        Parameters = { FunctionName = local.backfill_summary, "Payload.$" = "$.results" }
        OutputPath = "$.Payload"
        Retry      = local.backfill_lambda_retry
        End        = true
      }
    }
  }

  backfill_trail_key_statements = length(var.backfill_trail_kms_key_arns) == 0 ? [] : [{
    Sid       = "DecryptTrailLogFiles"
    Effect    = "Allow"
    Action    = ["kms:Decrypt"]
    Resource  = var.backfill_trail_kms_key_arns
    Condition = { StringLike = { "kms:ViaService" = "s3.*.amazonaws.com" } }
  }]

  backfill_policy = {
    Version = "2012-10-17"
    Statement = concat(
      [
        {
          Sid      = "Logs"
          Effect   = "Allow"
          Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
          Resource = "${local.log_group_arn_prefix}/aws/lambda/${var.name_prefix}-backfill:*"
        },
        {
          # Read-only, log files only: the listing is the state machine's.
          Sid      = "ReadTrailLogFiles"
          Effect   = "Allow"
          Action   = ["s3:GetObject"]
          Resource = [for b in local.backfill_trail_buckets : "arn:${local.partition}:s3:::${b}/AWSLogs/*"]
        },
        {
          # Send-only (SendMessageBatch is authorised as SendMessage).
          Sid      = "SendToIngestQueue"
          Effect   = "Allow"
          Action   = ["sqs:SendMessage"]
          Resource = aws_sqs_queue.events.arn
        },
        # The log files (the trail's) and the queue are encrypted with statetrail's key.
        local.kms_statement,
      ],
      local.backfill_trail_key_statements,
      # What is relevant depends on the policy (the state objects and lock tables it names).
      local.policy_read_statements,
      local.extra_key_statements,
    )
  }

  backfill_summary_policy = {
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "Logs"
        Effect   = "Allow"
        Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
        Resource = "${local.log_group_arn_prefix}/aws/lambda/${var.name_prefix}-backfill-summary:*"
      },
      {
        Sid      = "ReadBackfillResults"
        Effect   = "Allow"
        Action   = ["s3:GetObject"]
        Resource = "${aws_s3_bucket.backfill.arn}/results/*"
      },
      {
        Sid      = "StatetrailKey"
        Effect   = "Allow"
        Action   = ["kms:Decrypt"]
        Resource = aws_kms_key.this.arn
      },
    ]
  }

  backfill_state_machine_policy = {
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "InvokeBackfillFunctions"
        Effect   = "Allow"
        Action   = ["lambda:InvokeFunction"]
        Resource = local.backfill_function_arns
      },
      {
        # The Distributed Map's ItemReader lists the log files.
        Sid      = "ListTrailBuckets"
        Effect   = "Allow"
        Action   = ["s3:ListBucket"]
        Resource = [for b in local.backfill_trail_buckets : "arn:${local.partition}:s3:::${b}"]
      },
      {
        # ResultWriter: one result file per batch group, and a manifest.
        Sid      = "WriteBackfillResults"
        Effect   = "Allow"
        Action   = ["s3:AbortMultipartUpload", "s3:GetObject", "s3:ListMultipartUploadParts", "s3:PutObject"]
        Resource = "${aws_s3_bucket.backfill.arn}/results/*"
      },
      {
        # A Distributed Map starts and follows its child executions.
        Sid      = "RunChildExecutions"
        Effect   = "Allow"
        Action   = ["states:StartExecution"]
        Resource = local.backfill_state_machine_arn
      },
      {
        Sid      = "FollowChildExecutions"
        Effect   = "Allow"
        Action   = ["states:DescribeExecution", "states:StopExecution"]
        Resource = local.backfill_execution_arns
      },
      {
        Sid      = "StatetrailKey"
        Effect   = "Allow"
        Action   = ["kms:Decrypt", "kms:GenerateDataKey"]
        Resource = aws_kms_key.this.arn
      },
    ]
  }
}

# --- Results bucket (ResultWriter), encrypted, private, expiring ----------------------------------------------------

resource "aws_s3_bucket" "backfill" {
  bucket        = local.backfill_results_name
  force_destroy = true
  tags          = local.tags
}

resource "aws_s3_bucket_public_access_block" "backfill" {
  bucket                  = aws_s3_bucket.backfill.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "backfill" {
  bucket = aws_s3_bucket.backfill.id
  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "backfill" {
  bucket = aws_s3_bucket.backfill.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.this.arn
    }
    bucket_key_enabled = true
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "backfill" {
  bucket = aws_s3_bucket.backfill.id
  rule {
    id     = "expire-backfill-results"
    status = "Enabled"
    filter {}
    expiration {
      days = var.backfill_results_retention_days
    }
    abort_incomplete_multipart_upload {
      days_after_initiation = 1
    }
  }
}

resource "aws_s3_bucket_policy" "backfill" {
  bucket = aws_s3_bucket.backfill.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "DenyInsecureTransport"
      Effect    = "Deny"
      Principal = { AWS = "*" }
      Action    = "s3:*"
      Resource  = [aws_s3_bucket.backfill.arn, "${aws_s3_bucket.backfill.arn}/*"]
      Condition = { Bool = { "aws:SecureTransport" = "false" } }
    }]
  })
}

# --- The functions' and the state machine's roles ------------------------------------------------------------------

resource "aws_iam_role_policy" "backfill" {
  name   = "statetrail-backfill"
  role   = aws_iam_role.function["backfill"].id
  policy = jsonencode(local.backfill_policy)
}

resource "aws_iam_role_policy" "backfill_summary" {
  name   = "statetrail-backfill-summary"
  role   = aws_iam_role.function["backfill-summary"].id
  policy = jsonencode(local.backfill_summary_policy)
}

resource "aws_iam_role" "backfill_state_machine" {
  name        = "${var.name_prefix}-backfill-state-machine"
  description = "statetrail backfill state machine"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "states.amazonaws.com" }
      Action    = "sts:AssumeRole"
      Condition = { StringEquals = { "aws:SourceAccount" = local.account_id } }
    }]
  })
  tags = local.tags
}

resource "aws_iam_role_policy" "backfill_state_machine" {
  name   = "statetrail-backfill-state-machine"
  role   = aws_iam_role.backfill_state_machine.id
  policy = jsonencode(local.backfill_state_machine_policy)
}

# --- The state machine ---------------------------------------------------------------------------------------------

resource "aws_sfn_state_machine" "backfill" {
  name       = local.backfill_state_machine
  type       = "STANDARD"
  role_arn   = aws_iam_role.backfill_state_machine.arn
  definition = jsonencode(local.backfill_definition)
  tags       = local.tags

  # Execution data (inputs, outputs, the batches' file names) encrypted with statetrail's key.
  encryption_configuration {
    type                              = "CUSTOMER_MANAGED_KMS_KEY"
    kms_key_id                        = aws_kms_key.this.arn
    kms_data_key_reuse_period_seconds = 300
  }

  depends_on = [aws_iam_role_policy.backfill_state_machine, aws_lambda_alias.live]
}

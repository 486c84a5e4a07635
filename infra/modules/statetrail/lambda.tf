# Four functions from two shaded jars (local.functions: ingest, lock-stream and sweeper from lambda_jar_path, query from
# query_jar_path). SnapStart works on published versions only, so every trigger invokes the
# `live` alias, which follows the latest published version.

resource "aws_cloudwatch_log_group" "function" {
  for_each = local.functions

  name              = "/aws/lambda/${var.name_prefix}-${each.key}"
  retention_in_days = var.log_retention_days
  kms_key_id        = aws_kms_key.this.arn
  tags              = local.tags
}

resource "aws_lambda_function" "this" {
  for_each = local.functions

  function_name     = "${var.name_prefix}-${each.key}"
  description       = each.value.description
  role              = aws_iam_role.function[each.key].arn
  runtime           = "java21"
  architectures     = ["arm64"]
  handler           = each.value.handler
  filename          = local.code_in_s3 ? null : each.value.jar
  source_code_hash  = local.code_in_s3 ? null : filebase64sha256(each.value.jar)
  s3_bucket         = local.code_in_s3 ? var.lambda_s3_bucket : null
  s3_key            = local.code_in_s3 ? each.value.s3_key : null
  s3_object_version = local.code_in_s3 ? each.value.s3_version : null
  memory_size       = var.lambda_memory_mb
  timeout           = each.value.timeout
  publish           = true
  kms_key_arn       = aws_kms_key.this.arn
  tags              = local.tags

  snap_start {
    apply_on = "PublishedVersions"
  }

  environment {
    variables = local.function_environment
  }

  logging_config {
    # Text: the functions write CloudWatch Embedded Metric Format lines to stdout, which must stay raw JSON.
    log_format = "Text"
    log_group  = aws_cloudwatch_log_group.function[each.key].name
  }

  depends_on = [
    aws_iam_role_policy.ingest,
    aws_iam_role_policy.lock_stream,
    aws_iam_role_policy.sweeper,
    aws_iam_role_policy.query,
    aws_iam_role_policy.backfill,
    aws_iam_role_policy.backfill_summary,
  ]

  lifecycle {
    precondition {
      condition     = local.policy_location != null
      error_message = "Set policy_yaml or policy_location: the functions need a policy."
    }
    precondition {
      condition     = !local.code_in_s3 || (var.lambda_s3_key != null && var.query_s3_key != null)
      error_message = "With lambda_s3_bucket, set lambda_s3_key and query_s3_key: the keys of the release's two Lambda jars."
    }
  }
}

resource "aws_lambda_alias" "live" {
  for_each = local.functions

  name             = "live"
  description      = "Latest published version (SnapStart)"
  function_name    = aws_lambda_function.this[each.key].function_name
  function_version = aws_lambda_function.this[each.key].version
}

# --- ingest: SQS -> function, partial batch failures -----------------------------------------------------------------

resource "aws_lambda_event_source_mapping" "ingest" {
  event_source_arn                   = aws_sqs_queue.events.arn
  function_name                      = aws_lambda_alias.live["ingest"].arn
  batch_size                         = var.ingest_batch_size
  maximum_batching_window_in_seconds = 5
  function_response_types            = ["ReportBatchItemFailures"]

  scaling_config {
    maximum_concurrency = var.ingest_max_concurrency
  }
}

# --- lock-stream: DynamoDB streams of the lock tables (same account and region only) -------------------------------

resource "aws_lambda_event_source_mapping" "lock_stream" {
  for_each = toset(local.lock_stream_arns)

  event_source_arn                   = each.value
  function_name                      = aws_lambda_alias.live["lock-stream"].arn
  starting_position                  = "LATEST"
  batch_size                         = 100
  maximum_batching_window_in_seconds = 5
  maximum_retry_attempts             = 5
  maximum_record_age_in_seconds      = 3600
  bisect_batch_on_function_error     = true
}

# --- sweeper: EventBridge Scheduler ----------------------------------------------------------------------------------

resource "aws_scheduler_schedule" "sweeper" {
  name                = "${var.name_prefix}-sweeper"
  description         = "statetrail sweeper"
  schedule_expression = var.sweeper_schedule

  flexible_time_window {
    mode = "OFF"
  }

  target {
    arn      = aws_lambda_alias.live["sweeper"].arn
    role_arn = aws_iam_role.scheduler.arn
    input    = jsonencode({ source = "statetrail.scheduler" })

    retry_policy {
      maximum_event_age_in_seconds = 240
      maximum_retry_attempts       = 1
    }
  }
}

# --- sweeper, once a day: posture (the IAM roles that exist, judged) ------------------------------------------------

resource "aws_scheduler_schedule" "posture" {
  count = var.posture_schedule == null ? 0 : 1

  name                = "${var.name_prefix}-posture"
  description         = "statetrail posture: the IAM roles OIDC providers can assume, judged once a day"
  schedule_expression = var.posture_schedule

  flexible_time_window {
    mode = "OFF"
  }

  target {
    arn      = aws_lambda_alias.live["sweeper"].arn
    role_arn = aws_iam_role.scheduler.arn
    input    = jsonencode({ source = "statetrail.scheduler", task = "posture" })

    retry_policy {
      maximum_event_age_in_seconds = 3600
      maximum_retry_attempts       = 2
    }
  }
}

# --- query: Function URL with AWS_IAM auth ---------------------------------------------------------------------------

resource "aws_lambda_function_url" "query" {
  function_name      = aws_lambda_function.this["query"].function_name
  qualifier          = aws_lambda_alias.live["query"].name
  authorization_type = "AWS_IAM"

  dynamic "cors" {
    for_each = length(var.query_allowed_origins) > 0 ? [1] : []
    content {
      allow_origins  = var.query_allowed_origins
      allow_methods  = ["GET"]
      allow_headers  = ["authorization", "content-type", "x-amz-date", "x-amz-security-token", "x-amz-content-sha256"]
      expose_headers = ["content-type"]
      max_age        = 300
    }
  }
}

resource "aws_lambda_permission" "query_url" {
  for_each = toset(var.query_invoker_arns)

  statement_id_prefix    = "query-url-"
  action                 = "lambda:InvokeFunctionUrl"
  function_name          = aws_lambda_function.this["query"].function_name
  qualifier              = aws_lambda_alias.live["query"].name
  principal              = each.value
  function_url_auth_type = "AWS_IAM"
}

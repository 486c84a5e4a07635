# Alarms about statetrail itself, and a dashboard of its metrics. The functions publish their metrics as CloudWatch
# Embedded Metric Format log lines: namespace "statetrail", metrics EventsIn, Findings (dimension "type"),
# Duplicates, Malformed, AlertFailures.

locals {
  alarm_topic_arn  = var.alarm_topic_arn == null ? aws_sns_topic.alerts.arn : var.alarm_topic_arn
  alarm_actions    = [local.alarm_topic_arn]
  metric_namespace = "statetrail"

  function_names = [for k, v in local.functions : "${var.name_prefix}-${k}"]
}

resource "aws_cloudwatch_metric_alarm" "dlq_not_empty" {
  alarm_name          = "${var.name_prefix}-dlq-not-empty"
  alarm_description   = "Events that EventBridge could not deliver, or that ingest failed 5 times, wait in ${aws_sqs_queue.dlq.name}. Fix the cause, then redrive them to ${aws_sqs_queue.events.name}."
  namespace           = "AWS/SQS"
  metric_name         = "ApproximateNumberOfMessagesVisible"
  dimensions          = { QueueName = aws_sqs_queue.dlq.name }
  statistic           = "Maximum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
  tags                = local.tags
}

resource "aws_cloudwatch_metric_alarm" "queue_age" {
  alarm_name          = "${var.name_prefix}-events-backlog"
  alarm_description   = "The oldest event in ${aws_sqs_queue.events.name} is older than 15 minutes: ingest is failing or throttled."
  namespace           = "AWS/SQS"
  metric_name         = "ApproximateAgeOfOldestMessage"
  dimensions          = { QueueName = aws_sqs_queue.events.name }
  statistic           = "Maximum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 900
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
  tags                = local.tags
}

resource "aws_cloudwatch_metric_alarm" "function_errors" {
  for_each = local.functions

  alarm_name          = "${var.name_prefix}-${each.key}-errors"
  alarm_description   = "The ${each.key} function failed (uncaught errors or timeouts). See log group /aws/lambda/${var.name_prefix}-${each.key}."
  namespace           = "AWS/Lambda"
  metric_name         = "Errors"
  dimensions          = { FunctionName = aws_lambda_function.this[each.key].function_name }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
  tags                = local.tags
}

resource "aws_cloudwatch_metric_alarm" "function_throttles" {
  for_each = local.functions

  alarm_name          = "${var.name_prefix}-${each.key}-throttles"
  alarm_description   = "The ${each.key} function was throttled: raise the account's concurrency or lower ingest_max_concurrency elsewhere."
  namespace           = "AWS/Lambda"
  metric_name         = "Throttles"
  dimensions          = { FunctionName = aws_lambda_function.this[each.key].function_name }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
  tags                = local.tags
}

resource "aws_cloudwatch_metric_alarm" "alert_failures" {
  alarm_name          = "${var.name_prefix}-alert-failures"
  alarm_description   = "statetrail could not deliver an alert (Slack webhook or SNS publish failed: metric AlertFailures)."
  namespace           = local.metric_namespace
  metric_name         = "AlertFailures"
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
  tags                = local.tags
}

resource "aws_cloudwatch_metric_alarm" "sns_delivery_failures" {
  alarm_name          = "${var.name_prefix}-sns-delivery-failures"
  alarm_description   = "SNS could not deliver statetrail alerts to a subscription of ${aws_sns_topic.alerts.name}."
  namespace           = "AWS/SNS"
  metric_name         = "NumberOfNotificationsFailed"
  dimensions          = { TopicName = aws_sns_topic.alerts.name }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
  tags                = local.tags
}

resource "aws_cloudwatch_metric_alarm" "malformed_events" {
  alarm_name          = "${var.name_prefix}-malformed-events"
  alarm_description   = "statetrail received events it could not parse (metric Malformed): check the ingest log group."
  namespace           = local.metric_namespace
  metric_name         = "Malformed"
  statistic           = "Sum"
  period              = 3600
  evaluation_periods  = 1
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
  tags                = local.tags
}

resource "aws_cloudwatch_dashboard" "this" {
  dashboard_name = local.dashboard_name
  dashboard_body = jsonencode({
    widgets = [
      {
        type   = "text"
        x      = 0
        y      = 0
        width  = 24
        height = 2
        properties = {
          markdown = "## statetrail\nGitHub OIDC sessions -> Terraform state and locks. Audit table `${aws_dynamodb_table.audit.name}`, alerts `${aws_sns_topic.alerts.name}`."
        }
      },
      {
        type   = "metric"
        x      = 0
        y      = 2
        width  = 8
        height = 6
        properties = {
          title   = "Events in"
          region  = local.region
          stat    = "Sum"
          period  = 300
          view    = "timeSeries"
          metrics = [[local.metric_namespace, "EventsIn"], [local.metric_namespace, "Duplicates"], [local.metric_namespace, "Malformed"]]
        }
      },
      {
        type   = "metric"
        x      = 8
        y      = 2
        width  = 8
        height = 6
        properties = {
          title   = "Findings by type"
          region  = local.region
          stat    = "Sum"
          period  = 300
          view    = "timeSeries"
          stacked = true
          metrics = [[{ expression = "SEARCH('{${local.metric_namespace},type} MetricName=\"Findings\"', 'Sum', 300)", id = "findings", label = "" }]]
        }
      },
      {
        type   = "metric"
        x      = 16
        y      = 2
        width  = 8
        height = 6
        properties = {
          title   = "Alert delivery"
          region  = local.region
          stat    = "Sum"
          period  = 300
          view    = "timeSeries"
          metrics = [[local.metric_namespace, "AlertFailures"], ["AWS/SNS", "NumberOfNotificationsFailed", "TopicName", aws_sns_topic.alerts.name], ["AWS/SNS", "NumberOfNotificationsDelivered", "TopicName", aws_sns_topic.alerts.name]]
        }
      },
      {
        type   = "metric"
        x      = 0
        y      = 8
        width  = 8
        height = 6
        properties = {
          title   = "Function errors and throttles"
          region  = local.region
          stat    = "Sum"
          period  = 300
          view    = "timeSeries"
          metrics = concat([for n in local.function_names : ["AWS/Lambda", "Errors", "FunctionName", n]], [for n in local.function_names : ["AWS/Lambda", "Throttles", "FunctionName", n]])
        }
      },
      {
        type   = "metric"
        x      = 8
        y      = 8
        width  = 8
        height = 6
        properties = {
          title   = "Function duration (p99)"
          region  = local.region
          stat    = "p99"
          period  = 300
          view    = "timeSeries"
          metrics = [for n in local.function_names : ["AWS/Lambda", "Duration", "FunctionName", n]]
        }
      },
      {
        type   = "metric"
        x      = 16
        y      = 8
        width  = 8
        height = 6
        properties = {
          title   = "Queues"
          region  = local.region
          stat    = "Maximum"
          period  = 300
          view    = "timeSeries"
          metrics = [["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", aws_sqs_queue.events.name], ["AWS/SQS", "ApproximateAgeOfOldestMessage", "QueueName", aws_sqs_queue.events.name, { yAxis = "right" }], ["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", aws_sqs_queue.dlq.name]]
        }
      },
    ]
  })
}

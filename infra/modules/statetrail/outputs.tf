output "audit_table_name" {
  description = "Name of the DynamoDB audit table (STATETRAIL_TABLE)."
  value       = aws_dynamodb_table.audit.name
}

output "analyst_policy_arn" {
  description = "Managed policy for analysts who run ./statetrail serve, query and findings --aws: read-only on the audit table (docs/incident-review.md)."
  value       = aws_iam_policy.analyst.arn
}

output "analyst_policy_json" {
  description = "The analyst policy's document, for a permission set or a role managed elsewhere."
  value       = aws_iam_policy.analyst.policy
}

output "audit_table_arn" {
  description = "ARN of the DynamoDB audit table."
  value       = aws_dynamodb_table.audit.arn
}

output "kms_key_arn" {
  description = "ARN of the customer managed KMS key that encrypts statetrail's table, queues, topic, secret, logs and trail."
  value       = aws_kms_key.this.arn
}

output "events_queue_arn" {
  description = "ARN of the SQS queue the EventBridge rules deliver to."
  value       = aws_sqs_queue.events.arn
}

output "events_queue_url" {
  description = "URL of the SQS queue the EventBridge rules deliver to."
  value       = aws_sqs_queue.events.url
}

output "dead_letter_queue_arn" {
  description = "ARN of the dead-letter queue (undeliverable events and messages that failed processing 5 times)."
  value       = aws_sqs_queue.dlq.arn
}

output "dead_letter_queue_url" {
  description = "URL of the dead-letter queue (redrive it to the events queue after fixing the cause)."
  value       = aws_sqs_queue.dlq.url
}

output "alert_topic_arn" {
  description = "ARN of the SNS alert topic (STATETRAIL_TOPIC_ARN)."
  value       = aws_sns_topic.alerts.arn
}

output "slack_webhook_secret_arn" {
  description = "ARN of the Secrets Manager secret holding the Slack webhook URL (STATETRAIL_SLACK_SECRET_ARN)."
  value       = local.slack_secret_arn
}

output "policy_location" {
  description = "Where the functions read the policy from (STATETRAIL_POLICY)."
  value       = local.policy_location
}

output "function_names" {
  description = "Function names by role: ingest, lock-stream, sweeper, query, backfill, backfill-summary."
  value       = { for k, f in aws_lambda_function.this : k => f.function_name }
}

output "function_alias_arns" {
  description = "ARNs of the `live` aliases (SnapStart versions) by function."
  value       = { for k, a in aws_lambda_alias.live : k => a.arn }
}

output "function_role_arns" {
  description = "ARNs of the functions' IAM roles by function. Member accounts' lock-reader roles trust the ingest and sweeper roles."
  value       = { for k, r in aws_iam_role.function : k => r.arn }
}

output "query_function_url" {
  description = "URL of the query API (AWS_IAM auth: sign requests with SigV4, service \"lambda\")."
  value       = aws_lambda_function_url.query.function_url
}

output "event_rule_arns" {
  description = "ARNs of the EventBridge rules, default bus and central bus."
  value       = local.rule_arns
}

output "event_patterns" {
  description = "The EventBridge event patterns by rule (JSON), for reuse in forwarding rules."
  value       = local.event_patterns
}

output "central_event_bus_arn" {
  description = "ARN of the central event bus that member accounts forward to (null without create_central_event_bus)."
  value       = var.create_central_event_bus ? aws_cloudwatch_event_bus.central[0].arn : null
}

output "trail_arn" {
  description = "ARN of the trail created by the module (null with create_trail = false)."
  value       = var.create_trail ? aws_cloudtrail.this[0].arn : null
}

output "trail_bucket_name" {
  description = "Bucket receiving the created trail's log files (null with create_trail = false)."
  value       = var.create_trail ? local.trail_bucket_name : null
}

output "data_event_selectors" {
  description = "Advanced event selectors (CloudTrail API shape) that log the state objects and lock tables. Add them to an existing trail when create_trail = false."
  value = [
    for s in local.data_event_selectors : {
      Name = s.name
      FieldSelectors = [
        for f in s.field_selectors : {
          Field      = f.field
          Equals     = lookup(f, "equals", null)
          StartsWith = lookup(f, "starts_with", null)
        }
      ]
    }
  ]
}

output "dashboard_url" {
  description = "URL of the CloudWatch dashboard (STATETRAIL_DASHBOARD_URL)."
  value       = local.dashboard_url
}

output "backfill_state_machine_arn" {
  description = "ARN of the backfill state machine (./statetrail backfill --aws --state-machine ARN)."
  value       = aws_sfn_state_machine.backfill.arn
}

output "backfill_results_bucket" {
  description = "Bucket where the backfill's Distributed Map writes each batch's result (kept backfill_results_retention_days)."
  value       = aws_s3_bucket.backfill.bucket
}

output "lock_reader_role_arn" {
  description = "ARN of the lock-reader role (null when not created here)."
  value       = var.create_lock_reader_role ? aws_iam_role.lock_reader[0].arn : null
}

output "forwarding_rule_arns" {
  description = "ARNs of the forwarding rules in this account and region."
  value       = local.rule_arns
}

output "event_patterns" {
  description = "The forwarded event patterns by rule (JSON); identical to the statetrail module's."
  value       = merge({ sts = local.sts_event_pattern }, local.forwarded_patterns)
}

output "forward_dead_letter_queue_arn" {
  description = "ARN of the dead-letter queue of undeliverable forwarded events (null without forwarding rules)."
  value       = var.create_forwarding_rules ? aws_sqs_queue.forward_dlq[0].arn : null
}

output "data_event_trail_arn" {
  description = "ARN of the data-event trail (null unless create_data_event_trail)."
  value       = var.create_data_event_trail ? aws_cloudtrail.data_events[0].arn : null
}

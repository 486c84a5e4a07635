output "sts_event_pattern" {
  description = "Pattern (JSON) of STS role assumptions by anything but an AWS service: its rule needs state ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS."
  value       = local.sts_event_pattern
}

output "data_event_patterns" {
  description = "The other patterns (JSON) by rule name: iam (with match_iam_events), state-objects (with state buckets), lock-tables (with lock tables)."
  value       = local.data_event_patterns
}

output "event_patterns" {
  description = "Every pattern (JSON) by rule name: sts and the data_event_patterns."
  value       = local.event_patterns
}

output "data_event_selectors" {
  description = "Advanced event selectors ({ name, field_selectors = [{ field, equals | starts_with }] }) that log the state objects and lock tables: none for an empty list."
  value       = local.data_event_selectors
}

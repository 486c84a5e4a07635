output "central_event_bus_arn" {
  description = "The bus member accounts forward to."
  value       = module.statetrail.central_event_bus_arn
}

output "slack_webhook_secret_arn" {
  description = "Put the Slack webhook URL in this secret (docs/deploy.md, step 5)."
  value       = module.statetrail.slack_webhook_secret_arn
}

output "dashboard_url" {
  description = "CloudWatch dashboard."
  value       = module.statetrail.dashboard_url
}

output "query_function_url" {
  description = "Query API (AWS_IAM auth)."
  value       = module.statetrail.query_function_url
}

output "analyst_policy_arn" {
  description = "Attach to the role or permission set of the people who run ./statetrail serve --aws (read-only)."
  value       = module.statetrail.analyst_policy_arn
}

output "audit_table_name" {
  description = "The table ./statetrail serve, query and findings --aws read (--table)."
  value       = module.statetrail.audit_table_name
}

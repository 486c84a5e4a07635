output "slack_webhook_secret_arn" {
  description = "Put the Slack webhook URL in this secret (docs/deploy.md, step 5)."
  value       = module.statetrail.slack_webhook_secret_arn
}

output "query_function_url" {
  description = "Query API (AWS_IAM auth)."
  value       = module.statetrail.query_function_url
}

output "dashboard_url" {
  description = "CloudWatch dashboard."
  value       = module.statetrail.dashboard_url
}

output "data_event_selectors" {
  description = "Selectors to add to an existing trail when create_trail = false."
  value       = module.statetrail.data_event_selectors
}

output "analyst_policy_arn" {
  description = "Attach to the role or permission set of the people who run ./statetrail serve --aws (read-only)."
  value       = module.statetrail.analyst_policy_arn
}

output "audit_table_name" {
  description = "The table ./statetrail serve, query and findings --aws read (--table)."
  value       = module.statetrail.audit_table_name
}

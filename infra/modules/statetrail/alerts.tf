# Alert channels (SNS topic, Slack webhook secret) and the policy document.

resource "aws_sns_topic" "alerts" {
  name              = "${var.name_prefix}-alerts"
  kms_master_key_id = aws_kms_key.this.arn
  tags              = local.tags
}

resource "aws_sns_topic_subscription" "alerts" {
  for_each = { for s in var.sns_subscriptions : format("%s:%s", s.protocol, s.endpoint) => s }

  topic_arn            = aws_sns_topic.alerts.arn
  protocol             = each.value.protocol
  endpoint             = each.value.endpoint
  raw_message_delivery = each.value.raw_message_delivery
}

resource "aws_secretsmanager_secret" "slack" {
  count = var.slack_webhook_secret_arn == null ? 1 : 0

  name                    = "${var.name_prefix}/slack-webhook"
  description             = "Slack incoming-webhook URL for statetrail alerts (SecretString = the URL)."
  kms_key_id              = aws_kms_key.this.arn
  recovery_window_in_days = 7
  tags                    = local.tags
}

resource "aws_secretsmanager_secret_version" "slack" {
  count = var.slack_webhook_secret_arn == null && var.slack_webhook_url != null ? 1 : 0

  secret_id     = aws_secretsmanager_secret.slack[0].id
  secret_string = var.slack_webhook_url
}

resource "aws_ssm_parameter" "policy" {
  count = var.policy_yaml != null ? 1 : 0

  name        = local.policy_parameter_name
  description = "statetrail policy (YAML)"
  type        = "SecureString"
  key_id      = aws_kms_key.this.arn
  tier        = length(var.policy_yaml) > 4096 ? "Advanced" : "Standard"
  value       = var.policy_yaml
  tags        = local.tags

  lifecycle {
    precondition {
      condition     = var.policy_location == null
      error_message = "Set only one of policy_yaml and policy_location."
    }
  }
}

# Forwarding rules: this account's default bus -> the central bus (cross-account, possibly cross-region).
# Events EventBridge cannot deliver wait in an encrypted dead-letter queue in this account.

resource "aws_iam_role" "forwarder" {
  count = var.create_forwarding_rules ? 1 : 0

  name        = "${var.name_prefix}-forwarder-${local.region}"
  description = "EventBridge: forward statetrail events to the central bus"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "events.amazonaws.com" }
      Action    = "sts:AssumeRole"
      Condition = { StringEquals = { "aws:SourceAccount" = local.account_id } }
    }]
  })
  tags = local.tags
}

resource "aws_iam_role_policy" "forwarder" {
  count = var.create_forwarding_rules ? 1 : 0

  name = "put-events-on-central-bus"
  role = aws_iam_role.forwarder[0].id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid      = "PutEventsOnCentralBus"
      Effect   = "Allow"
      Action   = ["events:PutEvents"]
      Resource = var.central_event_bus_arn
    }]
  })
}

resource "aws_sqs_queue" "forward_dlq" {
  count = var.create_forwarding_rules ? 1 : 0

  name                      = "${var.name_prefix}-forward-dlq"
  sqs_managed_sse_enabled   = true
  message_retention_seconds = 1209600
  tags                      = local.tags
}

resource "aws_sqs_queue_policy" "forward_dlq" {
  count = var.create_forwarding_rules ? 1 : 0

  queue_url = aws_sqs_queue.forward_dlq[0].id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "EventBridgeUndeliverableEvents"
        Effect    = "Allow"
        Principal = { Service = "events.amazonaws.com" }
        Action    = "sqs:SendMessage"
        Resource  = aws_sqs_queue.forward_dlq[0].arn
        Condition = { ArnEquals = { "aws:SourceArn" = local.rule_arns } }
      },
      {
        Sid       = "DenyInsecureTransport"
        Effect    = "Deny"
        Principal = { AWS = "*" }
        Action    = "sqs:*"
        Resource  = aws_sqs_queue.forward_dlq[0].arn
        Condition = { Bool = { "aws:SecureTransport" = "false" } }
      },
    ]
  })
}

# Role assumptions are read-only management events: this rule must opt in to receive them.
resource "aws_cloudwatch_event_rule" "forward_sts" {
  count = var.create_forwarding_rules ? 1 : 0

  name           = "${var.name_prefix}-forward-sts"
  description    = "statetrail: forward STS role assumptions to the central bus"
  event_bus_name = "default"
  event_pattern  = local.sts_event_pattern
  state          = "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS"
  tags           = local.tags
}

resource "aws_cloudwatch_event_target" "forward_sts" {
  count = var.create_forwarding_rules ? 1 : 0

  rule           = aws_cloudwatch_event_rule.forward_sts[0].name
  event_bus_name = "default"
  target_id      = "statetrail-central-bus"
  arn            = var.central_event_bus_arn
  role_arn       = aws_iam_role.forwarder[0].arn

  dead_letter_config {
    arn = aws_sqs_queue.forward_dlq[0].arn
  }
}

resource "aws_cloudwatch_event_rule" "forward" {
  for_each = local.forwarded_patterns

  name           = "${var.name_prefix}-forward-${each.key}"
  description    = "statetrail: forward ${each.key} events to the central bus"
  event_bus_name = "default"
  event_pattern  = each.value
  state          = "ENABLED"
  tags           = local.tags
}

resource "aws_cloudwatch_event_target" "forward" {
  for_each = local.forwarded_patterns

  rule           = aws_cloudwatch_event_rule.forward[each.key].name
  event_bus_name = "default"
  target_id      = "statetrail-central-bus"
  arn            = var.central_event_bus_arn
  role_arn       = aws_iam_role.forwarder[0].arn

  dead_letter_config {
    arn = aws_sqs_queue.forward_dlq[0].arn
  }
}

# EventBridge rules -> encrypted SQS queue (-> ingest function); undeliverable events and messages that failed
# processing 5 times land in the encrypted dead-letter queue.
#
# The patterns come from the statetrail-events module, built from this module's inputs; tests in
# functions/infra-check evaluate them with AWS's event-ruler against the sample events in events/.

locals {
  # The patterns are declared once, in the statetrail-events module (main.tf), for this module and statetrail-member.
  sts_event_pattern   = module.events.sts_event_pattern
  data_event_patterns = module.events.data_event_patterns
  event_patterns      = module.events.event_patterns

  rule_descriptions = {
    sts           = "statetrail: STS role assumptions (OIDC and chained)"
    iam           = "statetrail: IAM role trust and OIDC provider changes"
    state-objects = "statetrail: S3 object events on the Terraform state buckets"
    lock-tables   = "statetrail: DynamoDB item events on the Terraform lock tables"
  }

  central_event_patterns = var.create_central_event_bus ? local.event_patterns : {}
  central_event_bus_arn  = "arn:${local.partition}:events:${local.region}:${local.account_id}:event-bus/${local.central_event_bus_name}"

  bus_organization_statements = var.organization_id == null ? [] : [{
    Sid       = "OrganizationMembersPutEvents"
    Effect    = "Allow"
    Principal = { AWS = "*" }
    Action    = "events:PutEvents"
    Resource  = local.central_event_bus_arn
    Condition = { StringEquals = { "aws:PrincipalOrgID" = var.organization_id } }
  }]
  bus_member_statements = length(var.member_account_ids) == 0 ? [] : [{
    Sid       = "MemberAccountsPutEvents"
    Effect    = "Allow"
    Principal = { AWS = [for a in var.member_account_ids : "arn:${local.partition}:iam::${a}:root"] }
    Action    = "events:PutEvents"
    Resource  = local.central_event_bus_arn
  }]

  rule_arns = concat(
    [for k, v in local.event_patterns : "arn:${local.partition}:events:${local.region}:${local.account_id}:rule/${var.name_prefix}-${k}"],
    [for k, v in local.central_event_patterns : "arn:${local.partition}:events:${local.region}:${local.account_id}:rule/${local.central_event_bus_name}/${var.name_prefix}-${k}"],
  )
}

# --- Queues ----------------------------------------------------------------------------------------------------------

resource "aws_sqs_queue" "dlq" {
  name                      = "${var.name_prefix}-events-dlq"
  kms_master_key_id         = aws_kms_key.this.arn
  message_retention_seconds = 1209600
  tags                      = local.tags
}

resource "aws_sqs_queue" "events" {
  name                       = "${var.name_prefix}-events"
  kms_master_key_id          = aws_kms_key.this.arn
  visibility_timeout_seconds = 6 * local.functions["ingest"].timeout
  message_retention_seconds  = 345600
  receive_wait_time_seconds  = 20
  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.dlq.arn
    maxReceiveCount     = 5
  })
  tags = local.tags
}

resource "aws_sqs_queue_redrive_allow_policy" "dlq" {
  queue_url = aws_sqs_queue.dlq.id
  redrive_allow_policy = jsonencode({
    redrivePermission = "byQueue"
    sourceQueueArns   = [aws_sqs_queue.events.arn]
  })
}

resource "aws_sqs_queue_policy" "events" {
  queue_url = aws_sqs_queue.events.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "EventBridgeRules"
        Effect    = "Allow"
        Principal = { Service = "events.amazonaws.com" }
        Action    = "sqs:SendMessage"
        Resource  = aws_sqs_queue.events.arn
        Condition = { ArnEquals = { "aws:SourceArn" = local.rule_arns } }
      },
      {
        Sid       = "DenyInsecureTransport"
        Effect    = "Deny"
        Principal = { AWS = "*" }
        Action    = "sqs:*"
        Resource  = aws_sqs_queue.events.arn
        Condition = { Bool = { "aws:SecureTransport" = "false" } }
      },
    ]
  })
}

resource "aws_sqs_queue_policy" "dlq" {
  queue_url = aws_sqs_queue.dlq.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "EventBridgeUndeliverableEvents"
        Effect    = "Allow"
        Principal = { Service = "events.amazonaws.com" }
        Action    = "sqs:SendMessage"
        Resource  = aws_sqs_queue.dlq.arn
        Condition = { ArnEquals = { "aws:SourceArn" = local.rule_arns } }
      },
      {
        Sid       = "DenyInsecureTransport"
        Effect    = "Deny"
        Principal = { AWS = "*" }
        Action    = "sqs:*"
        Resource  = aws_sqs_queue.dlq.arn
        Condition = { Bool = { "aws:SecureTransport" = "false" } }
      },
    ]
  })
}

# --- Central bus (organization) --------------------------------------------------------------------------------------

resource "aws_cloudwatch_event_bus" "central" {
  count = var.create_central_event_bus ? 1 : 0

  name = local.central_event_bus_name
  tags = local.tags
}

resource "aws_cloudwatch_event_bus_policy" "central" {
  count = var.create_central_event_bus ? 1 : 0

  event_bus_name = aws_cloudwatch_event_bus.central[0].name
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = concat(local.bus_organization_statements, local.bus_member_statements)
  })

  lifecycle {
    precondition {
      condition     = var.organization_id != null || length(var.member_account_ids) > 0
      error_message = "create_central_event_bus needs organization_id or member_account_ids: nobody could put events on the bus."
    }
  }
}

# --- Rules and targets -----------------------------------------------------------------------------------------------

# Role assumptions are read-only management events: without ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS the rule
# would not be guaranteed to receive them.
resource "aws_cloudwatch_event_rule" "sts" {
  name           = "${var.name_prefix}-sts"
  description    = local.rule_descriptions["sts"]
  event_bus_name = "default"
  event_pattern  = local.sts_event_pattern
  state          = "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS"
  tags           = local.tags
}

resource "aws_cloudwatch_event_target" "sts" {
  rule           = aws_cloudwatch_event_rule.sts.name
  event_bus_name = "default"
  target_id      = "statetrail-queue"
  arn            = aws_sqs_queue.events.arn

  dead_letter_config {
    arn = aws_sqs_queue.dlq.arn
  }

  retry_policy {
    maximum_event_age_in_seconds = 86400
    maximum_retry_attempts       = 185
  }
}

resource "aws_cloudwatch_event_rule" "this" {
  for_each = local.data_event_patterns

  name           = "${var.name_prefix}-${each.key}"
  description    = local.rule_descriptions[each.key]
  event_bus_name = "default"
  event_pattern  = each.value
  state          = "ENABLED"
  tags           = local.tags
}

resource "aws_cloudwatch_event_target" "this" {
  for_each = local.data_event_patterns

  rule           = aws_cloudwatch_event_rule.this[each.key].name
  event_bus_name = "default"
  target_id      = "statetrail-queue"
  arn            = aws_sqs_queue.events.arn

  dead_letter_config {
    arn = aws_sqs_queue.dlq.arn
  }

  retry_policy {
    maximum_event_age_in_seconds = 86400
    maximum_retry_attempts       = 185
  }
}

resource "aws_cloudwatch_event_rule" "central" {
  for_each = local.central_event_patterns

  name           = "${var.name_prefix}-${each.key}"
  description    = local.rule_descriptions[each.key]
  event_bus_name = aws_cloudwatch_event_bus.central[0].name
  event_pattern  = each.value
  # Forwarded events are ordinary events on this bus; the member account's STS forwarding rule did the opt-in.
  state = "ENABLED"
  tags  = local.tags
}

resource "aws_cloudwatch_event_target" "central" {
  for_each = local.central_event_patterns

  rule           = aws_cloudwatch_event_rule.central[each.key].name
  event_bus_name = aws_cloudwatch_event_bus.central[0].name
  target_id      = "statetrail-queue"
  arn            = aws_sqs_queue.events.arn

  dead_letter_config {
    arn = aws_sqs_queue.dlq.arn
  }

  retry_policy {
    maximum_event_age_in_seconds = 86400
    maximum_retry_attempts       = 185
  }
}

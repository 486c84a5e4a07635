# One role per function. Each policy lists only the actions that function calls, on its own resources.
# The only "*" resources are APIs without resource-level permissions (cloudtrail:LookupEvents, dynamodb:ListStreams);
# functions/infra-check keeps that allow-list and fails on anything else.

locals {
  # Each function writes only to its own log group (created in lambda.tf, so no logs:CreateLogGroup).
  log_group_arn_prefix = "arn:${local.partition}:logs:${local.region}:${local.account_id}:log-group:"

  table_arns = [aws_dynamodb_table.audit.arn, "${aws_dynamodb_table.audit.arn}/index/*"]

  lock_reader_role_arns = var.lock_reader_role_name == null ? [] : [
    for a in var.member_account_ids : "arn:${local.partition}:iam::${a}:role/${var.lock_reader_role_name}"
  ]

  # --- Statements shared by several functions ------------------------------------------------------------------------

  kms_statement = {
    Sid      = "StatetrailKey"
    Effect   = "Allow"
    Action   = ["kms:Decrypt", "kms:GenerateDataKey"]
    Resource = aws_kms_key.this.arn
  }

  table_read_write_statement = {
    Sid    = "AuditTableReadWrite"
    Effect = "Allow"
    Action = [
      "dynamodb:BatchGetItem",
      "dynamodb:BatchWriteItem",
      "dynamodb:ConditionCheckItem",
      "dynamodb:DeleteItem",
      "dynamodb:GetItem",
      "dynamodb:PutItem",
      "dynamodb:Query",
      "dynamodb:UpdateItem",
    ]
    Resource = local.table_arns
  }

  publish_statements = concat([
    {
      Sid      = "PublishAlerts"
      Effect   = "Allow"
      Action   = ["sns:Publish"]
      Resource = aws_sns_topic.alerts.arn
    },
    {
      Sid      = "ReadSlackWebhook"
      Effect   = "Allow"
      Action   = ["secretsmanager:GetSecretValue"]
      Resource = local.slack_secret_arn
    },
    ], var.finding_event_bus_name == null ? [] : [
    {
      Sid      = "PublishFindingEvents"
      Effect   = "Allow"
      Action   = ["events:PutEvents"]
      Resource = "arn:${local.partition}:events:${local.region}:${local.account_id}:event-bus/${var.finding_event_bus_name}"
    },
  ])

  policy_read_action = local.policy_is_ssm ? "ssm:GetParameter" : "s3:GetObject"
  policy_read_statements = [{
    Sid      = "ReadPolicy"
    Effect   = "Allow"
    Action   = [local.policy_read_action]
    Resource = local.policy_resource_arn
  }]

  extra_key_statements = length(local.extra_decrypt_key_arns) == 0 ? [] : [{
    Sid      = "DecryptPolicyAndSecret"
    Effect   = "Allow"
    Action   = ["kms:Decrypt"]
    Resource = local.extra_decrypt_key_arns
  }]

  lock_reader_account_statements = length(local.lock_reader_role_arns) == 0 ? [] : [{
    Sid      = "AssumeLockReaderInMemberAccounts"
    Effect   = "Allow"
    Action   = ["sts:AssumeRole"]
    Resource = local.lock_reader_role_arns
  }]
  lock_reader_organization_statements = var.lock_reader_role_name == null || var.organization_id == null ? [] : [{
    Sid       = "AssumeLockReaderInOrganization"
    Effect    = "Allow"
    Action    = ["sts:AssumeRole"]
    Resource  = "arn:${local.partition}:iam::*:role/${var.lock_reader_role_name}"
    Condition = { StringEquals = { "aws:ResourceOrgID" = var.organization_id } }
  }]
  # Lock bodies (Who, Operation, lock ID) are not in CloudTrail: read them where they live, here (statetrail-store-access)
  # or through a member account's lock reader.
  lock_read_statements = concat(
    module.store_access.lock_read_statements,
    local.lock_reader_account_statements,
    local.lock_reader_organization_statements,
  )

  # The sweeper looks at each weakened store where it lives (issue 19): here (statetrail-store-access), and member
  # accounts' stores through the lock reader.
  store_check_statements = module.store_access.store_check_statements

  lock_stream_statements = length(local.lock_stream_arns) == 0 ? [] : [{
    Sid      = "ReadLockTableStreams"
    Effect   = "Allow"
    Action   = ["dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator"]
    Resource = local.lock_stream_arns
  }]
  list_streams_statements = length(local.lock_stream_arns) == 0 ? [] : [{
    # ListStreams has no resource-level permissions; Lambda's stream poller calls it with the function's role.
    Sid      = "ListStreams"
    Effect   = "Allow"
    Action   = ["dynamodb:ListStreams"]
    Resource = "*"
  }]

  # --- Policies per function -----------------------------------------------------------------------------------------

  ingest_policy = {
    Version = "2012-10-17"
    Statement = concat(
      [
        {
          Sid      = "Logs"
          Effect   = "Allow"
          Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
          Resource = "${local.log_group_arn_prefix}/aws/lambda/${var.name_prefix}-ingest:*"
        },
        {
          Sid      = "ConsumeQueue"
          Effect   = "Allow"
          Action   = ["sqs:ChangeMessageVisibility", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:ReceiveMessage"]
          Resource = aws_sqs_queue.events.arn
        },
        local.table_read_write_statement,
        local.kms_statement,
      ],
      local.publish_statements,
      local.policy_read_statements,
      local.extra_key_statements,
      local.lock_read_statements,
    )
  }

  # Posture (issue 16), once a day in this account: the roles' trust policies and the OIDC providers, read only.
  # ListRoles and ListOpenIDConnectProviders have no resource-level permissions; GetRole is scoped to this account's roles.
  posture_statements = var.posture_schedule == null ? [] : [
    {
      Sid      = "PostureListRolesAndProviders"
      Effect   = "Allow"
      Action   = ["iam:ListOpenIDConnectProviders", "iam:ListRoles"]
      Resource = "*"
    },
    {
      Sid      = "PostureReadRoles"
      Effect   = "Allow"
      Action   = ["iam:GetRole"]
      Resource = "arn:${local.partition}:iam::${local.account_id}:role/*"
    },
  ]

  sweeper_policy = {
    Version = "2012-10-17"
    Statement = concat(
      [
        {
          Sid      = "Logs"
          Effect   = "Allow"
          Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
          Resource = "${local.log_group_arn_prefix}/aws/lambda/${var.name_prefix}-sweeper:*"
        },
        {
          # LookupEvents has no resource-level permissions.
          Sid      = "LookupManagementEvents"
          Effect   = "Allow"
          Action   = ["cloudtrail:LookupEvents"]
          Resource = "*"
        },
        local.table_read_write_statement,
        {
          # Completing the runs listing's indexes on a table an older version wrote scans its run summaries once.
          Sid      = "CompleteIndexes"
          Effect   = "Allow"
          Action   = ["dynamodb:Scan"]
          Resource = aws_dynamodb_table.audit.arn
        },
        local.kms_statement,
      ],
      local.publish_statements,
      # The policy's staleLockAfter decides when a held lock is stale.
      local.policy_read_statements,
      local.extra_key_statements,
      local.lock_read_statements,
      local.store_check_statements,
      local.posture_statements,
    )
  }

  lock_stream_policy = {
    Version = "2012-10-17"
    Statement = concat(
      [
        {
          Sid      = "Logs"
          Effect   = "Allow"
          Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
          Resource = "${local.log_group_arn_prefix}/aws/lambda/${var.name_prefix}-lock-stream:*"
        },
        {
          Sid      = "AuditTableWrite"
          Effect   = "Allow"
          Action   = ["dynamodb:ConditionCheckItem", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query", "dynamodb:UpdateItem"]
          Resource = local.table_arns
        },
        local.kms_statement,
      ],
      local.lock_stream_statements,
      local.list_streams_statements,
    )
  }

  # Issue 15: a finding's status (POST /api/findings/{id}/status, ./statetrail finding … --aws) is written to items whose
  # partition key starts STATUS# (its history and the notices announcing it), and nowhere else: findings, calls and
  # deliveries stay read-only to the query function and to analysts.
  status_write_statement = {
    Sid       = "FindingStatusWrite"
    Effect    = "Allow"
    Action    = ["dynamodb:PutItem"]
    Resource  = aws_dynamodb_table.audit.arn
    Condition = { "ForAllValues:StringLike" = { "dynamodb:LeadingKeys" = ["STATUS#*"] } }
  }

  query_policy = {
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "Logs"
        Effect   = "Allow"
        Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
        Resource = "${local.log_group_arn_prefix}/aws/lambda/${var.name_prefix}-query:*"
      },
      {
        Sid      = "AuditTableRead"
        Effect   = "Allow"
        Action   = ["dynamodb:BatchGetItem", "dynamodb:GetItem", "dynamodb:Query"]
        Resource = local.table_arns
      },
      local.status_write_statement,
      {
        Sid      = "StatetrailKey"
        Effect   = "Allow"
        Action   = ["kms:Decrypt"]
        Resource = aws_kms_key.this.arn
      },
    ]
  }
}

# --- Analysts: ./statetrail serve|query|findings --aws on their own machine --------------------------------------------
# Exactly the reads the query function makes (the CLI refuses any other DynamoDB request before signing it), the
# finding-status writes (STATUS# items only), and the key only through DynamoDB. Attach it to the role or permission set the analysts sign in with.

resource "aws_iam_policy" "analyst" {
  name        = "${var.name_prefix}-analyst"
  description = "Read the statetrail audit table with ./statetrail serve, query and findings --aws; change finding status"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "AuditTableRead"
        Effect   = "Allow"
        Action   = ["dynamodb:BatchGetItem", "dynamodb:GetItem", "dynamodb:Query"]
        Resource = local.table_arns
      },
      local.status_write_statement,
      {
        Sid       = "StatetrailKeyThroughDynamoDb"
        Effect    = "Allow"
        Action    = ["kms:Decrypt"]
        Resource  = aws_kms_key.this.arn
        Condition = { StringEquals = { "kms:ViaService" = "dynamodb.${local.region}.amazonaws.com" } }
      },
    ]
  })
  tags = local.tags
}

resource "aws_iam_role" "function" {
  for_each = local.functions

  name        = "${var.name_prefix}-${each.key}"
  description = "statetrail ${each.key} function"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "lambda.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
  tags = local.tags
}

resource "aws_iam_role_policy" "ingest" {
  name   = "statetrail-ingest"
  role   = aws_iam_role.function["ingest"].id
  policy = jsonencode(local.ingest_policy)
}

resource "aws_iam_role_policy" "sweeper" {
  name   = "statetrail-sweeper"
  role   = aws_iam_role.function["sweeper"].id
  policy = jsonencode(local.sweeper_policy)
}

resource "aws_iam_role_policy" "lock_stream" {
  name   = "statetrail-lock-stream"
  role   = aws_iam_role.function["lock-stream"].id
  policy = jsonencode(local.lock_stream_policy)
}

resource "aws_iam_role_policy" "query" {
  name   = "statetrail-query"
  role   = aws_iam_role.function["query"].id
  policy = jsonencode(local.query_policy)
}

# --- EventBridge Scheduler -> sweeper --------------------------------------------------------------------------------

resource "aws_iam_role" "scheduler" {
  name        = "${var.name_prefix}-scheduler"
  description = "EventBridge Scheduler invoking the statetrail sweeper"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "scheduler.amazonaws.com" }
      Action    = "sts:AssumeRole"
      Condition = { StringEquals = { "aws:SourceAccount" = local.account_id } }
    }]
  })
  tags = local.tags
}

resource "aws_iam_role_policy" "scheduler" {
  name = "invoke-sweeper"
  role = aws_iam_role.scheduler.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid      = "InvokeSweeper"
      Effect   = "Allow"
      Action   = ["lambda:InvokeFunction"]
      Resource = aws_lambda_alias.live["sweeper"].arn
    }]
  })
}

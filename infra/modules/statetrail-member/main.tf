# statetrail-member: runs in each member account (and each region) whose Terraform runs statetrail audits.
#   - forwards the account's STS, IAM, S3 (state buckets) and DynamoDB (lock tables) CloudTrail events to the
#     central bus, with the same patterns as the statetrail module's rules (functions/infra-check compares them);
#   - creates the lock-reader role statetrail assumes to read lock bodies (GetItem, GetObject on *.tflock);
#   - optionally creates a data-event trail scoped to the state objects and lock tables.

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

data "aws_region" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.name
  tags       = merge(var.tags, { "statetrail:module" = "statetrail-member" })

  forward_iam = var.forward_iam_events == null ? local.region == "us-east-1" : var.forward_iam_events

  state_bucket_names = distinct([for b in var.state_buckets : b.name])
  lock_table_names   = distinct(var.lock_table_names)
  lock_table_arns    = [for t in local.lock_table_names : "arn:${local.partition}:dynamodb:${local.region}:${local.account_id}:table/${t}"]
  lock_object_arns   = [for b in var.state_buckets : "arn:${local.partition}:s3:::${b.name}/*.tflock"]
  state_kms_key_arns = compact([for b in var.state_buckets : b.kms_key_arn == null ? "" : b.kms_key_arn])

  state_object_prefixes_whole  = [for b in var.state_buckets : "arn:${local.partition}:s3:::${b.name}/" if length(b.key_prefixes) == 0]
  state_object_prefixes_scoped = flatten([for b in var.state_buckets : [for p in b.key_prefixes : "arn:${local.partition}:s3:::${b.name}/${p}"]])
  state_object_arn_prefixes    = concat(local.state_object_prefixes_whole, local.state_object_prefixes_scoped)

  # --- Event patterns: keep identical to infra/modules/statetrail/eventbridge.tf ------------------------------------

  cloudtrail_detail_type = "AWS API Call via CloudTrail"

  sts_event_names = ["AssumeRoleWithWebIdentity", "AssumeRole", "AssumeRoleWithSAML"]
  iam_event_names = [
    "CreateRole",
    "UpdateAssumeRolePolicy",
    "CreateOpenIDConnectProvider",
    "DeleteOpenIDConnectProvider",
    "UpdateOpenIDConnectProviderThumbprint",
    "AddClientIDToOpenIDConnectProvider",
    "RemoveClientIDFromOpenIDConnectProvider",
  ]
  s3_event_names = ["PutObject", "CopyObject", "CompleteMultipartUpload", "GetObject", "DeleteObject", "DeleteObjects"]
  # Terraform locks with PutItem/DeleteItem; UpdateItem, batches, transactions and PartiQL statements change lock items
  # too (issue 13). Only the single-item calls name their table in requestParameters: the others by their resources.
  dynamodb_event_names = ["PutItem", "DeleteItem", "UpdateItem", "BatchWriteItem", "TransactWriteItems", "ExecuteStatement", "BatchExecuteStatement"]

  sts_pattern = {
    source        = ["aws.sts"]
    "detail-type" = [local.cloudtrail_detail_type]
    detail = {
      eventSource  = ["sts.amazonaws.com"]
      eventName    = local.sts_event_names
      userIdentity = { type = [{ "anything-but" = ["AWSService"] }] }
    }
  }

  iam_pattern = {
    source        = ["aws.iam"]
    "detail-type" = [local.cloudtrail_detail_type]
    detail = {
      eventSource = ["iam.amazonaws.com"]
      eventName   = local.iam_event_names
    }
  }

  state_object_pattern = {
    source        = ["aws.s3"]
    "detail-type" = [local.cloudtrail_detail_type]
    detail = {
      eventSource       = ["s3.amazonaws.com"]
      eventName         = local.s3_event_names
      requestParameters = { bucketName = local.state_bucket_names }
    }
  }

  lock_table_pattern = {
    source        = ["aws.dynamodb"]
    "detail-type" = [local.cloudtrail_detail_type]
    detail = {
      eventSource = ["dynamodb.amazonaws.com"]
      eventName   = local.dynamodb_event_names
      "$or" = [
        { requestParameters = { tableName = local.lock_table_names } },
        { resources = { ARN = [for t in local.lock_table_names : { suffix = ":table/${t}" }] } },
      ]
    }
  }

  sts_event_pattern           = jsonencode(local.sts_pattern)
  iam_event_patterns          = local.forward_iam ? { iam = jsonencode(local.iam_pattern) } : {}
  state_object_event_patterns = length(var.state_buckets) > 0 ? { state-objects = jsonencode(local.state_object_pattern) } : {}
  lock_table_event_patterns   = length(var.lock_table_names) > 0 ? { lock-tables = jsonencode(local.lock_table_pattern) } : {}
  all_forwarded_patterns      = merge(local.iam_event_patterns, local.state_object_event_patterns, local.lock_table_event_patterns)
  forwarded_patterns          = var.create_forwarding_rules ? local.all_forwarded_patterns : {}

  sts_rule_arns       = var.create_forwarding_rules ? ["arn:${local.partition}:events:${local.region}:${local.account_id}:rule/${var.name_prefix}-forward-sts"] : []
  forwarded_rule_arns = [for k, v in local.forwarded_patterns : "arn:${local.partition}:events:${local.region}:${local.account_id}:rule/${var.name_prefix}-forward-${k}"]
  rule_arns           = concat(local.sts_rule_arns, local.forwarded_rule_arns)
}

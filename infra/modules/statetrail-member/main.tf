# statetrail-member: runs in each member account (and each region) whose Terraform runs statetrail audits.
#   - forwards the account's STS, IAM, S3 (state buckets) and DynamoDB (lock tables) CloudTrail events to the
#     central bus, with the statetrail module's patterns (both take them from ../statetrail-events);
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

  # The patterns are the statetrail module's: both take them from the statetrail-events module.
  sts_event_pattern  = module.events.sts_event_pattern
  forwarded_patterns = var.create_forwarding_rules ? module.events.data_event_patterns : {}

  sts_rule_arns       = var.create_forwarding_rules ? ["arn:${local.partition}:events:${local.region}:${local.account_id}:rule/${var.name_prefix}-forward-sts"] : []
  forwarded_rule_arns = [for k, v in local.forwarded_patterns : "arn:${local.partition}:events:${local.region}:${local.account_id}:rule/${var.name_prefix}-forward-${k}"]
  rule_arns           = concat(local.sts_rule_arns, local.forwarded_rule_arns)
}

module "events" {
  source = "../statetrail-events"

  state_bucket_names        = local.state_bucket_names
  lock_table_names          = local.lock_table_names
  match_iam_events          = local.forward_iam
  state_object_arn_prefixes = local.state_object_arn_prefixes
  lock_table_arns           = local.lock_table_arns
  log_data_event_reads      = var.log_data_event_reads
}

# statetrail-store-access: what statetrail may read where Terraform state lives, declared once for the statetrail
# module (the ingest and sweeper roles, for the central account's stores) and the statetrail-member module (the
# lock-reader role, for a member account's stores). No resources and no provider: only IAM policy statements, computed
# from the watched buckets, tables and keys. Read-only, never state data: lock bodies and store settings.

locals {
  # Lock bodies (Who, Operation, lock ID) are not in CloudTrail: read them from the lock table / .tflock object.
  lock_item_statements = length(var.lock_table_arns) == 0 ? [] : [{
    Sid      = "ReadLockItems"
    Effect   = "Allow"
    Action   = ["dynamodb:GetItem"]
    Resource = var.lock_table_arns
  }]
  lock_object_statements = length(var.lock_object_arns) == 0 ? [] : [{
    Sid      = "ReadLockObjects"
    Effect   = "Allow"
    Action   = ["s3:GetObject"]
    Resource = var.lock_object_arns
  }]
  # Bulk deletes (DeleteObjects names no keys): HeadObject of the known state objects, which needs s3:GetObject.
  state_object_head_statements = !var.verify_bulk_deletes || length(var.state_object_arn_prefixes) == 0 ? [] : [{
    Sid      = "HeadStateObjects"
    Effect   = "Allow"
    Action   = ["s3:GetObject"]
    Resource = [for p in var.state_object_arn_prefixes : "${p}*"]
  }]
  lock_object_key_statements = length(var.state_kms_key_arns) == 0 ? [] : [{
    Sid       = "DecryptLockObjects"
    Effect    = "Allow"
    Action    = ["kms:Decrypt"]
    Resource  = var.state_kms_key_arns
    Condition = { StringLike = { "kms:ViaService" = "s3.*.amazonaws.com" } }
  }]
  lock_read_statements = concat(local.lock_item_statements, local.lock_object_statements, local.state_object_head_statements,
  local.lock_object_key_statements)

  # The sweeper looks at each weakened store where it lives (issue 19): versioning, TTL, point-in-time recovery,
  # deletion protection and key state. Read-only settings, no data.
  store_check_bucket_statements = length(var.state_bucket_arns) == 0 ? [] : [{
    Sid      = "CheckStateBuckets"
    Effect   = "Allow"
    Action   = ["s3:GetBucketVersioning"]
    Resource = var.state_bucket_arns
  }]
  store_check_table_statements = length(var.lock_table_arns) == 0 ? [] : [{
    Sid      = "CheckLockTables"
    Effect   = "Allow"
    Action   = ["dynamodb:DescribeTable", "dynamodb:DescribeTimeToLive", "dynamodb:DescribeContinuousBackups"]
    Resource = var.lock_table_arns
  }]
  store_check_key_statements = length(var.state_kms_key_arns) == 0 ? [] : [{
    Sid      = "CheckStateKeys"
    Effect   = "Allow"
    Action   = ["kms:DescribeKey"]
    Resource = var.state_kms_key_arns
  }]
  store_check_statements = concat(local.store_check_bucket_statements, local.store_check_table_statements,
  local.store_check_key_statements)
}

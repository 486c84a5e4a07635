# The role statetrail's ingest and sweeper functions assume to read lock bodies (Who, Operation, lock ID), which
# CloudTrail never records: GetItem on the lock tables, GetObject on the *.tflock objects; with verify_bulk_deletes,
# HeadObject (s3:GetObject) on the state objects, to see what a DeleteObjects call removed. Nothing else.

locals {
  reader_lock_table_arns = var.lock_tables_all_regions == null ? local.lock_table_arns : var.lock_tables_all_regions

  lock_item_statements = length(local.reader_lock_table_arns) == 0 ? [] : [{
    Sid      = "ReadLockItems"
    Effect   = "Allow"
    Action   = ["dynamodb:GetItem"]
    Resource = local.reader_lock_table_arns
  }]
  lock_object_statements = length(local.lock_object_arns) == 0 ? [] : [{
    Sid      = "ReadLockObjects"
    Effect   = "Allow"
    Action   = ["s3:GetObject"]
    Resource = local.lock_object_arns
  }]
  # Bulk deletes (DeleteObjects names no keys): HeadObject of the known state objects, which needs s3:GetObject.
  state_object_head_statements = !var.verify_bulk_deletes || length(local.state_object_arn_prefixes) == 0 ? [] : [{
    Sid      = "HeadStateObjects"
    Effect   = "Allow"
    Action   = ["s3:GetObject"]
    Resource = [for p in local.state_object_arn_prefixes : "${p}*"]
  }]
  lock_object_key_statements = length(local.state_kms_key_arns) == 0 ? [] : [{
    Sid       = "DecryptLockObjects"
    Effect    = "Allow"
    Action    = ["kms:Decrypt"]
    Resource  = local.state_kms_key_arns
    Condition = { StringLike = { "kms:ViaService" = "s3.*.amazonaws.com" } }
  }]
  # The sweeper looks at weakened stores here (issue 19): versioning, TTL, backups, deletion protection, key state.
  store_check_bucket_statements = length(local.state_bucket_arns) == 0 ? [] : [{
    Sid      = "CheckStateBuckets"
    Effect   = "Allow"
    Action   = ["s3:GetBucketVersioning"]
    Resource = local.state_bucket_arns
  }]
  store_check_table_statements = length(local.reader_lock_table_arns) == 0 ? [] : [{
    Sid      = "CheckLockTables"
    Effect   = "Allow"
    Action   = ["dynamodb:DescribeTable", "dynamodb:DescribeTimeToLive", "dynamodb:DescribeContinuousBackups"]
    Resource = local.reader_lock_table_arns
  }]
  store_check_key_statements = length(local.state_kms_key_arns) == 0 ? [] : [{
    Sid      = "CheckStateKeys"
    Effect   = "Allow"
    Action   = ["kms:DescribeKey"]
    Resource = local.state_kms_key_arns
  }]
  store_check_statements = concat(local.store_check_bucket_statements, local.store_check_table_statements,
  local.store_check_key_statements)
  lock_reader_statements = concat(local.lock_item_statements, local.lock_object_statements, local.state_object_head_statements,
  local.lock_object_key_statements, local.store_check_statements)
}

resource "aws_iam_role" "lock_reader" {
  count = var.create_lock_reader_role ? 1 : 0

  name        = var.lock_reader_role_name
  description = "statetrail: read Terraform lock bodies (lock tables, .tflock objects)"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = var.lock_reader_trusted_role_arns }
      Action    = "sts:AssumeRole"
    }]
  })
  max_session_duration = 3600
  tags                 = local.tags

  lifecycle {
    precondition {
      condition     = length(var.lock_reader_trusted_role_arns) > 0
      error_message = "lock_reader_trusted_role_arns must name the statetrail ingest and sweeper roles."
    }
  }
}

resource "aws_iam_role_policy" "lock_reader" {
  count = var.create_lock_reader_role && length(local.lock_reader_statements) > 0 ? 1 : 0

  name = "read-terraform-locks"
  role = aws_iam_role.lock_reader[0].id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = local.lock_reader_statements
  })
}

# The role statetrail's ingest and sweeper functions assume to read lock bodies (Who, Operation, lock ID), which
# CloudTrail never records: GetItem on the lock tables, GetObject on the *.tflock objects; with verify_bulk_deletes,
# HeadObject (s3:GetObject) on the state objects, to see what a DeleteObjects call removed; and the settings of the
# stores the sweeper looks at (issue 19). Nothing else: the statements come from statetrail-store-access.

locals {
  reader_lock_table_arns = var.lock_tables_all_regions == null ? local.lock_table_arns : var.lock_tables_all_regions
  # The statements the central account's ingest and sweeper roles get for its own stores (statetrail-store-access).
  lock_reader_statements = concat(module.store_access.lock_read_statements, module.store_access.store_check_statements)

  # Which job acts is in the session name (functions/lambda AwsClients), and CloudTrail here shows it: lock reads and
  # store checks as statetrail-lock-reader, posture's IAM reads as statetrail-posture. The ingest and sweeper roles may
  # take only the first; only posture_trusted_role_arns the second, and only that session may read IAM (posture.tf).
  lock_reader_session = "statetrail-lock-reader"
  posture_session     = "statetrail-posture"
  lock_reading_trust_statements = [{
    Sid       = "LockReading"
    Effect    = "Allow"
    Principal = { AWS = var.lock_reader_trusted_role_arns }
    Action    = "sts:AssumeRole"
    Condition = { StringEquals = { "sts:RoleSessionName" = local.lock_reader_session } }
  }]
  posture_trust_statements = !var.enable_posture || length(var.posture_trusted_role_arns) == 0 ? [] : [{
    Sid       = "Posture"
    Effect    = "Allow"
    Principal = { AWS = var.posture_trusted_role_arns }
    Action    = "sts:AssumeRole"
    Condition = { StringEquals = { "sts:RoleSessionName" = local.posture_session } }
  }]
  lock_reader_trust_statements = concat(local.lock_reading_trust_statements, local.posture_trust_statements)
}

module "store_access" {
  source = "../statetrail-store-access"

  lock_table_arns           = local.reader_lock_table_arns
  lock_object_arns          = local.lock_object_arns
  state_object_arn_prefixes = local.state_object_arn_prefixes
  verify_bulk_deletes       = var.verify_bulk_deletes
  state_kms_key_arns        = local.state_kms_key_arns
  state_bucket_arns         = local.state_bucket_arns
}

resource "aws_iam_role" "lock_reader" {
  count = var.create_lock_reader_role ? 1 : 0

  name        = var.lock_reader_role_name
  description = "statetrail: read Terraform lock bodies (lock tables, .tflock objects)"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = local.lock_reader_trust_statements
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

# CloudTrail. Data events cost $0.10 per 100,000 ($1.00 per million), so the selectors log only the state objects
# (resources.ARN StartsWith the bucket/prefix) and the lock tables (resources.ARN Equals the table ARN).
# With create_trail = false, add the selectors of the `data_event_selectors` output to your own trail.

locals {
  create_trail_bucket = var.create_trail && var.trail_bucket_name == null
  trail_bucket_name   = var.trail_bucket_name == null ? "${var.name_prefix}-trail-${local.account_id}" : var.trail_bucket_name

  management_selector = {
    name = "statetrail: management events (STS, IAM)"
    field_selectors = [
      { field = "eventCategory", equals = ["Management"] },
      # KMS and RDS Data API events are the noisiest management events and statetrail does not use them.
      { field = "eventSource", not_equals = ["kms.amazonaws.com", "rdsdata.amazonaws.com"] },
    ]
  }

  # The data-event selectors come from the statetrail-events module (main.tf), shared with statetrail-member; they are
  # also the `data_event_selectors` output, for an existing trail.
  management_selectors = var.trail_management_events ? [local.management_selector] : []
  data_event_selectors = module.events.data_event_selectors
  trail_selectors      = concat(local.management_selectors, local.data_event_selectors)

  trail_arn = "arn:${local.partition}:cloudtrail:${local.region}:${local.account_id}:trail/${local.trail_name}"

  # Organization trails write under AWSLogs/<organization id>/ as well.
  trail_log_prefixes    = var.organization_id == null ? [local.account_id] : [local.account_id, var.organization_id]
  trail_log_object_arns = [for p in local.trail_log_prefixes : "arn:${local.partition}:s3:::${local.trail_bucket_name}/AWSLogs/${p}/*"]
}

resource "aws_s3_bucket" "trail" {
  count = local.create_trail_bucket ? 1 : 0

  bucket        = local.trail_bucket_name
  force_destroy = false
  tags          = local.tags
}

resource "aws_s3_bucket_public_access_block" "trail" {
  count = local.create_trail_bucket ? 1 : 0

  bucket                  = aws_s3_bucket.trail[0].id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "trail" {
  count = local.create_trail_bucket ? 1 : 0

  bucket = aws_s3_bucket.trail[0].id
  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "trail" {
  count = local.create_trail_bucket ? 1 : 0

  bucket = aws_s3_bucket.trail[0].id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.this.arn
    }
    bucket_key_enabled = true
  }
}

resource "aws_s3_bucket_versioning" "trail" {
  count = local.create_trail_bucket ? 1 : 0

  bucket = aws_s3_bucket.trail[0].id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "trail" {
  count = local.create_trail_bucket ? 1 : 0

  bucket = aws_s3_bucket.trail[0].id
  rule {
    id     = "expire-trail-logs"
    status = "Enabled"
    filter {}
    expiration {
      days = var.trail_log_retention_days
    }
    noncurrent_version_expiration {
      noncurrent_days = 7
    }
    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }
  }
}

resource "aws_s3_bucket_policy" "trail" {
  count = local.create_trail_bucket ? 1 : 0

  bucket = aws_s3_bucket.trail[0].id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "CloudTrailAclCheck"
        Effect    = "Allow"
        Principal = { Service = "cloudtrail.amazonaws.com" }
        Action    = "s3:GetBucketAcl"
        Resource  = aws_s3_bucket.trail[0].arn
        Condition = { StringEquals = { "aws:SourceArn" = local.trail_arn } }
      },
      {
        Sid       = "CloudTrailWrite"
        Effect    = "Allow"
        Principal = { Service = "cloudtrail.amazonaws.com" }
        Action    = "s3:PutObject"
        Resource  = local.trail_log_object_arns
        Condition = {
          StringEquals = {
            "aws:SourceArn" = local.trail_arn
            "s3:x-amz-acl"  = "bucket-owner-full-control"
          }
        }
      },
      {
        Sid       = "DenyInsecureTransport"
        Effect    = "Deny"
        Principal = { AWS = "*" }
        Action    = "s3:*"
        Resource  = [aws_s3_bucket.trail[0].arn, "${aws_s3_bucket.trail[0].arn}/*"]
        Condition = { Bool = { "aws:SecureTransport" = "false" } }
      },
    ]
  })
}

resource "aws_cloudtrail" "this" {
  count = var.create_trail ? 1 : 0

  name                          = local.trail_name
  s3_bucket_name                = local.trail_bucket_name
  kms_key_id                    = aws_kms_key.this.arn
  is_multi_region_trail         = true
  include_global_service_events = var.trail_management_events
  is_organization_trail         = var.trail_is_organization_trail
  enable_log_file_validation    = true
  tags                          = local.tags

  dynamic "advanced_event_selector" {
    for_each = local.trail_selectors
    content {
      name = advanced_event_selector.value.name

      dynamic "field_selector" {
        for_each = advanced_event_selector.value.field_selectors
        content {
          field       = field_selector.value.field
          equals      = lookup(field_selector.value, "equals", null)
          not_equals  = lookup(field_selector.value, "not_equals", null)
          starts_with = lookup(field_selector.value, "starts_with", null)
        }
      }
    }
  }

  depends_on = [aws_s3_bucket_policy.trail]

  lifecycle {
    precondition {
      condition     = length(local.trail_selectors) > 0
      error_message = "The trail would log nothing: set state_buckets or lock_tables, or trail_management_events = true."
    }
  }
}

# Optional data-event trail for this account: only the state objects and lock tables ($0.10 per 100,000 events).
# Management events (STS, IAM) are left to the existing (organization) trail.

locals {
  data_trail_name        = "${var.name_prefix}-data-events"
  data_trail_bucket_name = "${var.name_prefix}-data-events-${local.account_id}-${local.region}"

  # The statetrail module's data-event selectors (both take them from ../statetrail-events).
  data_trail_selectors = module.events.data_event_selectors
}

resource "aws_s3_bucket" "data_trail" {
  count = var.create_data_event_trail ? 1 : 0

  bucket = local.data_trail_bucket_name
  tags   = local.tags
}

resource "aws_s3_bucket_public_access_block" "data_trail" {
  count = var.create_data_event_trail ? 1 : 0

  bucket                  = aws_s3_bucket.data_trail[0].id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "data_trail" {
  count = var.create_data_event_trail ? 1 : 0

  bucket = aws_s3_bucket.data_trail[0].id
  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "data_trail" {
  count = var.create_data_event_trail ? 1 : 0

  bucket = aws_s3_bucket.data_trail[0].id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "data_trail" {
  count = var.create_data_event_trail ? 1 : 0

  bucket = aws_s3_bucket.data_trail[0].id
  rule {
    id     = "expire-trail-logs"
    status = "Enabled"
    filter {}
    expiration {
      days = var.trail_log_retention_days
    }
  }
}

resource "aws_s3_bucket_policy" "data_trail" {
  count = var.create_data_event_trail ? 1 : 0

  bucket = aws_s3_bucket.data_trail[0].id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "CloudTrailAclCheck"
        Effect    = "Allow"
        Principal = { Service = "cloudtrail.amazonaws.com" }
        Action    = "s3:GetBucketAcl"
        Resource  = aws_s3_bucket.data_trail[0].arn
        Condition = { StringEquals = { "aws:SourceArn" = "arn:${local.partition}:cloudtrail:${local.region}:${local.account_id}:trail/${local.data_trail_name}" } }
      },
      {
        Sid       = "CloudTrailWrite"
        Effect    = "Allow"
        Principal = { Service = "cloudtrail.amazonaws.com" }
        Action    = "s3:PutObject"
        Resource  = "${aws_s3_bucket.data_trail[0].arn}/AWSLogs/${local.account_id}/*"
        Condition = {
          StringEquals = {
            "aws:SourceArn" = "arn:${local.partition}:cloudtrail:${local.region}:${local.account_id}:trail/${local.data_trail_name}"
            "s3:x-amz-acl"  = "bucket-owner-full-control"
          }
        }
      },
      {
        Sid       = "DenyInsecureTransport"
        Effect    = "Deny"
        Principal = { AWS = "*" }
        Action    = "s3:*"
        Resource  = [aws_s3_bucket.data_trail[0].arn, "${aws_s3_bucket.data_trail[0].arn}/*"]
        Condition = { Bool = { "aws:SecureTransport" = "false" } }
      },
    ]
  })
}

resource "aws_cloudtrail" "data_events" {
  count = var.create_data_event_trail ? 1 : 0

  name                          = local.data_trail_name
  s3_bucket_name                = aws_s3_bucket.data_trail[0].id
  is_multi_region_trail         = true
  include_global_service_events = false
  enable_log_file_validation    = true
  tags                          = local.tags

  dynamic "advanced_event_selector" {
    for_each = local.data_trail_selectors
    content {
      name = advanced_event_selector.value.name

      dynamic "field_selector" {
        for_each = advanced_event_selector.value.field_selectors
        content {
          field       = field_selector.value.field
          equals      = lookup(field_selector.value, "equals", null)
          starts_with = lookup(field_selector.value, "starts_with", null)
        }
      }
    }
  }

  depends_on = [aws_s3_bucket_policy.data_trail]

  lifecycle {
    precondition {
      condition     = length(local.data_trail_selectors) > 0
      error_message = "create_data_event_trail needs state_buckets or lock_table_names."
    }
  }
}

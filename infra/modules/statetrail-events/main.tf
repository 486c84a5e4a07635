# statetrail-events: what statetrail listens to, declared once for the statetrail module (its rules on the default and
# central buses, its trail) and the statetrail-member module (its forwarding rules, its data-event trail). No
# resources and no provider: only the EventBridge event patterns and the CloudTrail data-event selectors, computed from
# the watched buckets and tables. functions/infra-check evaluates the patterns with AWS's event-ruler against the sample
# events in events/, through both modules.

locals {
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

  # --- EventBridge event patterns ------------------------------------------------------------------------------------

  # Role assumptions are read-only management events: a rule needs ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS.
  # Roles assumed by AWS services (Lambda, EC2, ...) are by far the most frequent and never part of a Terraform
  # session chain: they are left out.
  sts_pattern = {
    source        = ["aws.sts"]
    "detail-type" = [local.cloudtrail_detail_type]
    detail = {
      eventSource  = ["sts.amazonaws.com"]
      eventName    = local.sts_event_names
      userIdentity = { type = [{ "anything-but" = ["AWSService"] }] }
    }
  }

  # IAM is global: its events are logged in us-east-1 only.
  iam_pattern = {
    source        = ["aws.iam"]
    "detail-type" = [local.cloudtrail_detail_type]
    detail = {
      eventSource = ["iam.amazonaws.com"]
      eventName   = local.iam_event_names
    }
  }

  # Key prefixes are enforced by the trail's data-event selectors (where the cost is); the rule matches the buckets.
  state_object_pattern = {
    source        = ["aws.s3"]
    "detail-type" = [local.cloudtrail_detail_type]
    detail = {
      eventSource       = ["s3.amazonaws.com"]
      eventName         = local.s3_event_names
      requestParameters = { bucketName = var.state_bucket_names }
    }
  }

  lock_table_pattern = {
    source        = ["aws.dynamodb"]
    "detail-type" = [local.cloudtrail_detail_type]
    detail = {
      eventSource = ["dynamodb.amazonaws.com"]
      eventName   = local.dynamodb_event_names
      "$or" = [
        { requestParameters = { tableName = var.lock_table_names } },
        { resources = { ARN = [for t in var.lock_table_names : { suffix = ":table/${t}" }] } },
      ]
    }
  }

  # JSON patterns by rule name. STS stands apart (its rule needs the management-events opt-in); the others exist only
  # when there is something to match (EventBridge rejects empty lists in patterns).
  sts_event_pattern           = jsonencode(local.sts_pattern)
  iam_event_patterns          = var.match_iam_events ? { iam = jsonencode(local.iam_pattern) } : {}
  state_object_event_patterns = length(var.state_bucket_names) > 0 ? { state-objects = jsonencode(local.state_object_pattern) } : {}
  lock_table_event_patterns   = length(var.lock_table_names) > 0 ? { lock-tables = jsonencode(local.lock_table_pattern) } : {}
  data_event_patterns         = merge(local.iam_event_patterns, local.state_object_event_patterns, local.lock_table_event_patterns)
  event_patterns              = merge({ sts = local.sts_event_pattern }, local.data_event_patterns)

  # --- CloudTrail data-event selectors -------------------------------------------------------------------------------

  # Data events cost $0.10 per 100,000 ($1.00 per million): the selectors log only the state objects (resources.ARN
  # StartsWith the bucket/prefix) and the lock tables (resources.ARN Equals the table ARN). Without reads, only writes.
  read_only_filter = var.log_data_event_reads ? [] : [{ field = "readOnly", equals = ["false"] }]

  state_object_selector = {
    name = "statetrail: Terraform state and .tflock objects"
    field_selectors = concat(
      [
        { field = "eventCategory", equals = ["Data"] },
        { field = "resources.type", equals = ["AWS::S3::Object"] },
        { field = "resources.ARN", starts_with = var.state_object_arn_prefixes },
      ],
      local.read_only_filter,
    )
  }

  lock_table_selector = {
    name = "statetrail: Terraform lock tables"
    field_selectors = concat(
      [
        { field = "eventCategory", equals = ["Data"] },
        { field = "resources.type", equals = ["AWS::DynamoDB::Table"] },
        { field = "resources.ARN", equals = var.lock_table_arns },
      ],
      local.read_only_filter,
    )
  }

  state_object_selectors = length(var.state_object_arn_prefixes) > 0 ? [local.state_object_selector] : []
  lock_table_selectors   = length(var.lock_table_arns) > 0 ? [local.lock_table_selector] : []
  data_event_selectors   = concat(local.state_object_selectors, local.lock_table_selectors)
}

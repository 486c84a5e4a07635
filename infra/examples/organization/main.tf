# statetrail for an organization.
#
#   audit account     statetrail module: central event bus, queue, functions, audit table, alerts.
#                     No trail of its own: the organization trail already logs management events everywhere.
#   tooling account   statetrail-member: forwards STS / S3 / DynamoDB events of the state buckets and lock table,
#                     creates the lock-reader role and (unless the organization trail logs them) a data-event trail.
#                     A second instance in us-east-1 forwards IAM events and global-endpoint STS logins.
#   workload accounts statetrail-member: forwards the chained AssumeRole events (the role's account gets a copy).
#
# Providers assume var.deployer_role_name in each account; run this from the management account or a
# delegated administrator.

provider "aws" {
  region = var.region
  assume_role {
    role_arn = "arn:aws:iam::${var.audit_account_id}:role/${var.deployer_role_name}"
  }
}

provider "aws" {
  alias  = "tooling"
  region = var.region
  assume_role {
    role_arn = "arn:aws:iam::${var.tooling_account_id}:role/${var.deployer_role_name}"
  }
}

provider "aws" {
  alias  = "tooling_us_east_1"
  region = "us-east-1"
  assume_role {
    role_arn = "arn:aws:iam::${var.tooling_account_id}:role/${var.deployer_role_name}"
  }
}

locals {
  lock_tables = var.lock_table_name == null ? [] : [{ name = var.lock_table_name, account_id = var.tooling_account_id, region = var.region }]
  lock_names  = var.lock_table_name == null ? [] : [var.lock_table_name]
  tags        = { "owner" = "platform", "statetrail:alerts" = var.slack_channel_hint }
}

module "statetrail" {
  source = "../../modules/statetrail"

  lambda_jar_path  = var.lambda_jar_path
  query_jar_path   = var.query_jar_path
  lambda_s3_bucket = var.lambda_s3_bucket
  lambda_s3_key    = var.lambda_s3_key
  query_s3_key     = var.query_s3_key

  state_buckets = var.state_buckets
  lock_tables   = local.lock_tables
  regions       = [var.region, "us-east-1"]

  # Next to an existing organization trail: no trail here, events arrive on the central bus.
  create_trail             = false
  create_central_event_bus = true
  organization_id          = var.organization_id
  lock_reader_role_name    = "statetrail-lock-reader"

  policy_yaml = file("${path.module}/policy.yaml")
  tags        = local.tags
}

module "tooling" {
  source    = "../../modules/statetrail-member"
  providers = { aws = aws.tooling }

  central_event_bus_arn         = module.statetrail.central_event_bus_arn
  state_buckets                 = var.state_buckets
  lock_table_names              = local.lock_names
  lock_reader_trusted_role_arns = [module.statetrail.function_role_arns["ingest"], module.statetrail.function_role_arns["sweeper"]]
  posture_trusted_role_arns     = [module.statetrail.function_role_arns["sweeper"]]
  create_data_event_trail       = !var.organization_trail_logs_data_events
  tags                          = local.tags
}

module "tooling_us_east_1" {
  source    = "../../modules/statetrail-member"
  providers = { aws = aws.tooling_us_east_1 }

  central_event_bus_arn   = module.statetrail.central_event_bus_arn
  forward_iam_events      = true # IAM is global: its events are logged in us-east-1
  create_lock_reader_role = false
  tags                    = local.tags
}

# One block per workload account (Terraform cannot loop over providers): the chained AssumeRole into the
# workload role is logged in the workload account too, with the caller's principal.
provider "aws" {
  alias  = "workload_0"
  region = var.region
  assume_role {
    role_arn = "arn:aws:iam::${var.workload_account_ids[0]}:role/${var.deployer_role_name}"
  }
}

module "workload_0" {
  source    = "../../modules/statetrail-member"
  providers = { aws = aws.workload_0 }

  central_event_bus_arn   = module.statetrail.central_event_bus_arn
  create_lock_reader_role = false
  tags                    = local.tags
}

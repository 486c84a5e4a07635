# statetrail in one account: the GitHub OIDC provider, the deploy roles, the state buckets and the lock table are all
# in the account and region this configuration runs in.

provider "aws" {
  region = var.region
}

module "statetrail" {
  source = "../../modules/statetrail"

  lambda_jar_path  = var.lambda_jar_path
  query_jar_path   = var.query_jar_path
  lambda_s3_bucket = var.lambda_s3_bucket
  lambda_s3_key    = var.lambda_s3_key
  query_s3_key     = var.query_s3_key

  state_buckets           = var.state_buckets
  lock_tables             = var.lock_tables
  regions                 = [var.region, "us-east-1"] # us-east-1: calls to the global STS endpoint are logged there
  create_trail            = var.create_trail
  trail_management_events = var.trail_management_events

  policy_yaml = file("${path.module}/policy.yaml")

  sns_subscriptions = var.alert_email == null ? [] : [{ protocol = "email", endpoint = var.alert_email }]
  tags              = var.tags
}

# configure-aws-credentials calls the regional STS endpoint of its `aws-region`, so the OIDC logins land in
# var.region. If your workflows use the global endpoint (logged in us-east-1), forward us-east-1 with the
# statetrail-member module, as the organization example does.

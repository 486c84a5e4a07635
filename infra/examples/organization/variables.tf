variable "region" {
  description = "Home region: statetrail, the state buckets and the lock tables."
  type        = string
  default     = "eu-west-1"
}

variable "organization_id" {
  description = "AWS Organizations ID (o-...)."
  type        = string
}

variable "audit_account_id" {
  description = "Account where statetrail runs (security/audit account)."
  type        = string
}

variable "tooling_account_id" {
  description = "Account where GitHub Actions log in with OIDC and the Terraform state lives."
  type        = string
}

variable "workload_account_ids" {
  description = "Workload accounts the tooling roles chain into (their AssumeRole events are logged there)."
  type        = list(string)
}

variable "deployer_role_name" {
  description = "Role Terraform assumes in each account to deploy this configuration (e.g. OrganizationAccountAccessRole)."
  type        = string
  default     = "OrganizationAccountAccessRole"
}

variable "state_buckets" {
  description = "State buckets in the tooling account."
  type = list(object({
    name         = string
    key_prefixes = optional(list(string), [])
    kms_key_arn  = optional(string)
  }))
}

variable "lock_table_name" {
  description = "DynamoDB lock table in the tooling account (null for S3-native locking only)."
  type        = string
  default     = null
}

variable "organization_trail_logs_data_events" {
  description = "True if the organization trail already logs the state buckets' and lock table's data events; otherwise the tooling account gets a data-event-only trail."
  type        = bool
  default     = false
}

variable "slack_channel_hint" {
  description = "Free text added as a tag, e.g. the Slack channel the webhook posts to."
  type        = string
  default     = "#terraform-audit"
}

# The functions' code: a release's jars by path or in S3 (docs/deploy.md, step 1). All null: the jars built in
# this repository's functions/lambda/target/.
variable "lambda_jar_path" {
  description = "Path of a release's statetrail-lambda-<version>.jar; null for the one built in this repository."
  type        = string
  default     = null
}

variable "query_jar_path" {
  description = "Path of a release's statetrail-lambda-query-<version>.jar; null for the one built in this repository."
  type        = string
  default     = null
}

variable "lambda_s3_bucket" {
  description = "Bucket (in var.region) holding a release's two Lambda jars; set, the paths above are not read."
  type        = string
  default     = null
}

variable "lambda_s3_key" {
  description = "With lambda_s3_bucket: key of statetrail-lambda-<version>.jar."
  type        = string
  default     = null
}

variable "query_s3_key" {
  description = "With lambda_s3_bucket: key of statetrail-lambda-query-<version>.jar."
  type        = string
  default     = null
}

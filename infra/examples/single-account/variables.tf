variable "region" {
  description = "Region of the state buckets and lock tables, where statetrail runs."
  type        = string
  default     = "eu-west-1"
}

variable "state_buckets" {
  description = "Terraform state buckets to audit (see the module's README)."
  type = list(object({
    name         = string
    key_prefixes = optional(list(string), [])
    kms_key_arn  = optional(string)
  }))
}

variable "lock_tables" {
  description = "DynamoDB lock tables, if the S3 backend still uses dynamodb_table."
  type = list(object({
    name       = string
    region     = optional(string)
    account_id = optional(string)
    stream_arn = optional(string)
  }))
  default = []
}

variable "alert_email" {
  description = "Optional e-mail address subscribed to the alert topic (confirm the subscription mail)."
  type        = string
  default     = null
}

variable "create_trail" {
  description = "Create statetrail's trail. Set to false if a trail already logs this account; add the data_event_selectors output to it."
  type        = bool
  default     = true
}

variable "trail_management_events" {
  description = "Log management events in statetrail's trail. Set to false when another trail already logs them (a second copy costs $2.00 per 100,000)."
  type        = bool
  default     = true
}

variable "tags" {
  description = "Tags for every resource."
  type        = map(string)
  default     = { "owner" = "platform" }
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

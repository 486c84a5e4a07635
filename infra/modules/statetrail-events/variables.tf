variable "state_bucket_names" {
  description = "Terraform state buckets whose S3 object events the state-objects pattern matches (bucket names, without duplicates). Empty: no state-objects pattern."
  type        = list(string)
  default     = []
}

variable "lock_table_names" {
  description = "DynamoDB lock tables whose item events the lock-tables pattern matches (table names, without duplicates). Empty: no lock-tables pattern."
  type        = list(string)
  default     = []
}

variable "match_iam_events" {
  description = "Give the IAM pattern (role trust and OIDC provider changes). IAM is global: its events are logged in us-east-1 only."
  type        = bool
  default     = true
}

# The two lists below go into the selectors as they are given (type any: a list built with a for expression stays the
# tuple it is), so that the selectors the modules output keep the value and type they always had.

variable "state_object_arn_prefixes" {
  description = "ARN prefixes of the state objects (arn:<partition>:s3:::<bucket>/<key prefix>), as the trail's resources.ARN StartsWith wants them: a list of strings. Empty: no state-object selector."
  type        = any
  default     = []
}

variable "lock_table_arns" {
  description = "ARNs of the lock tables, as the trail's resources.ARN Equals wants them: a list of strings. Empty: no lock-table selector."
  type        = any
  default     = []
}

variable "log_data_event_reads" {
  description = "The data-event selectors also log reads (GetObject, GetItem); false logs only writes."
  type        = bool
  default     = true
}

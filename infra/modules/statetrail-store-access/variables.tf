variable "lock_table_arns" {
  description = "ARNs of the DynamoDB lock tables: their items are read (GetItem) and their settings looked at."
  type        = list(string)
  default     = []
}

variable "lock_object_arns" {
  description = "ARN patterns of the .tflock objects (arn:aws:s3:::<bucket>/*.tflock): read with GetObject."
  type        = list(string)
  default     = []
}

variable "state_object_arn_prefixes" {
  description = "ARN prefixes of the state objects (arn:aws:s3:::<bucket>/ or .../<key prefix>): HeadObject with verify_bulk_deletes."
  type        = list(string)
  default     = []
}

variable "verify_bulk_deletes" {
  description = "Allow HeadObject (s3:GetObject) on the state objects, to name what a DeleteObjects call removed."
  type        = bool
  default     = false
}

variable "state_kms_key_arns" {
  description = "ARNs of the KMS keys that encrypt state: Decrypt through S3 (the .tflock objects) and DescribeKey."
  type        = list(string)
  default     = []
}

variable "state_bucket_arns" {
  description = "ARNs of the state buckets: their versioning is looked at."
  type        = list(string)
  default     = []
}

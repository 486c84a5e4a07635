variable "name_prefix" {
  description = "Prefix of every resource name. Use the same value as in the statetrail module."
  type        = string
  default     = "statetrail"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}$", var.name_prefix))
    error_message = "name_prefix must be 2-31 characters: lower-case letters, digits and hyphens, starting with a letter."
  }
}

variable "tags" {
  description = "Tags added to every resource that supports them."
  type        = map(string)
  default     = {}
}

variable "central_event_bus_arn" {
  description = "ARN of the statetrail central event bus (output central_event_bus_arn of the statetrail module)."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:events:[a-z0-9-]+:[0-9]{12}:event-bus/[A-Za-z0-9._-]+$", var.central_event_bus_arn))
    error_message = "central_event_bus_arn must be an event bus ARN."
  }
}

variable "state_buckets" {
  description = "Terraform state buckets of this account (same shape as in the statetrail module). Their object events are forwarded; key_prefixes scope the optional data-event trail."
  type = list(object({
    name         = string
    key_prefixes = optional(list(string), [])
    kms_key_arn  = optional(string)
  }))
  default = []

  validation {
    condition     = alltrue([for b in var.state_buckets : can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", b.name))])
    error_message = "Every state_buckets[*].name must be a valid S3 bucket name."
  }
}

variable "lock_table_names" {
  description = "DynamoDB lock tables of this account, in this module's region."
  type        = list(string)
  default     = []
}

variable "create_forwarding_rules" {
  description = "Create the EventBridge rules that forward this account's and region's statetrail events to the central bus."
  type        = bool
  default     = true
}

variable "forward_iam_events" {
  description = "Forward IAM role-trust and OIDC-provider events. IAM events are logged in us-east-1 only; null means \"when this module runs in us-east-1\"."
  type        = bool
  default     = null
}

variable "create_lock_reader_role" {
  description = "Create the role statetrail assumes to read lock bodies (IAM is global: create it in one region only)."
  type        = bool
  default     = true
}

variable "lock_reader_role_name" {
  description = "Name of the lock-reader role (the statetrail module's lock_reader_role_name)."
  type        = string
  default     = "statetrail-lock-reader"
}

variable "lock_reader_trusted_role_arns" {
  description = "Roles allowed to assume the lock-reader role: the statetrail ingest and sweeper roles (output function_role_arns)."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for a in var.lock_reader_trusted_role_arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/.+$", a))])
    error_message = "lock_reader_trusted_role_arns must be IAM role ARNs."
  }
}

variable "posture_trusted_role_arns" {
  description = "Roles allowed to assume the lock-reader role for posture, under the session name statetrail-posture, which alone may list and read IAM roles: the statetrail sweeper role (output function_role_arns[\"sweeper\"]), and the roles people run ./statetrail posture --aws --member-role with. Needed with enable_posture."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for a in var.posture_trusted_role_arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/.+$", a))])
    error_message = "posture_trusted_role_arns must be IAM role ARNs."
  }
}

variable "lock_tables_all_regions" {
  description = "Lock table ARNs (any region of this account) the lock-reader role may read. Null means lock_table_names in this region."
  type        = list(string)
  default     = null
}

variable "create_data_event_trail" {
  description = "Create a trail in this account that logs only the data events of the state objects and lock tables (for accounts whose organization trail does not log them)."
  type        = bool
  default     = false
}

variable "log_data_event_reads" {
  description = "Also log read data events (GetObject, GetItem) in the data-event trail."
  type        = bool
  default     = true
}

variable "trail_log_retention_days" {
  description = "Days to keep the data-event trail's log files."
  type        = number
  default     = 90

  validation {
    condition     = var.trail_log_retention_days >= 1
    error_message = "trail_log_retention_days must be at least 1."
  }
}

variable "verify_bulk_deletes" {
  description = "Let the lock-reader role HeadObject the state objects of state_buckets, so that the sweeper can name what a DeleteObjects call (whose keys CloudTrail does not log) removed. HeadObject needs s3:GetObject, which could also read state bodies; statetrail never does. Off: .tflock objects are still looked at, and such findings say verified false."
  type        = bool
  default     = false
}

variable "enable_posture" {
  description = "Let statetrail's daily posture run read this account's IAM roles and OIDC providers (iam:ListRoles, iam:GetRole, iam:ListOpenIDConnectProviders) through the lock-reader role, in its statetrail-posture session only. Needs create_lock_reader_role and posture_trusted_role_arns."
  type        = bool
  default     = true
}

# `terraform test` (Terraform >= 1.7): the patterns and selectors for some watched buckets and tables. The module has
# no resources and needs no provider: nothing is planned but its outputs.
#   cd infra/modules/statetrail-events && terraform init -backend=false && terraform test

variables {
  state_bucket_names        = ["acme-tfstate-prod", "acme-tfstate-dev"]
  lock_table_names          = ["acme-tf-locks"]
  state_object_arn_prefixes = ["arn:aws:s3:::acme-tfstate-prod/platform/", "arn:aws:s3:::acme-tfstate-dev/"]
  lock_table_arns           = ["arn:aws:dynamodb:eu-west-1:111111111111:table/acme-tf-locks"]
}

run "buckets_and_tables" {
  command = plan

  assert {
    condition     = toset(keys(output.event_patterns)) == toset(["sts", "iam", "state-objects", "lock-tables"])
    error_message = "One pattern per rule: sts, iam, state-objects, lock-tables."
  }

  assert {
    condition     = output.event_patterns["sts"] == output.sts_event_pattern && !contains(keys(output.data_event_patterns), "sts")
    error_message = "The STS pattern stands apart from the data-event patterns (its rule needs the management-events opt-in)."
  }

  assert {
    condition     = jsondecode(output.sts_event_pattern).detail.userIdentity.type == [{ "anything-but" = ["AWSService"] }]
    error_message = "Roles assumed by AWS services are left out."
  }

  assert {
    condition     = toset(jsondecode(output.event_patterns["state-objects"]).detail.requestParameters.bucketName) == toset(["acme-tfstate-prod", "acme-tfstate-dev"])
    error_message = "The state-objects pattern matches exactly the state buckets."
  }

  assert {
    condition     = jsondecode(output.event_patterns["lock-tables"]).detail["$or"][1].resources.ARN == [{ suffix = ":table/acme-tf-locks" }]
    error_message = "Batches, transactions and PartiQL statements name the lock table only in their resources."
  }

  assert {
    condition     = length(output.data_event_selectors) == 2 && toset(output.data_event_selectors[0].field_selectors[2].starts_with) == toset(["arn:aws:s3:::acme-tfstate-prod/platform/", "arn:aws:s3:::acme-tfstate-dev/"])
    error_message = "S3 data events are scoped to the state objects' ARN prefixes."
  }

  assert {
    condition     = toset(output.data_event_selectors[1].field_selectors[2].equals) == toset(["arn:aws:dynamodb:eu-west-1:111111111111:table/acme-tf-locks"])
    error_message = "DynamoDB data events are scoped to the lock tables' ARNs."
  }
}

run "logins_only" {
  command = plan

  variables {
    state_bucket_names        = []
    lock_table_names          = []
    match_iam_events          = false
    state_object_arn_prefixes = []
    lock_table_arns           = []
  }

  assert {
    condition     = toset(keys(output.event_patterns)) == toset(["sts"]) && length(output.data_event_selectors) == 0
    error_message = "Nothing to match but logins: no empty list in a pattern (EventBridge rejects them), no selector."
  }
}

run "writes_only" {
  command = plan

  variables {
    log_data_event_reads = false
  }

  assert {
    condition     = alltrue([for s in output.data_event_selectors : contains([for f in s.field_selectors : f.field], "readOnly")])
    error_message = "Without reads, every data-event selector logs writes only."
  }
}

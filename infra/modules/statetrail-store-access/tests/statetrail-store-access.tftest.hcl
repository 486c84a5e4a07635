# `terraform test` (Terraform >= 1.7): the statements for some watched buckets, tables and keys. The module has no
# resources and needs no provider: nothing is planned but its outputs.
#   cd infra/modules/statetrail-store-access && terraform init -backend=false && terraform test

variables {
  lock_table_arns           = ["arn:aws:dynamodb:eu-west-1:111111111111:table/acme-tf-locks"]
  lock_object_arns          = ["arn:aws:s3:::acme-tfstate-prod/*.tflock"]
  state_object_arn_prefixes = ["arn:aws:s3:::acme-tfstate-prod/platform/"]
  state_kms_key_arns        = ["arn:aws:kms:eu-west-1:111111111111:key/11111111-2222-3333-4444-555555555555"]
  state_bucket_arns         = ["arn:aws:s3:::acme-tfstate-prod"]
}

run "lock_reads_and_store_checks" {
  command = plan

  assert {
    condition     = [for s in output.lock_read_statements : s.Sid] == ["ReadLockItems", "ReadLockObjects", "DecryptLockObjects"]
    error_message = "Lock bodies are read from the tables and .tflock objects, decrypted through S3; no HeadObject without verify_bulk_deletes."
  }

  assert {
    condition     = [for s in output.store_check_statements : s.Sid] == ["CheckStateBuckets", "CheckLockTables", "CheckStateKeys"]
    error_message = "The stores' settings are read where they live (issue 19)."
  }

  assert {
    condition     = output.lock_read_statements[2].Condition.StringLike["kms:ViaService"] == "s3.*.amazonaws.com"
    error_message = "The state keys decrypt only through S3."
  }
}

run "head_state_objects_with_verify_bulk_deletes" {
  command = plan

  variables {
    verify_bulk_deletes = true
  }

  assert {
    condition     = [for s in output.lock_read_statements : s.Resource if s.Sid == "HeadStateObjects"] == [["arn:aws:s3:::acme-tfstate-prod/platform/*"]]
    error_message = "HeadObject only on the state objects' prefixes."
  }
}

run "nothing_watched_nothing_granted" {
  command = plan

  variables {
    lock_table_arns           = []
    lock_object_arns          = []
    state_object_arn_prefixes = []
    state_kms_key_arns        = []
    state_bucket_arns         = []
    verify_bulk_deletes       = true
  }

  assert {
    condition     = length(output.lock_read_statements) == 0 && length(output.store_check_statements) == 0
    error_message = "A statement with nothing to name is left out."
  }
}

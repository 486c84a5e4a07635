output "lock_read_statements" {
  description = "IAM statements (objects, for jsonencode) that read lock bodies: ReadLockItems, ReadLockObjects, HeadStateObjects (with verify_bulk_deletes), DecryptLockObjects. Empty parts are left out."
  value       = local.lock_read_statements
}

output "store_check_statements" {
  description = "IAM statements (objects, for jsonencode) that read the stores' settings (issue 19): CheckStateBuckets, CheckLockTables, CheckStateKeys. Empty parts are left out."
  value       = local.store_check_statements
}

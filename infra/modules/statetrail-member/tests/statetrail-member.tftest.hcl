# `terraform test` (Terraform >= 1.7) plans the module against a mocked AWS provider: no account, no credentials.
#   cd infra/modules/statetrail-member && terraform init -backend=false && terraform test

mock_provider "aws" {
  mock_data "aws_caller_identity" {
    defaults = { account_id = "222222222222" }
  }
  mock_data "aws_partition" {
    defaults = { partition = "aws", dns_suffix = "amazonaws.com" }
  }
  mock_data "aws_region" {
    defaults = { name = "eu-west-1" }
  }
}

variables {
  central_event_bus_arn         = "arn:aws:events:eu-west-1:444444444444:event-bus/statetrail"
  state_buckets                 = [{ name = "acme-tfstate-tooling", key_prefixes = ["bootstrap/", "env:/"] }]
  lock_table_names              = ["acme-tf-locks"]
  lock_reader_trusted_role_arns = ["arn:aws:iam::444444444444:role/statetrail-ingest", "arn:aws:iam::444444444444:role/statetrail-sweeper"]
  posture_trusted_role_arns     = ["arn:aws:iam::444444444444:role/statetrail-sweeper"]
  create_data_event_trail       = true
}

run "outside_us_east_1" {
  command = plan

  assert {
    condition     = toset(keys(aws_cloudwatch_event_rule.forward)) == toset(["state-objects", "lock-tables", "state-buckets", "lock-table-settings", "state-keys"])
    error_message = "IAM events are logged in us-east-1 only: eu-west-1 forwards state-object and lock-table events, the store's own changes (and STS)."
  }

  assert {
    condition     = aws_cloudwatch_event_rule.forward_sts[0].state == "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS"
    error_message = "The STS forwarding rule must receive read-only management events."
  }

  assert {
    condition     = jsondecode(aws_cloudwatch_event_rule.forward["lock-tables"].event_pattern).detail["$or"][1].resources.ARN == [{ suffix = ":table/acme-tf-locks" }]
    error_message = "Batches, transactions and PartiQL statements name the lock table only in their resources."
  }

  assert {
    condition = toset(flatten([for s in aws_cloudtrail.data_events[0].advanced_event_selector : [for f in s.field_selector : f.starts_with if f.field == "resources.ARN" && f.starts_with != null]])) == toset([
      "arn:aws:s3:::acme-tfstate-tooling/bootstrap/",
      "arn:aws:s3:::acme-tfstate-tooling/env:/",
    ])
    error_message = "The data-event trail logs only the state objects' key prefixes."
  }

  assert {
    condition     = output.event_patterns["sts"] == aws_cloudwatch_event_rule.forward_sts[0].event_pattern
    error_message = "The event_patterns output is what the forwarding rules match."
  }

  assert {
    condition     = alltrue([for k in ["state-buckets", "lock-table-settings", "state-keys"] : aws_cloudwatch_event_rule.forward[k].state == "ENABLED"])
    error_message = "The store's own changes (issue 19) are write management events: forwarded from member accounts by rules in state ENABLED."
  }
}

run "iam_forwarded_where_asked" {
  command = plan

  variables {
    forward_iam_events = true
  }

  assert {
    condition     = toset(keys(aws_cloudwatch_event_rule.forward)) == toset(["iam", "state-objects", "lock-tables", "state-buckets", "lock-table-settings", "state-keys"])
    error_message = "forward_iam_events = true forwards IAM role-trust and OIDC-provider events too."
  }
}

run "only_the_sweepers_posture_session_reads_iam" {
  command = plan

  assert {
    condition = [for st in jsondecode(aws_iam_role.lock_reader[0].assume_role_policy).Statement : [st.Sid, st.Condition.StringEquals["sts:RoleSessionName"], length(st.Principal.AWS)]] == [
      ["LockReading", "statetrail-lock-reader", 2],
      ["Posture", "statetrail-posture", 1],
    ]
    error_message = "The ingest and sweeper take the lock-reading session only; only the sweeper takes the posture session."
  }

  assert {
    condition     = alltrue([for st in jsondecode(aws_iam_role_policy.posture[0].policy).Statement : st.Condition.StringLike["aws:userid"] == "*:statetrail-posture"])
    error_message = "Only the posture session may list and read IAM roles."
  }
}

run "posture_needs_its_trusted_roles" {
  command = plan

  variables {
    posture_trusted_role_arns = []
  }

  expect_failures = [aws_iam_role_policy.posture]
}

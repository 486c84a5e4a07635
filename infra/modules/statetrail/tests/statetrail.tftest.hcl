# `terraform test` (Terraform >= 1.7) plans the module against a mocked AWS provider: no account, no credentials.
#   cd infra/modules/statetrail && terraform init -backend=false && terraform test

mock_provider "aws" {
  mock_data "aws_caller_identity" {
    defaults = { account_id = "111111111111" }
  }
  mock_data "aws_partition" {
    defaults = { partition = "aws", dns_suffix = "amazonaws.com" }
  }
  mock_data "aws_region" {
    defaults = { name = "eu-west-1" }
  }
}

variables {
  lambda_jar_path = "tests/fake-lambda.jar"
  query_jar_path  = "tests/fake-lambda.jar"
  state_buckets = [
    { name = "acme-tfstate-prod", key_prefixes = ["platform/", "env:/"] },
    { name = "acme-tfstate-dev" },
  ]
  lock_tables = [
    { name = "acme-tf-locks", stream_arn = "arn:aws:dynamodb:eu-west-1:111111111111:table/acme-tf-locks/stream/2026-01-01T00:00:00.000" },
  ]
  policy_yaml = "version: 1\n"
  regions     = ["eu-west-1", "us-east-1"]
}

run "single_account" {
  command = plan

  assert {
    condition     = aws_cloudwatch_event_rule.sts.state == "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS"
    error_message = "The STS rule must receive read-only management events."
  }

  assert {
    condition     = jsondecode(aws_cloudwatch_event_rule.this["state-objects"].event_pattern).detail.requestParameters.bucketName == ["acme-tfstate-prod", "acme-tfstate-dev"]
    error_message = "The state-objects rule must match exactly the state buckets."
  }

  assert {
    condition     = jsondecode(aws_cloudwatch_event_rule.this["lock-tables"].event_pattern).detail["$or"][0].requestParameters.tableName == ["acme-tf-locks"]
    error_message = "The lock-tables rule must match exactly the lock tables."
  }

  assert {
    condition     = jsondecode(aws_cloudwatch_event_rule.this["lock-tables"].event_pattern).detail["$or"][1].resources.ARN == [{ suffix = ":table/acme-tf-locks" }]
    error_message = "Batches, transactions and PartiQL statements name the lock table only in their resources."
  }

  assert {
    condition     = length(aws_cloudwatch_event_rule.central) == 0
    error_message = "No central bus rules without create_central_event_bus."
  }

  assert {
    condition = toset(flatten([for s in aws_cloudtrail.this[0].advanced_event_selector : [for f in s.field_selector : f.starts_with if f.field == "resources.ARN" && f.starts_with != null]])) == toset([
      "arn:aws:s3:::acme-tfstate-dev/",
      "arn:aws:s3:::acme-tfstate-prod/platform/",
      "arn:aws:s3:::acme-tfstate-prod/env:/",
    ])
    error_message = "S3 data events must be scoped to the state buckets' key prefixes."
  }

  assert {
    condition     = aws_dynamodb_table.audit.deletion_protection_enabled && aws_dynamodb_table.audit.point_in_time_recovery[0].enabled
    error_message = "The audit table needs deletion protection and PITR."
  }

  assert {
    condition     = aws_lambda_function.this["ingest"].environment[0].variables.STATETRAIL_POLICY == "ssm:/statetrail/policy"
    error_message = "policy_yaml must be stored in SSM and passed as ssm:/<name>."
  }

  assert {
    condition     = length(aws_lambda_event_source_mapping.lock_stream) == 1
    error_message = "One stream mapping per lock table with a stream."
  }
}

run "organization_with_existing_trail" {
  command = plan

  variables {
    create_trail             = false
    create_central_event_bus = true
    organization_id          = "o-abcdef1234"
    lock_reader_role_name    = "statetrail-lock-reader"
    lock_tables              = [{ name = "acme-tf-locks", account_id = "222222222222" }]
    policy_yaml              = null
    policy_location          = "s3://acme-statetrail-config/policy.yaml"
  }

  assert {
    condition     = length(aws_cloudtrail.this) == 0 && length(aws_s3_bucket.trail) == 0
    error_message = "create_trail = false must not create a trail or its bucket."
  }

  assert {
    condition     = length(aws_cloudwatch_event_rule.central) == 7
    error_message = "Every rule must also exist on the central bus."
  }

  assert {
    condition     = output.data_event_selectors[1].FieldSelectors[2].Equals == ["arn:aws:dynamodb:eu-west-1:222222222222:table/acme-tf-locks"]
    error_message = "Lock tables in member accounts must be selected by their own account's ARN."
  }

  assert {
    condition     = aws_lambda_function.this["sweeper"].environment[0].variables.STATETRAIL_LOCK_READER_ROLE == "statetrail-lock-reader"
    error_message = "The lock reader role name must reach the functions."
  }
}

run "release_jars_from_s3" {
  command = plan

  variables {
    # No local jar exists at these paths: with the code in S3 they must not be read.
    lambda_jar_path          = "no/such/statetrail-lambda.jar"
    query_jar_path           = "no/such/statetrail-lambda-query.jar"
    lambda_s3_bucket         = "acme-artifacts-eu-west-1"
    lambda_s3_key            = "statetrail/0.1.0/statetrail-lambda-0.1.0.jar"
    query_s3_key             = "statetrail/0.1.0/statetrail-lambda-query-0.1.0.jar"
    lambda_s3_object_version = "3HL4kqtJlcpXroDTDmJ-rmSpXd3dIbrHY"
  }

  assert {
    condition     = alltrue([for k, f in aws_lambda_function.this : f.s3_bucket == "acme-artifacts-eu-west-1" && f.filename == null])
    error_message = "Every function's code must come from the release bucket, none from a local file."
  }

  assert {
    condition     = aws_lambda_function.this["ingest"].s3_key == "statetrail/0.1.0/statetrail-lambda-0.1.0.jar" && aws_lambda_function.this["sweeper"].s3_object_version == "3HL4kqtJlcpXroDTDmJ-rmSpXd3dIbrHY"
    error_message = "ingest, lock-stream and sweeper run the events jar, at the object version given."
  }

  assert {
    condition     = aws_lambda_function.this["query"].s3_key == "statetrail/0.1.0/statetrail-lambda-query-0.1.0.jar" && aws_lambda_function.this["query"].s3_object_version == null
    error_message = "The query function runs the query jar."
  }
}

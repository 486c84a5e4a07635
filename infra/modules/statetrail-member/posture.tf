# Posture (issue 16): the statetrail sweeper, through the lock-reader role, reads this account's roles and OIDC providers
# once a day to judge the trusts that existed before statetrail was deployed. Read only; a separate policy so the lock
# reading stays as narrow as it was. ListRoles and ListOpenIDConnectProviders have no resource-level permissions.
# Only the role's statetrail-posture session may (aws:userid is "<role id>:<session name>" for an assumed role), which
# the trust lets only posture_trusted_role_arns take (lock_reader.tf): the ingest's sessions cannot list roles.

locals {
  posture_session_only = { StringLike = { "aws:userid" = "*:${local.posture_session}" } }
}

resource "aws_iam_role_policy" "posture" {
  count = var.create_lock_reader_role && var.enable_posture ? 1 : 0

  name = "read-iam-roles-for-posture"
  role = aws_iam_role.lock_reader[0].id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "PostureListRolesAndProviders"
        Effect    = "Allow"
        Action    = ["iam:ListOpenIDConnectProviders", "iam:ListRoles"]
        Resource  = "*"
        Condition = local.posture_session_only
      },
      {
        Sid       = "PostureReadRoles"
        Effect    = "Allow"
        Action    = ["iam:GetRole"]
        Resource  = "arn:${local.partition}:iam::${local.account_id}:role/*"
        Condition = local.posture_session_only
      },
    ]
  })

  lifecycle {
    precondition {
      condition     = length(var.posture_trusted_role_arns) > 0
      error_message = "enable_posture needs posture_trusted_role_arns: the statetrail sweeper role (the statetrail module's function_role_arns[\"sweeper\"]); or set enable_posture = false."
    }
  }
}

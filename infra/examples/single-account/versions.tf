terraform {
  required_version = ">= 1.5.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.70"
    }
  }

  # Keep statetrail's own state next to the state it audits, e.g.:
  # backend "s3" {
  #   bucket       = "acme-tfstate-tooling"
  #   key          = "statetrail/terraform.tfstate"
  #   region       = "eu-west-1"
  #   use_lockfile = true
  # }
}

terraform {
  required_version = ">= 1.10.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
  }

  # Filled in by `terraform init -backend-config=...` from TF_STATE_BUCKET, TF_STATE_KEY and
  # TF_STATE_REGION; use_lockfile = true locks the state with S3 itself (no DynamoDB table).
  backend "s3" {}
}

provider "aws" {}

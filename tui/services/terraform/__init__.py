"""`pipeline-tui export terraform`: the provisioning desired state written as Terraform."""

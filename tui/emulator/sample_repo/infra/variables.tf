variable "site_bucket" {
  description = "The site bucket's name: SITE_BUCKET, set on the infrastructure build by the pipeline's project (a name its build role may manage, whatever the pipeline is called)."
  type        = string
}

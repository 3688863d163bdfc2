variable "site_name" {
  description = "Prefix of the site bucket's name."
  type        = string
  default     = "acme-site"
}

output "bucket_name" {
  description = "The bucket the web build uploads the site to."
  value       = aws_s3_bucket.site.bucket
}

output "distribution_id" {
  description = "The CloudFront distribution the web build invalidates."
  value       = aws_cloudfront_distribution.site.id
}

output "site_url" {
  description = "Where the site is served."
  value       = "https://${aws_cloudfront_distribution.site.domain_name}"
}

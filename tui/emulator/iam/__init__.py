"""IAM as the services see it: trust policies of service roles, and what those roles may do.

``trust`` — may CodePipeline / CodeBuild assume a role (with the context keys each service documents);
``evaluate`` — a role's identity-based policies (inline, customer- and AWS-managed) for one action on one
resource, on moto's own ``IAMPolicyStatement`` matching; ``managed`` — AWS managed policies on demand;
``pipeline`` / ``builds`` — the checks CodePipeline and CodeBuild make before each step, with AWS's messages.
"""

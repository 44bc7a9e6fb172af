//! Policies IAM and Access Analyzer accept compile, even where the reference's data is thinner
//! than AWS's (warnings at most).

use iam_policy::{Policy, policy};

// Terraform's cross-account role: the session's companions have the request's keys.
const CROSS_ACCOUNT: Policy = policy!({
    "Version": "2012-10-17",
    "Statement": [{
        "Effect": "Allow",
        "Principal": {"AWS": "arn:aws:iam::123456789012:root"},
        "Action": ["sts:AssumeRole", "sts:TagSession"],
        "Condition": {"StringEquals": {"sts:ExternalId": "4a8c1e"}}
    }, {
        "Effect": "Allow",
        "Principal": {"Federated": "arn:aws:iam::123456789012:saml-provider/idp"},
        "Action": ["sts:AssumeRoleWithSAML", "sts:TagSession"],
        "Condition": {"StringEquals": {"saml:sub": "alice", "SAML:aud": "https://signin.aws.amazon.com/saml"}}
    }, {
        "Effect": "Allow",
        "Principal": {"AWS": "arn:aws:iam::123456789012:root"},
        "Action": ["sts:AssumeRole", "sts:SetSourceIdentity"],
        "Condition": {"StringLike": {"sts:RoleSessionName": "${aws:username}"}}
    }]
});

// Every principal of one organization.
const ORGANIZATION: Policy = policy!(#[kind = "role-trust"] {
    "Version": "2012-10-17",
    "Statement": [{
        "Effect": "Allow",
        "Principal": {"AWS": "*"},
        "Action": "sts:AssumeRole",
        "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}
    }]
});

// Formats the reference documents loosely: Backup's recovery points of every service, a key
// ARN with `*` as the resource part, a service view AWS owns in no account.
const BACKUP: Policy = policy!(#[kind = "inline"] {
    "Version": "2012-10-17",
    "Statement": [{
        "Effect": "Allow",
        "Action": ["backup:DeleteRecoveryPoint"],
        "Resource": ["arn:aws:backup:*:*:recovery-point:*", "arn:aws:ec2:*::image/*"]
    }, {
        "Effect": "Allow",
        "Action": "kms:Decrypt",
        "Resource": "arn:aws:kms:*:*:*"
    }, {
        "Effect": "Allow",
        "Action": "resource-explorer-2:Search",
        "Resource": "arn:aws:resource-explorer-2:*::view/AWSServiceViewForApplicationSignals/service-view"
    }]
});

fn main() {
    let _ = (CROSS_ACCOUNT, ORGANIZATION, BACKUP);
}

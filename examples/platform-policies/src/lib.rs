//! A platform team's crate in miniature: it depends on `iam-policy` under its own name
//! (`aws_iam`), writes the policies every service shares and re-exports `policy!`, so a service
//! writes its own policies without depending on `iam-policy` itself (see `tests/`).

pub use aws_iam::{Policy, policy};

policy! {
    /// What every service's role may do with its own logs.
    pub const WRITE_OWN_LOGS = {
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
            "Resource": "arn:aws:logs:*:*:log-group:/services/${aws:PrincipalTag/service}:*"
        }]
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_policy_written_under_the_renamed_dependency_is_a_policy() {
        let read_back = Policy::from_json(&WRITE_OWN_LOGS.to_json()).unwrap();
        assert_eq!(read_back, WRITE_OWN_LOGS);
    }
}

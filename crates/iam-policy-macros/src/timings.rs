//! Opt-in timing of each `policy!` call, for `scripts/bench-macro.sh`: with
//! `IAM_POLICY_MACRO_TIMINGS=<file>` set, each call appends a line `<total µs> <validate µs>` to
//! that file. The first call of a compilation also pays for the first use of the reference data.

use std::io::Write;
use std::time::Duration;

/// The one place the macro reads its environment.
const VARIABLE: &str = "IAM_POLICY_MACRO_TIMINGS";

pub(crate) fn record(total: Duration, validate: Duration) {
    let Some(path) = std::env::var_os(VARIABLE) else {
        return;
    };
    // A benchmark aid: a file that cannot be written only loses the figures.
    if let Ok(mut file) = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
    {
        let _ = writeln!(file, "{} {}", total.as_micros(), validate.as_micros());
    }
}

#[path = "../src/lint/document.rs"]
#[allow(dead_code)]
mod document;
use iam_policy_core::{Options, PolicyKind};
fn main() {
    let dir = "/work/shared/corpus/aws-managed-dev";
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    let files: Vec<Vec<u8>> = paths.iter().map(|p| std::fs::read(p).unwrap()).collect();
    let options = Options {
        kind: Some(PolicyKind::Identity),
        ..Options::default()
    };
    let passes: usize = std::env::args()
        .nth(1)
        .map(|a| a.parse().unwrap())
        .unwrap_or(3);
    let mut n = 0;
    for _ in 0..passes {
        for f in &files {
            n += document::lint_bytes(f, &options).diagnostics.len();
        }
    }
    println!("{n}");
}

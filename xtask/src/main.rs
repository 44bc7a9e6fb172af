//! Project automation, run as `cargo xtask <command>` (see <https://github.com/matklad/cargo-xtask>).

fn main() {}

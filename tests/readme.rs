//! Keeps `docs/readme-macro.md` true: the error it shows is the one the compiler prints for
//! `ui/conditions/readme-example.rs` (whose expected output trybuild checks), and the code it
//! shows is that file's.

use std::path::Path;

#[test]
fn readme_shows_the_compiler_output_of_its_example() -> Result<(), String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let read = |path: &Path| {
        std::fs::read_to_string(path).map_err(|error| format!("{}: {error}", path.display()))
    };
    let readme = read(&root.join("../docs/readme-macro.md"))?;
    let example = read(&root.join("ui/conditions/readme-example.rs"))?;
    let stderr = read(&root.join("ui/conditions/readme-example.stderr"))?;
    let shown = stderr.replace("ui/conditions/readme-example.rs", "src/main.rs");
    if !readme.contains(shown.trim_end()) {
        return Err(format!("the readme does not show this output:\n{shown}"));
    }
    let constant: String = example
        .lines()
        .skip_while(|line| !line.starts_with("const "))
        .take_while(|line| !line.is_empty())
        .map(|line| format!("{line}\n"))
        .collect();
    if constant.is_empty() || !readme.contains(&constant) {
        return Err(format!("the readme does not show this code:\n{constant}"));
    }
    Ok(())
}

//! Keeps `README.md` and `docs/policy-macro.md` true: the error they show is the one the
//! compiler prints for `ui/conditions/readme-example.rs` (whose expected output trybuild
//! checks), and the code they show is that file's.

use std::path::Path;

#[test]
fn readmes_show_the_compiler_output_of_their_example() -> Result<(), String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let read = |path: &Path| {
        std::fs::read_to_string(path).map_err(|error| format!("{}: {error}", path.display()))
    };
    let example = read(&root.join("ui/conditions/readme-example.rs"))?;
    let stderr = read(&root.join("ui/conditions/readme-example.stderr"))?;
    let shown = stderr.replace("ui/conditions/readme-example.rs", "src/main.rs");
    let constant: String = example
        .lines()
        .skip_while(|line| !line.starts_with("const "))
        .take_while(|line| !line.is_empty())
        .map(|line| format!("{line}\n"))
        .collect();
    if constant.is_empty() {
        return Err("the example has no `const` item".to_owned());
    }
    for readme in ["../README.md", "../docs/policy-macro.md"] {
        let text = read(&root.join(readme))?;
        if !text.contains(shown.trim_end()) {
            return Err(format!("{readme} does not show this output:\n{shown}"));
        }
        if !text.contains(&constant) {
            return Err(format!("{readme} does not show this code:\n{constant}"));
        }
    }
    Ok(())
}

//! SECURITY.md maps each claim to the tests that prove it; this keeps the map true.

use std::path::Path;

/// Every `path :: function` SECURITY.md names must be a function in that file.
#[test]
fn security_md_names_only_tests_that_exist() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let doc = std::fs::read_to_string(root.join("SECURITY.md")).expect("SECURITY.md at the top of the repository");
    let mut named = 0;
    let mut missing = Vec::new();
    for line in doc.lines() {
        let Some(start) = line.find("`crates/") else { continue };
        let rest = &line[start + 1..];
        let Some(end) = rest.find('`') else { continue };
        let Some((file, function)) = rest[..end].split_once(" :: ") else {
            continue;
        };
        named += 1;
        let source = std::fs::read_to_string(root.join(file)).unwrap_or_default();
        if !source.contains(&format!("fn {function}(")) {
            missing.push(format!("{file} :: {function}"));
        }
    }
    assert!(
        named >= 40,
        "SECURITY.md names {named} tests; it should name one per claim"
    );
    assert!(
        missing.is_empty(),
        "SECURITY.md names tests that do not exist:\n{}",
        missing.join("\n")
    );
}

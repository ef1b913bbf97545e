//! Every file of the fuzz corpora (`fuzz/corpus/<target>/`) fed to the same checks the fuzz
//! targets run (`fuzz/checks.rs`), on the stable toolchain: what the fuzzers once found (a
//! panic, a link that led elsewhere) stays fixed, and the readers stay total on the inputs
//! that reach deepest into them. `scripts/fuzz.sh` runs the fuzzers themselves.

#[path = "../../../fuzz/checks.rs"]
mod checks;

use std::path::Path;

#[test]
fn every_corpus_file_is_read_without_a_panic() {
    let corpora = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/corpus");
    let mut panicked = Vec::new();
    for (name, check) in checks::TARGETS {
        let dir = corpora.join(name);
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("the corpus of {name} at {}: {e}", dir.display()))
            .map(|entry| entry.expect("a corpus entry").path())
            .collect();
        files.sort();
        assert!(files.len() >= 10, "{name}: only {} corpus files", files.len());
        for file in files {
            let data = std::fs::read(&file).expect("a corpus file");
            if std::panic::catch_unwind(|| check(&data)).is_err() {
                let name_of = file.file_name().unwrap_or_default().to_string_lossy().into_owned();
                panicked.push(format!("{name}/{name_of} ({:?})", String::from_utf8_lossy(&data)));
            }
        }
    }
    assert!(panicked.is_empty(), "panicked on:\n{}", panicked.join("\n"));
}

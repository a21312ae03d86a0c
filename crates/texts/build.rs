//! Embeds the built-in catalogues: every `locales/<lang>/*.ftl` becomes one entry of
//! `BUILTIN` (language, file name, text), so adding a language folder needs no code.

use std::fmt::Write;
use std::path::Path;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("locales");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut entries = Vec::new();
    for lang in sorted(&root) {
        println!("cargo:rerun-if-changed={}", lang.display());
        for file in sorted(&lang) {
            if file.extension().is_some_and(|e| e == "ftl") {
                entries.push((name(&lang), name(&file), file.display().to_string()));
            }
        }
    }
    let mut code = String::from("pub static BUILTIN: &[(&str, &str, &str)] = &[\n");
    for (lang, file, path) in entries {
        let _ = writeln!(code, "    ({lang:?}, {file:?}, include_str!({path:?})),");
    }
    code.push_str("];\n");
    let out = Path::new(&std::env::var("OUT_DIR").unwrap_or_default()).join("builtin.rs");
    if let Err(e) = std::fs::write(&out, code) {
        panic!("cannot write {}: {e}", out.display());
    }
}

fn sorted(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut found: Vec<_> = std::fs::read_dir(dir)
        .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    found.sort();
    found
}

fn name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

//! Embeds the default theme: every file of `templates/` and `static/` becomes one entry
//! of `DEFAULT_TEMPLATES` or `DEFAULT_STATIC`, so a new template or asset needs no code.

use std::fmt::Write;
use std::path::{Path, PathBuf};

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut code = String::new();
    for (dir, name, macro_name, kind) in [
        ("templates", "DEFAULT_TEMPLATES", "include_str", "str"),
        ("static", "DEFAULT_STATIC", "include_bytes", "[u8]"),
    ] {
        let dir = root.join(dir);
        println!("cargo:rerun-if-changed={}", dir.display());
        let _ = writeln!(code, "pub static {name}: &[(&str, &{kind})] = &[");
        for file in files(&dir) {
            let label = file
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let _ = writeln!(
                code,
                "    ({label:?}, {macro_name}!({:?})),",
                file.display().to_string()
            );
        }
        code.push_str("];\n");
    }
    let out = Path::new(&std::env::var("OUT_DIR").unwrap_or_default()).join("default_theme.rs");
    if let Err(e) = std::fs::write(&out, code) {
        panic!("cannot write {}: {e}", out.display());
    }
}

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|d| {
            d.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.is_file())
                .collect()
        })
        .unwrap_or_default();
    found.sort();
    found
}

//! Prints sv-parser's whole syntax tree (Debug: every node, token, comment
//! and offset) of each file given, with `FORMAL` defined. Used to check
//! that a change to the parser's memo table (vendor/nom-packrat-macros)
//! leaves every tree of a corpus identical: run it before and after and
//! compare. Usage: cargo run --example parse_tree -- FILE...
use std::collections::HashMap;
use std::path::PathBuf;

fn main() {
    let mut defines = HashMap::new();
    defines.insert(String::from("FORMAL"), None);
    for path in std::env::args().skip(1) {
        let (path, defines) = (PathBuf::from(path), defines.clone());
        // sv-parser recurses deeply on nested expressions: a big stack.
        let out = rtl::parse::on_big_stack(move || {
            match sv_parser::parse_sv(&path, &defines, &[] as &[PathBuf], false, false) {
                Ok((tree, _)) => format!("{}: {:?}", path.display(), tree),
                Err(e) => format!("{}: error {e:?}", path.display()),
            }
        });
        println!("{out}");
    }
}

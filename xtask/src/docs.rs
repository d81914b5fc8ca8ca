//! `cargo xtask docs`: the man page and shell completions, generated from the tracer's own clap
//! definitions (`tracer/src/cli.rs`, compiled in here), so that they cannot drift from `--help`.
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};
use clap::CommandFactory as _;
use clap_complete::Shell;

#[allow(dead_code)]
#[path = "../../tracer/src/cli.rs"]
mod cli;

/// Writes `tracer.1`, `tracer.bash`, `_tracer` (zsh) and `tracer.fish` into `out`.
pub fn generate(out: &Path) -> Result<Vec<PathBuf>> {
    std::fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
    let mut files = Vec::new();
    let cmd = cli::Cli::command();
    let man = out.join("tracer.1");
    let mut page = Vec::new();
    clap_mangen::Man::new(cmd.clone())
        .section("1")
        .manual("tracer manual")
        .render(&mut page)?;
    std::fs::write(&man, page).with_context(|| format!("writing {}", man.display()))?;
    files.push(man);
    for shell in [Shell::Bash, Shell::Zsh, Shell::Fish] {
        let path = clap_complete::generate_to(shell, &mut cmd.clone(), "tracer", out)
            .with_context(|| format!("writing the {shell} completions"))?;
        files.push(path);
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn man_page_and_completions_name_every_flag() {
        let dir = std::env::temp_dir().join(format!("tracer-docs-{}", std::process::id()));
        let files = generate(&dir).unwrap();
        assert_eq!(files.len(), 4);
        let man = std::fs::read_to_string(dir.join("tracer.1")).unwrap();
        let bash = std::fs::read_to_string(dir.join("tracer.bash")).unwrap();
        for arg in cli::Cli::command()
            .get_arguments()
            .filter(|a| !a.is_hide_set())
        {
            if let Some(long) = arg.get_long() {
                // roff escapes dashes.
                assert!(
                    man.contains(&format!("\\-\\-{}", long.replace('-', "\\-"))),
                    "man: --{long}"
                );
                assert!(bash.contains(&format!("--{long}")), "bash: --{long}");
            }
        }
        // The completion script is valid bash.
        let st = std::process::Command::new("bash")
            .arg("-n")
            .arg(dir.join("tracer.bash"))
            .status()
            .unwrap();
        assert!(st.success());
        std::fs::remove_dir_all(&dir).ok();
    }
}

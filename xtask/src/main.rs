//! `cargo xtask`: set-up (toolchain pieces), build, run, test and bench, so that a fresh
//! machine needs exactly the two commands in README.md.
mod bench;
mod docs;
mod setup;
mod strace_suite;

use std::{
    path::{Path, PathBuf},
    process::{Command, ExitCode},
};

use anyhow::{Context as _, Result, bail};
use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "xtask",
    about = "Set-up, build, run, test and bench for tracer"
)]
struct Cli {
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Install what the eBPF build needs (rust-src, bpf-linker); skips what is done.
    Setup,
    /// Build the tracer (release) with its eBPF programs.
    Build,
    /// Build, then run the tracer with these arguments (as root).
    Run {
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
    /// fmt, clippy (both sides), unit tests and root end-to-end tests.
    Test,
    /// The man page (tracer.1) and bash, zsh and fish completions, from the tracer's own
    /// command-line definitions, into DIR.
    Docs {
        #[arg(long, default_value = "target/docs")]
        out: PathBuf,
    },
    /// The container image for deploy/: FROM scratch, the release binary and the libraries
    /// it links, imported into podman as localhost/tracer:VERSION (no registry needed).
    Image {
        /// Only write the image's root filesystem into DIR (for deploy/Dockerfile).
        #[arg(long)]
        rootfs: Option<PathBuf>,
    },
    /// strace's own test suite (its plain mode) with the tracer in strace's place: counts and
    /// each failure's first differing line.
    StraceSuite {
        /// Only the tests whose name matches this regular expression (the counts then cover
        /// those alone).
        #[arg(long)]
        only: Option<String>,
    },
    /// Overhead benchmark against untraced, strace, perf trace and bpftrace; decoding speed;
    /// start-up.
    Bench {
        /// dd iterations per run (one byte each: a read and a write).
        #[arg(long, default_value_t = 400_000)]
        count: u64,
        /// Interleaved rounds (median reported).
        #[arg(long, default_value_t = 5)]
        rounds: usize,
    },
}

pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace")
        .to_path_buf()
}

/// Runs a command in the workspace root, failing with its name if it fails.
pub fn run(cmd: &mut Command) -> Result<()> {
    let shown = format!("{cmd:?}");
    eprintln!("xtask: $ {shown}");
    let status = cmd
        .current_dir(root())
        .status()
        .with_context(|| format!("starting {shown}"))?;
    if !status.success() {
        bail!("{shown} failed ({status})");
    }
    Ok(())
}

fn cargo() -> Command {
    let mut c = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    // The stable toolchain builds userspace; aya-build calls the nightly for the eBPF side.
    c.env_remove("RUSTUP_TOOLCHAIN");
    c
}

/// `cargo xtask image`: the binary and what `ldd` lists, as a root filesystem, imported.
fn image(bin: &Path, rootfs: Option<PathBuf>) -> Result<()> {
    let dir = rootfs
        .clone()
        .unwrap_or_else(|| root().join("target/image-rootfs"));
    let _ = std::fs::remove_dir_all(&dir);
    let mut files = vec![(bin.to_path_buf(), dir.join("usr/local/bin/tracer"))];
    let ldd = Command::new("ldd").arg(bin).output()?;
    for lib in String::from_utf8_lossy(&ldd.stdout)
        .split_whitespace()
        .filter(|w| w.starts_with('/'))
    {
        files.push((PathBuf::from(lib), dir.join(lib.trim_start_matches('/'))));
    }
    for (from, to) in files {
        std::fs::create_dir_all(to.parent().expect("a file in a directory"))?;
        std::fs::copy(&from, &to)?;
    }
    if rootfs.is_some() {
        eprintln!("xtask: the image's root filesystem is in {}", dir.display());
        return Ok(());
    }
    let tag = format!("localhost/tracer:{}", env!("CARGO_PKG_VERSION"));
    let mut tar = Command::new("tar")
        .arg("-C")
        .arg(&dir)
        .args(["-c", "."])
        .stdout(std::process::Stdio::piped())
        .spawn()?;
    run(Command::new("podman")
        .args([
            "import",
            "--change",
            "ENTRYPOINT [\"/usr/local/bin/tracer\"]",
            "--change",
            "USER 65534",
            "-",
            &tag,
        ])
        .stdin(tar.stdout.take().expect("piped")))?;
    tar.wait()?;
    eprintln!(
        "xtask: image {tag} (run it as deploy/daemonset.yaml says; tracer/tests/container.rs runs it)"
    );
    Ok(())
}

fn build() -> Result<PathBuf> {
    setup::setup()?;
    run(cargo().args(["build", "--release", "--package", "tracer"]))?;
    Ok(root().join("target/release/tracer"))
}

fn test() -> Result<()> {
    setup::setup()?;
    setup::test_tools()?;
    run(cargo().args(["fmt", "--all", "--check"]))?;
    run(cargo().args([
        "clippy",
        "--package",
        "tracer",
        "--package",
        "tracer-common",
        "--package",
        "xtask",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ]))?;
    // The eBPF crate is linted for its own target (it cannot build for the host).
    run(Command::new("rustup")
        .args([
            "run",
            "nightly",
            "cargo",
            "clippy",
            "--package",
            "tracer-ebpf",
            "--release",
            "--target",
            "bpfel-unknown-none",
            "-Z",
            "build-std=core",
            "--target-dir",
            "target/ebpf-clippy",
            "--",
            "-D",
            "warnings",
        ])
        .env_remove("RUSTUP_TOOLCHAIN"))?;
    // Unit tests, then the root end-to-end tests against the real kernel.
    run(cargo().args(["test", "--package", "tracer-common", "--package", "xtask"]))?;
    run(cargo().args([
        "test",
        "--package",
        "tracer",
        "--bins",
        "--test",
        "golden",
        "--test",
        "e2e",
        "--",
        "--test-threads",
        "2",
    ]))?;
    // The image under podman, and the manifests against Kubernetes' schemas.
    run(cargo().args(["test", "--package", "tracer", "--test", "container"]))?;
    // Story 4 on a real PostgreSQL behind pgBouncer.
    run(cargo().args(["test", "--package", "tracer", "--test", "pgbouncer"]))?;
    // The differential test against strace prints its agreement report.
    run(cargo().args([
        "test",
        "--package",
        "tracer",
        "--test",
        "differential",
        "--",
        "--nocapture",
    ]))?;
    // strace's own test suite with the tracer in strace's place (the debug build the tests
    // above built): its counts, and no fewer passes than before.
    strace_suite::ratchet(&root().join("target/debug/tracer"))?;
    Ok(())
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let r = match cli.cmd {
        Cmd::Setup => setup::setup(),
        Cmd::Build => build().map(|_| ()),
        Cmd::Run { args } => build().and_then(|bin| {
            let args: Vec<&String> = match args.first() {
                Some(a) if a == "--" => args.iter().skip(1).collect(),
                _ => args.iter().collect(),
            };
            let status = Command::new(&bin).args(args).status()?;
            std::process::exit(status.code().unwrap_or(1));
        }),
        Cmd::Test => test(),
        Cmd::StraceSuite { only } => setup::test_tools()
            .and_then(|()| build())
            .and_then(|bin| strace_suite::run(&bin, only.as_deref()).map(|_| ())),
        Cmd::Image { rootfs } => build().and_then(|bin| image(&bin, rootfs)),
        Cmd::Docs { out } => docs::generate(&out).map(|files| {
            for f in files {
                println!("{}", f.display());
            }
        }),
        Cmd::Bench { count, rounds } => setup::bench_tools()
            .and_then(|()| build())
            .and_then(|bin| bench::bench(&bin, count, rounds)),
    };
    match r {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

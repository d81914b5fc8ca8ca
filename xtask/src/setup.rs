//! Set-up: the nightly's rust-src and a bpf-linker built against the nightly's own libLLVM
//! (Debian's LLVM is too old for bpf-linker), installed into the git-ignored `.tools/` and
//! rebuilt only when the nightly changes.
use std::{fs, process::Command};

use anyhow::{Context as _, Result, bail};

use crate::{root, run};

const BPF_LINKER: &str = "0.13.0";

fn output(cmd: &mut Command) -> Result<String> {
    let out = cmd.output().with_context(|| format!("starting {cmd:?}"))?;
    if !out.status.success() {
        bail!(
            "{cmd:?} failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

pub fn setup() -> Result<()> {
    let nightly = match output(Command::new("rustc").args(["+nightly", "-vV"])) {
        Ok(v) => v,
        Err(_) => {
            eprintln!("xtask: installing the nightly toolchain (the eBPF side needs -Z build-std)");
            run(Command::new("rustup").args([
                "toolchain",
                "install",
                "nightly",
                "--profile",
                "minimal",
            ]))?;
            output(Command::new("rustc").args(["+nightly", "-vV"]))?
        }
    };
    let components = output(Command::new("rustup").args([
        "component",
        "list",
        "--installed",
        "--toolchain",
        "nightly",
    ]))?;
    if !components.lines().any(|l| l.starts_with("rust-src")) {
        eprintln!("xtask: installing rust-src for the nightly (needed to build core for BPF)");
        run(Command::new("rustup").args([
            "component",
            "add",
            "rust-src",
            "--toolchain",
            "nightly",
        ]))?;
    }

    let dir = root().join(".tools/bpf-linker");
    let bin = dir.join("bin/bpf-linker");
    let stamp = dir.join("STAMP");
    let want = format!("bpf-linker {BPF_LINKER}\n{nightly}");
    if bin.exists() && fs::read_to_string(&stamp).ok().as_deref() == Some(want.as_str()) {
        return Ok(());
    }
    let llvm_major = nightly
        .lines()
        .find_map(|l| l.strip_prefix("LLVM version: "))
        .and_then(|v| v.split('.').next())
        .context("rustc +nightly -vV does not say its LLVM version")?
        .to_string();
    let sysroot = output(Command::new("rustc").args(["+nightly", "--print", "sysroot"]))?;
    let lib = std::path::PathBuf::from(sysroot.trim()).join("lib");
    let libllvm = fs::read_dir(&lib)?
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .find(|n| n.starts_with("libLLVM.so."))
        .with_context(|| format!("no libLLVM.so.* in {}", lib.display()))?;
    eprintln!(
        "xtask: building bpf-linker {BPF_LINKER} against the nightly's {libllvm} into {} (about a minute, once)",
        dir.display()
    );
    // bpf-linker links -lLLVM from $LLVM_PREFIX/lib; the nightly only ships a versioned soname.
    let shim = std::env::temp_dir().join(format!("tracer-llvm-shim-{}", std::process::id()));
    let shim_lib = shim.join("lib");
    fs::create_dir_all(&shim_lib)?;
    for name in ["libLLVM.so", libllvm.as_str()] {
        let link = shim_lib.join(name);
        let _ = fs::remove_file(&link);
        std::os::unix::fs::symlink(lib.join(&libllvm), &link)?;
    }
    let r = run(Command::new("cargo")
        .env_remove("RUSTUP_TOOLCHAIN")
        .env("LLVM_PREFIX", &shim)
        .env(
            "RUSTFLAGS",
            format!("-C link-arg=-Wl,-rpath,{}", lib.display()),
        )
        .args([
            "install",
            "--locked",
            "--force",
            &format!("bpf-linker@{BPF_LINKER}"),
            "--no-default-features",
        ])
        .args(["--features", &format!("llvm-{llvm_major}"), "--root"])
        .arg(&dir));
    let _ = fs::remove_dir_all(&shim);
    r?;
    fs::write(&stamp, want)?;
    eprintln!("xtask: bpf-linker ready (built against {libllvm})");
    Ok(())
}

/// The programs the tests run (the differential corpus, the e2e victims); installed from
/// Debian's packages when missing.
pub fn test_tools() -> Result<()> {
    let needed = [
        ("strace", "strace"),
        ("cc", "gcc"),
        ("curl", "curl"),
        ("git", "git"),
        ("setpriv", "util-linux"),
        ("tar", "tar"),
        // The watch's terminal UI is driven in a real terminal.
        ("tmux", "tmux"),
        // The fault matrix checks that no BPF program outlives the tracer.
        ("bpftool", "bpftool"),
        ("prlimit", "util-linux"),
    ];
    let missing = missing(&needed);
    if !std::path::Path::new("/usr/bin/python3").exists() {
        return install(&["python3"]).and_then(|()| test_tools());
    }
    // Story 4's end-to-end test runs a real PostgreSQL behind a real pgBouncer.
    let have_pg = std::fs::read_dir("/usr/lib/postgresql")
        .map(|d| d.flatten().any(|e| e.path().join("bin/postgres").exists()))
        .unwrap_or(false);
    let mut missing = missing;
    if !have_pg {
        missing.push("postgresql");
    }
    if !std::path::Path::new("/usr/sbin/pgbouncer").exists() {
        missing.push("pgbouncer");
    }
    // Story 1's injection test runs a real qemu.
    if !std::path::Path::new("/usr/bin/qemu-system-x86_64").exists() {
        missing.push("qemu-system-x86");
    }
    // The fleet test scrapes with a real Prometheus and checks with promtool; the image test
    // runs under podman with runc.
    if !std::path::Path::new("/usr/bin/prometheus").exists() {
        missing.push("prometheus");
    }
    for (cmd, pkg) in [("podman", "podman"), ("runc", "runc")] {
        if !["/usr/bin", "/usr/sbin"]
            .iter()
            .any(|d| std::path::Path::new(d).join(cmd).exists())
        {
            missing.push(pkg);
        }
    }
    // --perfetto's test reads the timeline with Perfetto's own protos, in a venv.
    let venv_works = Command::new("python3")
        .args(["-c", "import ensurepip, venv"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !venv_works {
        missing.push("python3-venv");
    }
    if !missing.is_empty() {
        install(&missing)?;
    }
    perfetto_protos()
}

/// A Python venv in `.tools/venv` with PyPI's `perfetto` (its trace protos) and
/// `kubernetes-validate` (the Kubernetes schemas, offline).
fn perfetto_protos() -> Result<()> {
    let venv = root().join(".tools/venv");
    let python = venv.join("bin/python");
    let ready = || {
        Command::new(&python)
            .args([
                "-c",
                "import perfetto.protos.perfetto.trace.perfetto_trace_pb2, kubernetes_validate",
            ])
            .output()
            .is_ok_and(|o| o.status.success())
    };
    if ready() {
        return Ok(());
    }
    eprintln!(
        "xtask: installing perfetto and kubernetes-validate into {}",
        venv.display()
    );
    run(Command::new("python3").args(["-m", "venv"]).arg(&venv))?;
    run(Command::new(venv.join("bin/pip")).args([
        "install",
        "-q",
        "perfetto",
        "kubernetes-validate",
    ]))?;
    anyhow::ensure!(
        ready(),
        "perfetto and kubernetes-validate installed but do not import"
    );
    Ok(())
}

/// The peers `cargo xtask bench` measures next to the tracer, and the test tools.
pub fn bench_tools() -> Result<()> {
    test_tools()?;
    let missing = missing(&[("bpftrace", "bpftrace"), ("perf", "linux-perf")]);
    if missing.is_empty() {
        return Ok(());
    }
    install(&missing)
}

/// The packages of the (command, package) pairs whose command is not on PATH.
fn missing<'a>(needed: &[(&str, &'a str)]) -> Vec<&'a str> {
    needed
        .iter()
        .filter(|(cmd, _)| {
            !Command::new("sh")
                .args(["-c", &format!("command -v {cmd}")])
                .output()
                .is_ok_and(|o| o.status.success())
        })
        .map(|(_, pkg)| *pkg)
        .collect()
}

fn install(pkgs: &[&str]) -> Result<()> {
    eprintln!("xtask: installing {} (used by the tests)", pkgs.join(", "));
    run(Command::new("apt-get").args(["update", "-qq"]))?;
    run(Command::new("apt-get")
        .args(["install", "-y", "-qq", "--no-install-recommends"])
        .args(pkgs)
        .env("DEBIAN_FRONTEND", "noninteractive"))
}

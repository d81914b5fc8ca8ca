//! The deploy story, run: the tracer in a container image built offline (`FROM scratch`: the
//! binary and the libraries `ldd` lists, imported into podman), under podman with runc, the
//! documented capabilities and nothing more, `deploy/seccomp.json`, the host's PID namespace,
//! a read-only root and a non-root user. It must see a host process fail and a second
//! container's process fail, tagged with that container. Needs podman and runc (`cargo xtask
//! test` installs them); without podman it says why and does nothing.
use std::{
    path::{Path, PathBuf},
    process::Command,
    time::{Duration, Instant},
};

mod support {
    pub mod cgroup;
}

use support::cgroup::cgroup2_root;

const TRACER: &str = env!("CARGO_BIN_EXE_tracer");

/// Flags every container here runs with (root lacks CAP_SYS_RESOURCE on this kind of VM;
/// crun refuses hybrid cgroup layouts).
const RUN: &[&str] = &[
    "--runtime",
    "runc",
    "--ulimit",
    "nofile=20000:20000",
    "--ulimit",
    "nproc=32768:32768",
];

fn podman(args: &[&str]) -> std::process::Output {
    Command::new("podman").args(args).output().expect("podman")
}

/// An image `name` of programs (host file, path in the image) and the libraries they link,
/// its entry point the first program's path when `entry` is set.
fn image(name: &str, programs: &[(&Path, &str)], entry: bool) {
    // A directory per image: tests build theirs in parallel.
    let root = std::env::temp_dir().join(format!(
        "tracer-img-{}-{}",
        std::process::id(),
        name.replace(['/', ':'], "_")
    ));
    let _ = std::fs::remove_dir_all(&root);
    for (binary, at) in programs {
        let binary = std::fs::canonicalize(binary).unwrap();
        let dest = root.join(at.trim_start_matches('/'));
        std::fs::create_dir_all(dest.parent().unwrap()).unwrap();
        std::fs::copy(&binary, &dest).unwrap();
        let ldd = Command::new("ldd").arg(&binary).output().unwrap();
        for lib in String::from_utf8_lossy(&ldd.stdout)
            .split_whitespace()
            .filter(|w| w.starts_with('/'))
        {
            let to = root.join(lib.trim_start_matches('/'));
            std::fs::create_dir_all(to.parent().unwrap()).unwrap();
            std::fs::copy(lib, &to).unwrap();
        }
    }
    let mut tar = Command::new("tar")
        .arg("-C")
        .arg(&root)
        .args(["-c", "."])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut import = Command::new("podman");
    import.arg("import");
    if entry {
        import.args(["--change", &format!("ENTRYPOINT [\"{}\"]", programs[0].1)]);
    }
    let o = import
        .args(["-", name])
        .stdin(tar.stdout.take().unwrap())
        .output()
        .unwrap();
    assert!(tar.wait().unwrap().success());
    assert!(o.status.success(), "podman import: {o:?}");
    std::fs::remove_dir_all(&root).ok();
}

/// Removes what the test made, whatever happens.
struct Cleanup(Vec<String>, Vec<String>);

impl Drop for Cleanup {
    fn drop(&mut self) {
        for c in &self.0 {
            let _ = podman(&["rm", "-f", c]);
        }
        for i in &self.1 {
            let _ = podman(&["rmi", "-f", i]);
        }
    }
}

#[test]
fn the_image_runs_with_the_documented_capabilities_and_tags_containers() {
    require_podman();
    let me = std::process::id();
    let (tracer_img, cat_img) = (
        format!("localhost/tracer-e2e:{me}"),
        format!("localhost/cat-e2e:{me}"),
    );
    let name = format!("tracer-e2e-{me}");
    let _clean = Cleanup(
        vec![name.clone()],
        vec![tracer_img.clone(), cat_img.clone()],
    );
    image(
        &tracer_img,
        &[(Path::new(TRACER), "/usr/local/bin/tracer")],
        true,
    );
    image(&cat_img, &[(Path::new("/usr/bin/cat"), "/bin/cat")], true);
    let seccomp: PathBuf = Path::new(env!("CARGO_MANIFEST_DIR")).join("../deploy/seccomp.json");
    let cgroup_mount = format!("--volume={}:/host/cgroup2:ro", cgroup2_root().display());
    let secure = |extra: &[&str]| -> Vec<String> {
        let mut v: Vec<String> = ["run"].iter().map(|s| s.to_string()).collect();
        v.extend(RUN.iter().map(|s| s.to_string()));
        v.extend(
            [
                "--cap-drop=all",
                "--cap-add=BPF,PERFMON,SYS_PTRACE,DAC_READ_SEARCH",
                "--pid=host",
                "--cgroupns=host",
                // The host's cgroup v2 hierarchy (podman mounts only the v1 controllers on a
                // hybrid host): where container ids are read from cgroup ids.
                cgroup_mount.as_str(),
                "--read-only",
                "--user=65534",
            ]
            .iter()
            .map(|s| s.to_string()),
        );
        v.extend(extra.iter().map(|s| s.to_string()));
        v
    };
    // Podman's default seccomp profile refuses bpf() without CAP_SYS_ADMIN: the shipped one
    // is what makes the image work.
    let mut args = secure(&["--rm", &tracer_img, "-a", "--syscall-limit", "1"]);
    let o = podman(&args.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(
        !o.status.success()
            && String::from_utf8_lossy(&o.stderr).contains("Operation not permitted"),
        "without deploy/seccomp.json: {o:?}"
    );
    args = secure(&[
        "-d",
        "--name",
        &name,
        &format!("--security-opt=seccomp={}", seccomp.display()),
        &tracer_img,
        "-a",
        "--errno",
        "ENOENT",
        "-e",
        "trace=openat",
        "--decode-pids=container",
    ]);
    let o = podman(&args.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(o.status.success(), "podman run tracer: {o:?}");
    let logs = || {
        let o = podman(&["logs", &name]);
        format!(
            "{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        )
    };
    let deadline = Instant::now() + Duration::from_secs(60);
    while !logs().contains("attached") {
        assert!(
            Instant::now() < deadline,
            "the tracer in its container: {}",
            logs()
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    // A host process and a second container's process fail.
    let host_path = format!("/nonexistent-host-{me}");
    let ctr_path = format!("/nonexistent-container-{me}");
    let _ = Command::new("cat").arg(&host_path).output().unwrap();
    let cid_file = std::env::temp_dir().join(format!("tracer-e2e-{me}.cid"));
    let _ = std::fs::remove_file(&cid_file);
    let mut run: Vec<&str> = vec!["run", "--rm"];
    run.extend(RUN);
    let cid_arg = format!("--cidfile={}", cid_file.display());
    run.extend([cid_arg.as_str(), cat_img.as_str(), ctr_path.as_str()]);
    let o = podman(&run);
    assert!(!o.status.success(), "cat of a missing file fails: {o:?}");
    let cid = std::fs::read_to_string(&cid_file).unwrap();
    std::fs::remove_file(&cid_file).ok();
    let short = &cid.trim()[..12];
    let deadline = Instant::now() + Duration::from_secs(30);
    let (host_line, ctr_line) = loop {
        let l = logs();
        let find = |p: &str| {
            l.lines()
                .find(|x| x.contains(p) && x.contains("openat("))
                .map(str::to_string)
        };
        if let (Some(h), Some(c)) = (find(&host_path), find(&ctr_path)) {
            break (h, c);
        }
        assert!(
            Instant::now() < deadline,
            "the failures are not in the tracer's output:\n{l}"
        );
        std::thread::sleep(Duration::from_millis(300));
    };
    assert!(
        host_line.starts_with("cat[") && !host_line.contains('@'),
        "a host process has no container: {host_line}"
    );
    assert!(
        ctr_line.starts_with("cat[") && ctr_line.contains(&format!("@{short}] ")),
        "the second container's process is tagged with it ({short}): {ctr_line}"
    );
    assert!(ctr_line.contains("= -1 ENOENT"), "{ctr_line}");
}

#[test]
fn the_daemonset_passes_the_kubernetes_schemas() {
    // PyPI's kubernetes-validate, in the venv `cargo xtask test` makes: the real schemas,
    // offline, strict (unknown fields are errors).
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let tool = root.join(".tools/venv/bin/kubernetes-validate");
    assert!(
        tool.exists(),
        "{} is missing: `cargo xtask test` installs it",
        tool.display()
    );
    let o = Command::new(tool)
        .arg("--strict")
        .arg(root.join("deploy/daemonset.yaml"))
        .output()
        .unwrap();
    assert!(o.status.success(), "{o:?}");
    let yaml = std::fs::read_to_string(root.join("deploy/daemonset.yaml")).unwrap();
    assert!(yaml.contains("localhostProfile: tracer-seccomp.json"));
}

/// These tests need podman: without it they fail, saying so (never pass silently).
fn require_podman() {
    assert!(
        Command::new("podman").arg("--version").output().is_ok(),
        "podman is not installed: `cargo xtask test` installs it (apt-get install podman runc)"
    );
}

/// An image with a shell's toolbox (sh, cat, sleep), for a long-running container.
fn toolbox_image(name: &str) {
    let programs: Vec<(&Path, &str)> = ["/bin/sh", "/bin/cat", "/bin/sleep"]
        .iter()
        .map(|p| (Path::new(*p), *p))
        .collect();
    image(name, &programs, false);
}

#[test]
fn container_by_name_is_selected_in_the_kernel() {
    require_podman();
    let me = std::process::id();
    let img = format!("localhost/toolbox-e2e:{me}");
    let name = format!("tracer-target-{me}");
    let _clean = Cleanup(vec![name.clone()], vec![img.clone()]);
    toolbox_image(&img);
    // A container that keeps failing, named: --container resolves the name through podman.
    let mut run: Vec<&str> = vec!["run", "-d", "--name", &name];
    run.extend(RUN);
    let script = format!("while :; do cat /nonexistent-in-{me}; sleep 0.1; done");
    run.extend([img.as_str(), "/bin/sh", "-c", script.as_str()]);
    let o = podman(&run);
    assert!(o.status.success(), "podman run: {o:?}");
    let id = String::from_utf8_lossy(&o.stdout).trim().to_string();
    let out = std::env::temp_dir().join(format!("tracer-container-{me}.out"));
    let t = Command::new(TRACER)
        .args(["--container", &name, "-e", "trace=openat", "-Z", "-o"])
        .arg(&out)
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(1500));
    // A host process fails the same way meanwhile: not in the container, not traced.
    let _ = Command::new("cat")
        .arg(format!("/nonexistent-in-{me}"))
        .output();
    std::thread::sleep(Duration::from_millis(800));
    // SAFETY: signalling our own child.
    unsafe { libc_kill(t.id() as i32) };
    let o = t.wait_with_output().unwrap();
    let text = std::fs::read_to_string(&out).unwrap_or_default();
    std::fs::remove_file(&out).ok();
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("attached to the processes of cgroup"), "{err}");
    let missing = format!("\"/nonexistent-in-{me}\"");
    let fails = text.lines().filter(|l| l.contains(&missing)).count();
    assert!(fails >= 5, "the container's failures:\n{text}\n{err}");
    // Every line is the container's (its shell, cats and sleeps), tagged with its id: the
    // host's cat of the same path is not there.
    let tag = format!("@{}] ", &id[..12]);
    assert!(
        text.lines()
            .filter(|l| l.contains('['))
            .all(|l| l.contains(&tag)),
        "{text}"
    );
    // An id that matches no container is one line and exit 2 (a name is waited for).
    let o = Command::new(TRACER)
        .args(["--container", "ffffffffffff"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{o:?}");
}

#[test]
fn a_container_named_before_it_starts_is_traced_once_it_runs() {
    require_podman();
    let me = std::process::id();
    let img = format!("localhost/toolbox-later:{me}");
    let name = format!("tracer-later-{me}");
    let _clean = Cleanup(vec![name.clone()], vec![img.clone()]);
    toolbox_image(&img);
    let out = std::env::temp_dir().join(format!("tracer-later-{me}.out"));
    let errf = std::env::temp_dir().join(format!("tracer-later-{me}.err"));
    let mut t = Command::new(TRACER)
        .args(["--container", &name, "-e", "trace=openat", "-Z", "-o"])
        .arg(&out)
        .stderr(std::fs::File::create(&errf).unwrap())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while !std::fs::read_to_string(&errf)
        .unwrap_or_default()
        .contains("not running yet")
    {
        assert!(
            Instant::now() < deadline,
            "{}",
            std::fs::read_to_string(&errf).unwrap_or_default()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let mut run: Vec<&str> = vec!["run", "-d", "--name", &name];
    run.extend(RUN);
    let script = format!("while :; do cat /nonexistent-later-{me}; sleep 0.1; done");
    run.extend([img.as_str(), "/bin/sh", "-c", script.as_str()]);
    let o = podman(&run);
    assert!(o.status.success(), "podman run: {o:?}");
    let id = String::from_utf8_lossy(&o.stdout).trim().to_string();
    let missing = format!("\"/nonexistent-later-{me}\"");
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let text = std::fs::read_to_string(&out).unwrap_or_default();
        if text.lines().filter(|l| l.contains(&missing)).count() >= 3 {
            let tag = format!("@{}] ", &id[..12]);
            assert!(
                text.lines()
                    .filter(|l| l.contains('['))
                    .all(|l| l.contains(&tag)),
                "{text}"
            );
            break;
        }
        assert!(
            Instant::now() < deadline,
            "never traced:\n{text}\n{}",
            std::fs::read_to_string(&errf).unwrap_or_default()
        );
        std::thread::sleep(Duration::from_millis(300));
    }
    // SAFETY: signalling our own child.
    unsafe { libc_kill(t.id() as i32) };
    assert!(t.wait().unwrap().success());
    let err = std::fs::read_to_string(&errf).unwrap_or_default();
    assert!(err.contains(&format!("container {name} started")), "{err}");
    std::fs::remove_file(&out).ok();
    std::fs::remove_file(&errf).ok();
}

/// SIGINT to a pid.
unsafe fn libc_kill(pid: i32) {
    unsafe extern "C" {
        fn kill(pid: i32, sig: i32) -> i32;
    }
    // SAFETY: kill(2) with a pid and SIGINT.
    unsafe { kill(pid, 2) };
}

//! Cgroups and containers: where the cgroup v2 hierarchy is mounted, what `--cgroup`,
//! `--container` and `--pod` name, and which container a cgroup path belongs to (for tags).
//!
//! Container runtimes name their cgroups after the container's id; the layouts understood:
//! - podman/libpod: `.../libpod-<id>.scope` (systemd driver) or `.../libpod-<id>` (cgroupfs,
//!   as on this machine: `/libpod_parent/libpod-<id>`);
//! - docker: `.../docker-<id>.scope` (systemd) or `/docker/<id>` (cgroupfs);
//! - containerd (CRI): `.../cri-containerd-<id>.scope`; cri-o: `.../crio-<id>.scope`;
//! - Kubernetes pods: `.../kubepods-<qos>-pod<uid>.slice` (systemd, `-` in the uid written `_`)
//!   or `/kubepods/<qos>/pod<uid>` (cgroupfs); a pod's uid is found from the kubelet's
//!   `/var/log/pods/<namespace>_<name>_<uid>` directories.
//!
//! On a host with only cgroup v1 (no `cgroup2` mount) none of this is possible: the kernel's
//! cgroup test (`bpf_current_task_under_cgroup`) works on the v2 hierarchy only.
use std::{
    fs,
    path::{Path, PathBuf},
};

/// The cgroup v2 mount point: `/sys/fs/cgroup` on v2 hosts, `/sys/fs/cgroup/unified` on hybrid
/// ones (from /proc/self/mountinfo).
/// Read once: every process's cgroup lookup (tags) asks for it.
pub fn unified_root() -> Option<PathBuf> {
    static ROOT: std::sync::OnceLock<Option<PathBuf>> = std::sync::OnceLock::new();
    ROOT.get_or_init(|| {
        let info = fs::read_to_string("/proc/self/mountinfo").ok()?;
        info.lines().find_map(|l| {
            let (left, right) = l.split_once(" - ")?;
            (right.split_whitespace().next()? == "cgroup2")
                .then(|| left.split_whitespace().nth(4).map(PathBuf::from))
                .flatten()
        })
    })
    .clone()
}

const NO_V2: &str = "this host has no cgroup v2 hierarchy (cgroup v1 only): the kernel's cgroup test needs cgroup v2 (or a hybrid layout with /sys/fs/cgroup/unified)";

/// `--cgroup PATH`: a directory of the v2 hierarchy, given as a path under its mount, as
/// /proc/PID/cgroup shows it (`/user.slice/...`, `0::/...`), or relative to the mount.
pub fn resolve_cgroup(arg: &str) -> Result<PathBuf, String> {
    let root = unified_root().ok_or_else(|| format!("--cgroup {arg}: {NO_V2}"))?;
    let rel = arg.strip_prefix("0::").unwrap_or(arg);
    let p = Path::new(rel);
    let path = if p.starts_with(&root) {
        p.to_path_buf()
    } else {
        root.join(rel.trim_start_matches('/'))
    };
    if !path.join("cgroup.procs").exists() {
        return Err(format!(
            "--cgroup {arg}: {} is not a cgroup v2 directory; give a path under {} (see /proc/PID/cgroup's 0:: line)",
            path.display(),
            root.display()
        ));
    }
    Ok(path)
}

/// The tags of the processes in cgroup directory `dir` (a `--container`/`--cgroup` target):
/// its container, and its id when no child cgroup could hold them instead (cgroup v2 keeps
/// processes in leaves only).
pub fn tags_of_dir(dir: &Path) -> Option<crate::output::Tags> {
    use std::os::unix::fs::MetadataExt;
    let root = unified_root()?;
    let rel = format!("/{}", dir.strip_prefix(&root).ok()?.display());
    let leaf = fs::read_dir(dir)
        .ok()?
        .flatten()
        .all(|e| !e.path().join("cgroup.procs").exists());
    Some(crate::output::Tags {
        cgroup_id: leaf
            .then(|| fs::metadata(dir).ok().map(|m| m.ino()))
            .flatten(),
        container: container_of(&rel).map(Into::into),
        nspid: None,
        nstid: None,
    })
}

/// The container id a cgroup directory's name carries, if it is a runtime's.
pub fn container_id(name: &str) -> Option<&str> {
    let name = name.strip_suffix(".scope").unwrap_or(name);
    let id = [
        "libpod-",
        "docker-",
        "cri-containerd-",
        "crio-",
        "containerd-",
    ]
    .iter()
    .find_map(|p| name.strip_prefix(p))
    .unwrap_or(name);
    (id.len() >= 32 && id.bytes().all(|b| b.is_ascii_hexdigit())).then_some(id)
}

/// The container of a cgroup path (`/libpod_parent/libpod-<id>`): its id's first 12
/// characters, as `podman ps` and `docker ps` show it.
pub fn container_of(cgroup_path: &str) -> Option<String> {
    cgroup_path
        .rsplit('/')
        .find_map(container_id)
        .map(|id| id[..12].to_string())
}

/// Directories under `root` (depth-first, at most `depth` levels) for which `f` is true.
fn find_dirs(root: &Path, depth: usize, f: &dyn Fn(&str) -> bool, out: &mut Vec<PathBuf>) {
    let Ok(dir) = fs::read_dir(root) else {
        return;
    };
    for e in dir.flatten() {
        if !e.file_type().is_ok_and(|t| t.is_dir()) {
            continue;
        }
        let name = e.file_name();
        let name = name.to_string_lossy();
        if f(&name) {
            out.push(e.path());
        } else if depth > 0 {
            find_dirs(&e.path(), depth - 1, f, out);
        }
    }
}

/// Whether `--container`'s argument is a name (not an id prefix).
pub fn is_name(arg: &str) -> bool {
    !(arg.len() >= 4 && arg.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// `--container ID|NAME`: the cgroup of a container, by (a prefix of) its id, or by its name
/// through `podman inspect` / `docker inspect`.
pub fn resolve_container(arg: &str) -> Result<PathBuf, String> {
    let root = unified_root().ok_or_else(|| format!("--container {arg}: {NO_V2}"))?;
    let id = if !is_name(arg) {
        arg.to_string()
    } else {
        id_from_runtime(arg).ok_or_else(|| {
            format!("--container {arg}: no container of that name (asked podman and docker); give its id")
        })?
    };
    resolve_container_in(&root, &id).map_err(|e| format!("--container {arg}: {e}"))
}

fn resolve_container_in(root: &Path, id: &str) -> Result<PathBuf, String> {
    let mut found = Vec::new();
    find_dirs(
        root,
        8,
        &|name| container_id(name).is_some_and(|c| c.starts_with(id)),
        &mut found,
    );
    // A runtime may nest its own cgroups inside a container's (podman's `container` child).
    found.sort();
    found.dedup_by(|b, a| b.starts_with(&*a));
    match found.len() {
        0 => Err(format!(
            "no cgroup under {} is a container's with an id starting {id} (podman, docker, containerd, cri-o layouts)",
            root.display()
        )),
        1 => Ok(found.remove(0)),
        _ => Err(format!(
            "the id prefix {id} matches {} containers; give more of it",
            found.len()
        )),
    }
}

/// A container's full id from its name, through the runtimes' CLIs.
fn id_from_runtime(name: &str) -> Option<String> {
    for cli in ["podman", "docker"] {
        let out = std::process::Command::new(cli)
            .args(["inspect", "--format", "{{.Id}}", name])
            .output()
            .ok()?;
        let id = String::from_utf8_lossy(&out.stdout).trim().to_string();
        if out.status.success() && container_id(&id).is_some() {
            return Some(id);
        }
    }
    None
}

/// `--pod NAMESPACE/NAME`: the pod's cgroup, its uid taken from the kubelet's
/// `/var/log/pods/NAMESPACE_NAME_UID` directory.
pub fn resolve_pod(arg: &str) -> Result<PathBuf, String> {
    let root = unified_root().ok_or_else(|| format!("--pod {arg}: {NO_V2}"))?;
    let (ns, name) = arg
        .split_once('/')
        .ok_or_else(|| format!("--pod {arg}: give NAMESPACE/NAME"))?;
    let prefix = format!("{ns}_{name}_");
    let uid = fs::read_dir("/var/log/pods")
        .ok()
        .and_then(|d| {
            d.flatten().find_map(|e| {
                e.file_name()
                    .to_str()?
                    .strip_prefix(&prefix)
                    .map(str::to_string)
            })
        })
        .ok_or_else(|| {
            format!("--pod {arg}: no /var/log/pods/{prefix}* directory (is this a Kubernetes node running the pod?)")
        })?;
    let (a, b) = (format!("pod{uid}"), format!("pod{}", uid.replace('-', "_")));
    let mut found = Vec::new();
    find_dirs(
        &root,
        6,
        &|n| {
            let n = n.strip_suffix(".slice").unwrap_or(n);
            n.ends_with(&a) || n.ends_with(&b)
        },
        &mut found,
    );
    found.into_iter().next().ok_or_else(|| {
        format!(
            "--pod {arg}: no cgroup for pod uid {uid} under {}",
            root.display()
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "3f2a9c1b7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a";

    #[test]
    fn runtime_layouts_name_their_containers() {
        for name in [
            format!("libpod-{ID}"),
            format!("libpod-{ID}.scope"),
            format!("docker-{ID}.scope"),
            format!("cri-containerd-{ID}.scope"),
            format!("crio-{ID}.scope"),
            ID.to_string(),
        ] {
            assert_eq!(container_id(&name), Some(ID), "{name}");
        }
        assert_eq!(container_id("user.slice"), None);
        assert_eq!(container_id("libpod_parent"), None);
        assert_eq!(
            container_of(&format!("/libpod_parent/libpod-{ID}")).as_deref(),
            Some("3f2a9c1b7d6e")
        );
        assert_eq!(
            container_of(&format!("/machine.slice/libpod-{ID}.scope/container")).as_deref(),
            Some("3f2a9c1b7d6e")
        );
        assert_eq!(
            container_of("/user.slice/user-0.slice/session-1.scope"),
            None
        );
    }

    #[test]
    fn container_ids_resolve_in_a_cgroup_tree() {
        let root = std::env::temp_dir().join(format!("tracer-cg-{}", std::process::id()));
        let c = root.join(format!("libpod_parent/libpod-{ID}"));
        fs::create_dir_all(c.join("container")).unwrap();
        let other = root.join("system.slice/docker-3f2aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.scope");
        fs::create_dir_all(&other).unwrap();
        assert_eq!(resolve_container_in(&root, "3f2a9c").unwrap(), c);
        assert!(
            resolve_container_in(&root, "3f2a")
                .unwrap_err()
                .contains("matches 2")
        );
        assert!(
            resolve_container_in(&root, "ffff")
                .unwrap_err()
                .contains("no cgroup")
        );
        fs::remove_dir_all(&root).ok();
    }
}

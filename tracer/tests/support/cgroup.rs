//! The host's cgroup v2 mount, for the tests that make cgroups or run containers.
use std::path::PathBuf;

/// The cgroup v2 mount (hybrid hosts: /sys/fs/cgroup/unified).
pub fn cgroup2_root() -> PathBuf {
    let info = std::fs::read_to_string("/proc/self/mountinfo").unwrap();
    info.lines()
        .find_map(|l| {
            let (left, right) = l.split_once(" - ")?;
            (right.split_whitespace().next()? == "cgroup2")
                .then(|| PathBuf::from(left.split_whitespace().nth(4).unwrap()))
        })
        .expect("this test needs a cgroup v2 hierarchy (pure v2 or hybrid); none is mounted")
}

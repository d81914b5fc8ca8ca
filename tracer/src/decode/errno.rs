//! Errno names and messages (all of them, plus the kernel's internal restart codes).
#[path = "errno_table.rs"]
mod errno_table;

use errno_table::ERRNOS;

/// Whether a raw return value is an error: the kernel returns -1..-4095 as -errno.
pub fn is_error(ret: i64) -> bool {
    (-4095..0).contains(&ret)
}

/// `(name, message)` for an errno value.
pub fn lookup(errno: u32) -> Option<(&'static str, &'static str)> {
    ERRNOS
        .iter()
        .find(|(n, _, _)| u32::from(*n) == errno)
        .map(|(_, name, msg)| (*name, *msg))
}

/// The errno for a name (`ENOMEM`, `EWOULDBLOCK` too), or a decimal number.
pub fn parse(s: &str) -> Option<u32> {
    if let Ok(n) = s.parse::<u32>() {
        return (1..4096).contains(&n).then_some(n);
    }
    let upper = s.to_ascii_uppercase();
    let alias = match upper.as_str() {
        "EWOULDBLOCK" => "EAGAIN",
        "EDEADLOCK" => "EDEADLK",
        "ENOTSUP" => "EOPNOTSUPP",
        other => other,
    };
    ERRNOS
        .iter()
        .find(|(_, name, _)| *name == alias)
        .map(|(n, _, _)| u32::from(*n))
}

/// All errno names, for suggestions.
pub fn names() -> impl Iterator<Item = &'static str> {
    ERRNOS.iter().map(|(_, name, _)| *name)
}

/// Kernel-internal codes that mean "will be restarted": strace prints `= ?` for them.
pub fn is_restart(errno: u32) -> bool {
    matches!(errno, 512..=514 | 516)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_messages() {
        assert_eq!(lookup(2), Some(("ENOENT", "No such file or directory")));
        assert_eq!(lookup(12), Some(("ENOMEM", "Cannot allocate memory")));
        assert_eq!(lookup(24), Some(("EMFILE", "Too many open files")));
        assert_eq!(
            lookup(11),
            Some(("EAGAIN", "Resource temporarily unavailable"))
        );
        assert_eq!(
            lookup(512),
            Some(("ERESTARTSYS", "To be restarted if SA_RESTART is set"))
        );
        assert_eq!(lookup(4000), None);
    }

    #[test]
    fn every_errno_up_to_133_is_named() {
        for n in 1..=133 {
            if [41, 58].contains(&n) {
                continue; // never assigned on Linux
            }
            assert!(lookup(n).is_some(), "{n}");
        }
    }

    #[test]
    fn parse_names_aliases_numbers() {
        assert_eq!(parse("ENOMEM"), Some(12));
        assert_eq!(parse("emfile"), Some(24));
        assert_eq!(parse("EWOULDBLOCK"), Some(11));
        assert_eq!(parse("13"), Some(13));
        assert_eq!(parse("ENOPE"), None);
        assert_eq!(parse("0"), None);
    }
}

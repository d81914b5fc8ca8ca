//! `tracer`: strace's output for a whole host, from eBPF, without stopping anything.
//! `main` is thin: parse, run, map errors to one line and an exit status.
mod app;
mod btf;
mod capture;
mod cli;
mod clock;
mod config;
mod containers;
mod decimal;
mod decode;
mod diagnose;
mod failures;
mod fds;
mod inject;
mod loader;
mod matching;
mod metrics;
mod output;
mod pipeline;
mod procfs;
mod recorder;
mod ring;
mod source;
mod stacks;
mod syscalls;
mod tracee;
mod tracker;
mod tui;
mod watch;
mod world;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    tracee::note_signal_dispositions();
    // Until the run's own handlers are in place (a millisecond), `kill -PIPE` ends the
    // tracer as it ends any program, rather than being ignored as Rust's runtime set it.
    // SAFETY: setting a default disposition.
    unsafe { libc::signal(libc::SIGPIPE, libc::SIG_DFL) };
    if let Some(argv0) = std::env::args_os().next() {
        decode::set_program_name(&argv0);
    }
    let cli = match cli::Cli::try_parse_from(cli::strace_argv(std::env::args_os())) {
        Ok(c) => c,
        Err(e) => {
            use clap::error::ErrorKind;
            if e.kind() == ErrorKind::InvalidUtf8 {
                // clap does not say which: the first argument that is not UTF-8, and its flag.
                let args: Vec<_> = std::env::args_os().collect();
                let at = args.iter().position(|a| a.to_str().is_none()).unwrap_or(0);
                let arg = args[at].to_string_lossy();
                let flag = at
                    .checked_sub(1)
                    .and_then(|i| args[i].to_str())
                    .filter(|f| f.starts_with('-'))
                    .map(|f| format!("{f} "))
                    .unwrap_or_default();
                eprintln!("tracer: {flag}{arg:?}: not valid UTF-8; give this value in UTF-8");
                return ExitCode::from(2);
            }
            if e.use_stderr() && e.kind() != ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
                // A usage error: one line, naming the value or flag and what to do.
                let text = e.to_string();
                let first = text.lines().next().unwrap_or_default();
                let first = first.trim_start_matches("error: ");
                let hint = match e.kind() {
                    ErrorKind::ValueValidation | ErrorKind::InvalidValue => "",
                    _ => "; see tracer --help",
                };
                eprintln!("tracer: {first}{hint}");
                return ExitCode::from(2);
            }
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let cfg = match config::Config::from_cli(cli) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("tracer: {e}");
            return ExitCode::from(2);
        }
    };
    let rt = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("tracer: cannot start the event loop: {e}");
            return ExitCode::from(1);
        }
    };
    match rt.block_on(app::run(cfg)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("tracer: {e:#}");
            if e.downcast_ref::<config::UsageError>().is_some() {
                ExitCode::from(2)
            } else {
                ExitCode::from(1)
            }
        }
    }
}

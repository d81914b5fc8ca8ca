//! `--watch` on a terminal: a full-screen view (ratatui on crossterm, on stderr where the
//! trace goes) with a fixed header, the table fitted to the window, and keys: `s`/`r`/`c`/`n`
//! sort (cycle, rate, count, name), `/` filter (type, Enter to keep, Esc to clear), arrows or
//! `j`/`k` select, Enter expand (the row's processes, last calls and diagnosis), `p` or space
//! pause, `q` (or Ctrl-C) quit. Colours by errno class, none with `NO_COLOR`. A pipe or a file
//! gets the plain table instead (`Watch::render`).
use std::{
    io::{Stderr, stderr},
    time::{Duration, Instant},
};

use crossterm::{
    cursor,
    event::{self, Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers},
    execute,
    terminal::{self, EnterAlternateScreen, LeaveAlternateScreen},
};
use ratatui::{
    Terminal,
    backend::CrosstermBackend,
    layout::{Constraint, Layout},
    style::{Color, Modifier, Style},
    text::{Line, Span},
    widgets::{Block, Borders, Cell, Paragraph, Row, Table, TableState, Wrap},
};

use crate::watch::{By, COLUMNS, Group, Sort, Watch, cells};

/// What a key asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    None,
    Redraw,
    Quit,
}

/// The numbers the header shows.
pub struct Stats {
    pub events: u64,
    pub lost: u64,
}

pub struct Tui {
    term: Terminal<CrosstermBackend<Stderr>>,
    sort: Sort,
    filter: String,
    editing: bool,
    expanded: bool,
    paused: bool,
    state: TableState,
    colour: bool,
    host: String,
    started: Instant,
    /// Events at the previous refresh, for the events/s figure.
    last: (Instant, u64),
    events_per_sec: f64,
}

/// Whether the watch should take the terminal: both ends are one, and it is not `dumb`.
pub fn wanted() -> bool {
    use std::io::IsTerminal;
    std::io::stderr().is_terminal()
        && std::io::stdin().is_terminal()
        && std::env::var("TERM").is_ok_and(|t| !t.is_empty() && t != "dumb")
}

impl Tui {
    /// Takes the terminal: raw mode, the alternate screen, no cursor. Given back on drop.
    pub fn start() -> std::io::Result<Tui> {
        terminal::enable_raw_mode()?;
        let mut err = stderr();
        if let Err(e) = execute!(err, EnterAlternateScreen, cursor::Hide) {
            let _ = terminal::disable_raw_mode();
            return Err(e);
        }
        let term = Terminal::new(CrosstermBackend::new(err))?;
        let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
            .map(|h| h.trim().to_string())
            .unwrap_or_default();
        Ok(Tui {
            term,
            sort: Sort::Rate,
            filter: String::new(),
            editing: false,
            expanded: false,
            paused: false,
            state: TableState::default().with_selected(Some(0)),
            colour: std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
            host,
            started: Instant::now(),
            last: (Instant::now(), 0),
            events_per_sec: 0.0,
        })
    }

    /// Paused: the view is frozen (the counting goes on).
    pub fn paused(&self) -> bool {
        self.paused
    }

    /// Reads the keys pressed since the last call (and resizes).
    pub fn keys(&mut self) -> std::io::Result<Action> {
        let mut action = Action::None;
        while event::poll(Duration::ZERO)? {
            match event::read()? {
                Event::Key(k) if k.kind != KeyEventKind::Release => match self.key(k) {
                    Action::Quit => return Ok(Action::Quit),
                    Action::Redraw => action = Action::Redraw,
                    Action::None => {}
                },
                Event::Resize(..) => action = Action::Redraw,
                _ => {}
            }
        }
        Ok(action)
    }

    fn key(&mut self, k: KeyEvent) -> Action {
        if k.modifiers.contains(KeyModifiers::CONTROL) && k.code == KeyCode::Char('c') {
            return Action::Quit;
        }
        if self.editing {
            match k.code {
                KeyCode::Enter => self.editing = false,
                KeyCode::Esc => {
                    self.editing = false;
                    self.filter.clear();
                }
                KeyCode::Backspace => {
                    self.filter.pop();
                }
                KeyCode::Char(c) => self.filter.push(c),
                _ => return Action::None,
            }
            self.state.select(Some(0));
            return Action::Redraw;
        }
        let sel = self.state.selected().unwrap_or(0);
        match k.code {
            KeyCode::Char('q') => return Action::Quit,
            KeyCode::Char('s') => self.sort = self.sort.next(),
            KeyCode::Char('r') => self.sort = Sort::Rate,
            KeyCode::Char('c') => self.sort = Sort::Count,
            KeyCode::Char('n') => self.sort = Sort::Name,
            KeyCode::Char('/') => {
                self.editing = true;
                self.filter.clear();
            }
            KeyCode::Esc => {
                self.filter.clear();
                self.expanded = false;
            }
            KeyCode::Char('p') | KeyCode::Char(' ') => self.paused = !self.paused,
            KeyCode::Enter => self.expanded = !self.expanded,
            KeyCode::Down | KeyCode::Char('j') => self.state.select(Some(sel + 1)),
            KeyCode::Up | KeyCode::Char('k') => self.state.select(Some(sel.saturating_sub(1))),
            KeyCode::Home | KeyCode::Char('g') => self.state.select(Some(0)),
            _ => return Action::None,
        }
        Action::Redraw
    }

    /// Draws the view (`refresh`: a new interval, so the events/s figure moves on).
    pub fn draw(&mut self, w: &Watch, s: &Stats, refresh: bool) -> std::io::Result<()> {
        if refresh {
            let secs = self.last.0.elapsed().as_secs_f64();
            if secs > 0.0 {
                self.events_per_sec = s.events.saturating_sub(self.last.1) as f64 / secs;
            }
            self.last = (Instant::now(), s.events);
        }
        let filter = self.filter.to_lowercase();
        let view = w.view(self.sort, &filter);
        if let Some(sel) = self.state.selected()
            && sel >= view.len()
        {
            self.state.select(Some(view.len().saturating_sub(1)));
        }
        let selected = self.state.selected().and_then(|i| view.get(i).copied());
        let total: u64 = w.groups.iter().map(|g| g.count).sum();
        let up = self.started.elapsed().as_secs();
        let mut top = vec![
            Span::styled("tracer --watch", Style::new().add_modifier(Modifier::BOLD)),
            Span::raw(format!(
                "  {}  up {}:{:02}:{:02}  by {}  sorted by {}",
                self.host,
                up / 3600,
                up / 60 % 60,
                up % 60,
                w.by.name(),
                self.sort.name()
            )),
        ];
        if self.paused {
            top.push(Span::styled(
                "  [PAUSED]",
                Style::new().add_modifier(Modifier::REVERSED),
            ));
        }
        let filter_line = if self.editing || !self.filter.is_empty() {
            format!(
                "  filter: {}{}",
                self.filter,
                if self.editing { "_" } else { "" }
            )
        } else {
            String::new()
        };
        let second = Line::from(format!(
            "{:.0} events/s  {} failures in {} rows ({} shown)  {} lost{}   s sort  / filter  enter expand  p pause  q quit",
            self.events_per_sec,
            total,
            w.groups.len(),
            view.len(),
            s.lost,
            filter_line
        ));
        let containers = w.has_containers() && w.by != By::Container;
        let widths: Vec<(usize, Constraint)> = [
            (0, Constraint::Length(7)),
            (1, Constraint::Length(10)),
            (2, Constraint::Length(8)),
            (3, Constraint::Length(5)),
            (4, Constraint::Length(15)),
            (5, Constraint::Length(12)),
            (6, Constraint::Length(7)),
            (7, Constraint::Length(13)),
            (8, Constraint::Length(12)),
            (9, Constraint::Length(8)),
            (10, Constraint::Min(10)),
        ]
        .into_iter()
        .filter(|(i, _)| *i != 5 || containers)
        .collect();
        let title = |i: usize| match (i, w.by) {
            (4, By::Container) => "CONTAINER",
            _ => COLUMNS[i],
        };
        let header = Row::new(widths.iter().map(|(i, _)| Cell::from(title(*i))))
            .style(Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED));
        let colour = self.colour;
        let rows: Vec<Row> = view
            .iter()
            .map(|g| {
                let c = cells(g, w.by);
                let mut r = Row::new(widths.iter().map(|(i, _)| Cell::from(c[*i].clone())));
                if colour {
                    r = r.style(errno_style(&g.errno, g.gone));
                }
                r
            })
            .collect();
        let table = Table::new(rows, widths.iter().map(|(_, c)| *c))
            .header(header)
            .column_spacing(1)
            .row_highlight_style(Style::new().add_modifier(Modifier::REVERSED));
        let expanded = self.expanded.then_some(selected).flatten();
        let state = &mut self.state;
        self.term.draw(|f| {
            // The expanded row takes up to half the screen.
            let panel = match expanded {
                Some(_) => (f.area().height / 2).clamp(6, 14),
                None => 0,
            };
            let [head, body, detail] = Layout::vertical([
                Constraint::Length(2),
                Constraint::Min(3),
                Constraint::Length(panel),
            ])
            .areas(f.area());
            f.render_widget(Paragraph::new(vec![Line::from(top), second]), head);
            f.render_stateful_widget(table, body, state);
            if let Some(g) = expanded {
                f.render_widget(details(g), detail);
            }
        })?;
        Ok(())
    }
}

impl Drop for Tui {
    fn drop(&mut self) {
        let _ = terminal::disable_raw_mode();
        let _ = execute!(self.term.backend_mut(), LeaveAlternateScreen, cursor::Show);
    }
}

/// The expanded row: its processes, its path, its diagnosis, its last calls.
fn details(g: &Group) -> Paragraph<'static> {
    let shown: Vec<String> = g.pids.iter().take(12).map(|p| p.to_string()).collect();
    let more = g.pids.len().saturating_sub(shown.len());
    let mut lines = vec![Line::from(format!(
        "{} processes, newest {} ({}); pids {}{}",
        g.procs,
        g.newest_pid,
        g.comm,
        shown.join(", "),
        if more > 0 {
            format!(" (+{more})")
        } else {
            String::new()
        }
    ))];
    if !g.detail.is_empty() {
        lines.push(Line::from(format!(
            "path/address: {}{}",
            g.detail,
            if g.details_seen > 1 {
                format!(" (+{} others)", g.details_seen - 1)
            } else {
                String::new()
            }
        )));
    }
    for l in &g.lines {
        lines.push(Line::from(format!("  {l}")));
    }
    if let Some(h) = &g.hint {
        lines.push(Line::from(vec![
            Span::styled("diagnosis: ", Style::new().add_modifier(Modifier::BOLD)),
            Span::raw(h.clone()),
        ]));
    }
    Paragraph::new(lines).wrap(Wrap { trim: false }).block(
        Block::default()
            .borders(Borders::TOP)
            .title(format!(" {} {} {} ", g.who, g.syscall, g.errno)),
    )
}

/// Colours by what kind of failure the errno is: exhausted resources red, permissions
/// magenta, network yellow, things not found dim; exited processes dimmer.
fn errno_style(errno: &str, gone: bool) -> Style {
    let s = match errno {
        "ENOMEM" | "EMFILE" | "ENFILE" | "ENOSPC" | "EDQUOT" | "ENOBUFS" | "EAGAIN" | "EMLINK"
        | "EOVERFLOW" => Style::new().fg(Color::Red),
        "EACCES" | "EPERM" | "EROFS" => Style::new().fg(Color::Magenta),
        "ECONNREFUSED" | "ECONNRESET" | "ETIMEDOUT" | "EHOSTUNREACH" | "ENETUNREACH" | "EPIPE"
        | "ECONNABORTED" | "EADDRINUSE" => Style::new().fg(Color::Yellow),
        "ENOENT" | "ENOTDIR" | "ENXIO" | "ENODEV" | "ESRCH" => Style::new().fg(Color::Cyan),
        _ => Style::new(),
    };
    if gone {
        s.add_modifier(Modifier::DIM)
    } else {
        s
    }
}

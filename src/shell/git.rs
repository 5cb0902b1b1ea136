//! The `git` command line, run in a work tree (no git library): what
//! `roadmap sync` needs, each failure told in words with what to do.
//!
//! Every call runs with `GIT_TERMINAL_PROMPT=0` (a missing password fails
//! rather than waits), `LC_ALL=C` (the messages read here are git's
//! English ones) and no editor.

use crate::shell::error::{Error, Result};
use std::path::{Path, PathBuf};
use std::process::Command;

/// A git work tree.
pub(crate) struct Git {
    /// The work tree's top directory.
    pub top: PathBuf,
}

/// What one git command did.
pub(crate) struct Ran {
    pub ok: bool,
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Ran {
    /// stdout, trimmed.
    pub(crate) fn out(&self) -> &str {
        self.stdout.trim()
    }
}

/// Runs `git ARGS` in `dir`.
fn run_in(dir: &Path, args: &[&str]) -> Result<Ran> {
    let output = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_TERMINAL_PROMPT", "0")
        .env("GIT_MERGE_AUTOEDIT", "no")
        .env("LC_ALL", "C")
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .stdin(std::process::Stdio::null())
        .output()
        .map_err(|e| {
            Error::refused(format!("cannot run git: {e}"))
                .with_hint("install git (https://git-scm.com) and run `roadmap sync` again; nothing was changed")
        })?;
    Ok(Ran {
        ok: output.status.success(),
        code: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    })
}

impl Git {
    /// The work tree that holds `dir`.
    pub(crate) fn find(dir: &Path) -> Result<Git> {
        let ran = run_in(dir, &["rev-parse", "--show-toplevel"])?;
        if !ran.ok {
            return Err(Error::refused(format!("{} is not inside a git work tree", dir.display())).with_hint(
                "make it one (`git init`, then `git remote add origin URL` for a shared repository) and run `roadmap sync --setup`; nothing was changed",
            ));
        }
        let top = PathBuf::from(ran.out());
        let top = std::fs::canonicalize(&top).unwrap_or(top);
        Ok(Git { top })
    }

    /// Runs `git ARGS` at the top of the work tree.
    pub(crate) fn run(&self, args: &[&str]) -> Result<Ran> {
        run_in(&self.top, args)
    }

    /// Runs `git ARGS`; a failure is an error saying `what` failed, with git's words.
    pub(crate) fn must(&self, what: &str, args: &[&str]) -> Result<Ran> {
        let ran = self.run(args)?;
        if ran.ok {
            return Ok(ran);
        }
        Err(explain(what, &ran))
    }

    /// A config value of this repository, if set.
    pub(crate) fn config(&self, key: &str) -> Result<Option<String>> {
        let ran = self.run(&["config", "--local", "--get", key])?;
        Ok(ran.ok.then(|| ran.out().to_string()))
    }

    /// The path of the git directory's entry `name` (`info/exclude`).
    pub(crate) fn git_path(&self, name: &str) -> Result<PathBuf> {
        let ran = self.must("find the git directory", &["rev-parse", "--git-path", name])?;
        Ok(self.top.join(ran.out()))
    }

    /// Whether the merge under way has a message (`MERGE_MSG` with a line
    /// that is no comment): git writes it after recording the merge.
    pub(crate) fn merge_message_written(&self) -> Result<bool> {
        let ran = self.must("find the merge message", &["rev-parse", "--git-path", "MERGE_MSG"])?;
        let text = read_text(&self.top.join(ran.out()))?;
        Ok(text.lines().any(|l| !l.trim().is_empty() && !l.starts_with('#')))
    }

    /// True when a path exists in the repository's git directory (`MERGE_HEAD`, `index.lock`).
    pub(crate) fn git_path_exists(&self, name: &str) -> Result<bool> {
        let ran = self.must("find the git directory", &["rev-parse", "--git-path", name])?;
        Ok(self.top.join(ran.out()).exists())
    }
}

/// The command line git runs as the merge driver: this program's `merge`.
pub(crate) fn driver_command() -> String {
    let exe = std::env::current_exe().map(|p| p.display().to_string()).unwrap_or_else(|_| "roadmap".to_string());
    format!("{} merge %O %A %B", shell_quote(&exe))
}

/// `text` quoted for `sh` (git runs the driver through the shell).
fn shell_quote(text: &str) -> String {
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_alphanumeric() || b"/._-+".contains(&b)) {
        return text.to_string();
    }
    format!("'{}'", text.replace('\'', r"'\''"))
}

/// Reads a file in the work tree ("" when absent).
pub(crate) fn read_text(path: &Path) -> Result<String> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(String::new()),
        Err(e) => Err(Error::io("read", path, e)),
    }
}

/// A state file's contents (`None` when it cannot be read or parsed).
pub(crate) fn read_state(path: &Path) -> Option<crate::core::state::State> {
    let bytes = std::fs::read(path).ok()?;
    crate::core::state::codec::parse(&bytes).ok().map(|d| d.state)
}

/// Writes a small file of the work tree (`.gitattributes`) atomically,
/// its directory made first.
pub(crate) fn write_text(path: &Path, text: &str) -> Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| Error::io("create", parent, e))?;
    }
    crate::shell::atomic::replace(path, text.as_bytes(), crate::shell::atomic::Target::Export)
        .map_err(|failed| Error::io(failed.step.action(), path, failed.source))
}

/// A git failure in words: what failed, why (as far as git's message
/// tells), and what to do; the state is never touched by a failure.
pub(crate) fn explain(what: &str, ran: &Ran) -> Error {
    let said = ran.stderr.trim();
    let lower = said.to_lowercase();
    let first = said.lines().find(|l| !l.trim().is_empty()).unwrap_or("").trim();
    let hint = if lower.contains("authentication failed")
        || lower.contains("permission denied")
        || lower.contains("could not read username")
        || lower.contains("could not read password")
        || lower.contains("terminal prompts disabled")
    {
        "git could not log in to the remote: check your credentials (an SSH key, or a credential helper for HTTPS) with `git fetch`, then run `roadmap sync` again"
    } else if lower.contains("could not resolve host")
        || lower.contains("unable to access")
        || lower.contains("does not appear to be a git repository")
        || lower.contains("could not read from remote repository")
        || lower.contains("connection")
    {
        "the remote could not be reached: check the network and `git remote -v`, then run `roadmap sync` again"
    } else if lower.contains("please tell me who you are") || lower.contains("unable to auto-detect email") {
        "git does not know who you are: `git config user.name \"Your Name\"` and `git config user.email you@example.com`, then run `roadmap sync` again"
    } else if let Some(lock) = stale_lock(said) {
        return Error::refused(format!("git could not {what}: {lock} exists (a git command is running, or was killed)"))
            .with_hint(format!(
                "if no git command is running in this repository, remove {lock} (git leaves it when killed), then run `roadmap sync` again; the state file was not changed by this failure"
            ));
    } else {
        "git's message says why (`git status` shows where the repository is)"
    };
    let detail = if first.is_empty() { format!("exit code {:?}", ran.code) } else { first.to_string() };
    Error::refused(format!("git could not {what}: {detail}"))
        .with_hint(format!("{hint}; the state file was not changed by this failure"))
}

/// The lock file git names in "Unable to create 'PATH.lock': File exists".
pub(crate) fn stale_lock(said: &str) -> Option<String> {
    let start = said.find("Unable to create '")? + "Unable to create '".len();
    let rest = &said[start..];
    let end = rest.find("': File exists")?;
    Some(rest[..end].to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_quoted_for_the_shell_only_when_needed() {
        assert_eq!(shell_quote("/usr/bin/roadmap"), "/usr/bin/roadmap");
        assert_eq!(shell_quote("/home/a b/roadmap"), "'/home/a b/roadmap'");
        assert_eq!(shell_quote("/it's"), r"'/it'\''s'");
    }

    #[test]
    fn a_stale_git_lock_is_named() {
        let said =
            "fatal: Unable to create '/r/.git/index.lock': File exists.\n\nAnother git process seems to be running";
        assert_eq!(stale_lock(said).as_deref(), Some("/r/.git/index.lock"));
        assert_eq!(stale_lock("fatal: not a git repository"), None);
    }
}

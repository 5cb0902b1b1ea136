//! `roadmap sync`: for a state file inside a git work tree, commit the
//! state (a message naming what changed), pull (fetch and merge, with the
//! state's merge driver set up) and push when there is a remote. The whole
//! sync holds the state's lock, so no roadmap command records in between.
//! `roadmap sync --setup` writes the `.gitattributes` line and the
//! `merge.roadmap.driver` config, idempotently, and stops.
//!
//! Every failure is explained (no repository, no remote, authentication, a
//! conflict in another file) and leaves the state as it was: a merge that
//! conflicts elsewhere is aborted, which puts back the committed state,
//! and that holds every event recorded before the sync.

use crate::core::state::codec;
use crate::core::state::{Event, EventId, State};
use crate::render::sync::{self as screen, SyncView};
use crate::shell::context::Ctx;
use crate::shell::error::{Error, Result};
use crate::shell::git::{self, Git};
use crate::shell::store::Lock;
use std::collections::HashSet;
use std::path::{Path, PathBuf};

const ATTRIBUTE: &str = "merge=roadmap";

pub(crate) fn run(ctx: &Ctx, setup_only: bool) -> Result<String> {
    let real = state_to_sync(ctx)?;
    let git = Git::find(&real.parent().map(Path::to_path_buf).unwrap_or_else(|| PathBuf::from(".")))?;
    let rel = relative(&git.top, &real)?;
    let lock = ctx.store.lock()?;
    let mut view = SyncView { file: rel.clone(), setup: setup(&git, &rel)?, setup_only, ..SyncView::default() };
    if setup_only {
        return Ok(screen::text(&view));
    }
    if git.git_path_exists("MERGE_HEAD")? {
        finish_interrupted(ctx, &git, &lock, &rel)?;
        view.finished_merge = true;
    }
    // The state must load before it is committed.
    ctx.store.read_all_locked(&lock)?.ok_or_else(|| Error::refused("the state file vanished"))?;
    view.committed = commit(&git, &rel, &real)?;
    let remote = match remote(&git)? {
        Some(r) => r,
        None => {
            view.no_remote = true;
            return done(view);
        }
    };
    let branch = current_branch(&git)?;
    view.remote = format!("{remote}/{branch}");
    let exchange = Exchange { ctx, git: &git, lock: &lock, real: &real, rel: &rel, remote: &remote, branch: &branch };
    // A lock git holds in the remote is tried again too (a push there
    // holds it for a moment); still there after the last try, it is named.
    let mut locked = None;
    for _attempt in 0..3 {
        match exchange.once(&mut view)? {
            Push::Done => {
                view.pushed = true;
                break;
            }
            Push::Moved => locked = None,
            Push::Locked(error) => locked = Some(error),
        }
    }
    drop(lock);
    if !view.pushed {
        if let Some(error) = locked {
            return Err(error);
        }
        return Err(Error::refused(format!("{remote} kept moving while syncing: nothing was pushed"))
            .with_hint("your events are committed locally; run `roadmap sync` again"));
    }
    done(view)
}

/// The real state file, which must exist (there is nothing to sync before).
fn state_to_sync(ctx: &Ctx) -> Result<PathBuf> {
    let real = ctx.store.real_path()?;
    if ctx.store.read_all()?.is_none() {
        return Err(Error::refused(format!("there is no state file at {} to sync", ctx.store.path().display()))
            .with_hint("record something first (or `roadmap init`), or clone the repository that holds your state and point --state at it"));
    }
    Ok(real)
}

/// The branch the work tree is on (a detached HEAD is refused).
fn current_branch(git: &Git) -> Result<String> {
    let branch = git.must("find the current branch", &["symbolic-ref", "--short", "-q", "HEAD"]).map_err(|_| {
        Error::refused("the repository is not on a branch (a detached HEAD)")
            .with_hint("`git switch main` (or your branch), then run `roadmap sync` again; the state was not changed")
    })?;
    Ok(branch.out().to_string())
}

/// One fetch, merge and push with the remote.
struct Exchange<'a> {
    ctx: &'a Ctx,
    git: &'a Git,
    lock: &'a Lock,
    real: &'a Path,
    rel: &'a str,
    remote: &'a str,
    branch: &'a str,
}

impl Exchange<'_> {
    /// Fetches, merges the remote's state in, pushes: whether the push
    /// landed, or the remote moved meanwhile, or a lock file in the remote
    /// refused it (either: try again).
    fn once(&self, view: &mut SyncView) -> Result<Push> {
        let (git, remote, branch) = (self.git, self.remote, self.branch);
        let before = events_in(self.real);
        git.must(&format!("fetch from {remote}"), &["fetch", "--quiet", remote])?;
        let tracking = format!("refs/remotes/{remote}/{branch}");
        if git.run(&["rev-parse", "--verify", "-q", &tracking])?.ok {
            refuse_other_conflicts(git, &tracking, self.rel)?;
            merge_state_first(self.ctx, git, self.lock, &tracking, self.rel, &view.remote)?;
            pull(git, &tracking, self.rel)?;
            view.merged += events_in(self.real).saturating_sub(before);
        }
        let pushed = git.run(&["push", "--quiet", "-u", remote, &format!("HEAD:refs/heads/{branch}")])?;
        if pushed.ok {
            return Ok(Push::Done);
        }
        if git::stale_lock(&pushed.stderr).is_some() {
            // `! [remote rejected] … (failed to update ref)`: not a remote
            // that moved, a lock file in it (left by a killed push, or held
            // by one running now).
            return Ok(Push::Locked(git::explain(&format!("push to {remote}"), &pushed)));
        }
        let said = pushed.stderr.to_lowercase();
        if !(said.contains("rejected") || said.contains("fetch first") || said.contains("non-fast-forward")) {
            return Err(git::explain(&format!("push to {remote}"), &pushed));
        }
        Ok(Push::Moved)
    }
}

/// What one push did.
enum Push {
    Done,
    /// The remote moved since the fetch: fetch, merge and push again.
    Moved,
    /// A lock file in the remote refused the update; why, in full.
    Locked(Error),
}

fn done(view: SyncView) -> Result<String> {
    Ok(screen::text(&view))
}

/// `real` relative to the work tree's top, with `/` between its parts.
fn relative(top: &Path, real: &Path) -> Result<String> {
    let rel = real
        .strip_prefix(top)
        .map_err(|_| Error::refused(format!("{} is not inside the work tree {}", real.display(), top.display())))?;
    Ok(rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect::<Vec<_>>().join("/"))
}

/// Writes what the repository needs (idempotent); returns what it changed.
fn setup(git: &Git, rel: &str) -> Result<Vec<String>> {
    let mut changed = Vec::new();
    let line = format!("/{} {ATTRIBUTE}", rel.replace(' ', "[[:space:]]"));
    if append_missing(&git.top.join(".gitattributes"), std::slice::from_ref(&line))? {
        changed.push(format!("added `{line}` to .gitattributes"));
    }
    // The lock file and a rewrite's temporary file stay out of git's view
    // (in the repository's own exclude file, not committed).
    let (dir, name) = match rel.rsplit_once('/') {
        Some((dir, name)) => (format!("/{dir}/"), name),
        None => ("/".to_string(), rel),
    };
    let wanted = [format!("{dir}{name}.lock"), format!("{dir}.{name}.tmp-*")];
    if append_missing(&git.git_path("info/exclude")?, &wanted)? {
        changed.push(format!("excluded {} from git (the lock and temporary files)", wanted.join(" and ")));
    }
    let driver = git::driver_command();
    if git.config("merge.roadmap.driver")?.as_deref() != Some(driver.as_str()) {
        git.must("set the merge driver", &["config", "--local", "merge.roadmap.driver", &driver])?;
        git.must(
            "name the merge driver",
            &["config", "--local", "merge.roadmap.name", "roadmap state (union of events)"],
        )?;
        changed.push(format!("set merge.roadmap.driver to `{driver}` in this repository's config"));
    }
    Ok(changed)
}

/// Adds to the text file at `path` each of `lines` it does not hold yet;
/// whether anything was added.
fn append_missing(path: &Path, lines: &[String]) -> Result<bool> {
    let text = git::read_text(path)?;
    let missing: Vec<&String> = lines.iter().filter(|w| !text.lines().any(|l| l.trim() == w.as_str())).collect();
    if missing.is_empty() {
        return Ok(false);
    }
    let mut new = text;
    if !new.is_empty() && !new.ends_with('\n') {
        new.push('\n');
    }
    for line in missing {
        new.push_str(line);
        new.push('\n');
    }
    git::write_text(path, &new)?;
    Ok(true)
}

/// An earlier sync was killed during git's merge: the state there was merged
/// by the driver (or is still ours); commit it to finish the merge, unless
/// another file is in conflict.
fn finish_interrupted(ctx: &Ctx, git: &Git, lock: &crate::shell::store::Lock, rel: &str) -> Result<()> {
    let unmerged = git.must("list the files in conflict", &["diff", "--name-only", "--diff-filter=U"])?;
    let others: Vec<&str> = unmerged.out().lines().filter(|f| *f != rel).collect();
    if !others.is_empty() {
        return Err(Error::refused(format!("a git merge is under way, with conflicts in {}", others.join(", ")))
            .with_hint("resolve them and `git commit` (or `git merge --abort`), then run `roadmap sync` again; the state was not changed"));
    }
    ctx.store.read_all_locked(lock)?.ok_or_else(|| Error::refused("the state file vanished"))?;
    git.must("add the state", &["add", "--", rel])?;
    // git writes the merge's message after it records the merge: killed
    // between the two, it leaves no message, and `--no-edit` would refuse
    // to commit an empty one.
    if git.merge_message_written()? {
        git.must("finish the interrupted merge", &["commit", "--quiet", "--no-edit"])?;
    } else {
        let message = format!("roadmap: merge {rel} (finishing an interrupted sync)");
        git.must("finish the interrupted merge", &["commit", "--quiet", "-m", &message])?;
    }
    Ok(())
}

/// The events of a state file (0 when it cannot be read).
fn events_in(path: &Path) -> usize {
    git::read_state(path).map_or(0, |s| s.events.len())
}

/// Commits the state (and `.gitattributes`) when they changed; returns the
/// events the commit adds (`None`: nothing to commit).
fn commit(git: &Git, rel: &str, real: &Path) -> Result<Option<Vec<Event>>> {
    let paths = [rel, ".gitattributes"];
    let mut add = vec!["add", "--"];
    add.extend(paths);
    git.must("add the state", &add)?;
    let mut diff = vec!["diff", "--cached", "--quiet", "--"];
    diff.extend(paths);
    if git.run(&diff)?.ok {
        return Ok(None);
    }
    let now = git::read_state(real);
    let shown = git.run(&["show", &format!("HEAD:{rel}")])?;
    let before = if shown.ok { codec::parse(shown.stdout.as_bytes()).ok().map(|d| d.state) } else { None };
    let new = new_events(before.as_ref(), now.as_ref());
    let message = screen::commit_message(rel, before.is_none(), &new);
    let mut commit = vec!["commit", "--quiet", "-m", &message, "--"];
    commit.extend(paths);
    git.must("commit the state", &commit)?;
    Ok(Some(new))
}

fn new_events(before: Option<&State>, now: Option<&State>) -> Vec<Event> {
    let known: HashSet<&EventId> = before.map(|s| s.events.iter().map(|e| &e.id).collect()).unwrap_or_default();
    now.map(|s| s.events.iter().filter(|e| !known.contains(&e.id)).cloned().collect()).unwrap_or_default()
}

/// The remote to sync with: the branch's upstream, else `origin`, else the first.
fn remote(git: &Git) -> Result<Option<String>> {
    let remotes = git.must("list the remotes", &["remote"])?;
    let remotes: Vec<String> = remotes.out().lines().map(str::to_string).collect();
    if remotes.is_empty() {
        return Ok(None);
    }
    let branch = git.run(&["symbolic-ref", "--short", "-q", "HEAD"])?;
    if branch.ok
        && let Some(upstream) = git.config(&format!("branch.{}.remote", branch.out()))?
        && remotes.contains(&upstream)
    {
        return Ok(Some(upstream));
    }
    Ok(remotes.iter().find(|r| *r == "origin").or(remotes.first()).cloned())
}

/// Before anything is touched: a merge that would conflict in another file
/// is refused (`git merge-tree`, git 2.38 and later; an older git finds out
/// in the merge itself, which is then aborted).
fn refuse_other_conflicts(git: &Git, tracking: &str, rel: &str) -> Result<()> {
    let tree = git.run(&["merge-tree", "--write-tree", "--name-only", "--no-messages", "HEAD", tracking])?;
    if tree.code != Some(1) {
        return Ok(());
    }
    let is_oid = |l: &str| l.len() >= 40 && l.bytes().all(|b| b.is_ascii_hexdigit());
    let others: Vec<&str> = tree.out().lines().filter(|f| !f.is_empty() && !is_oid(f) && *f != rel).collect();
    if others.is_empty() {
        return Ok(());
    }
    Err(Error::refused(format!(
        "merging what the remote holds conflicts in {}, which roadmap does not merge",
        others.join(", ")
    ))
    .with_hint(
        "nothing was merged and your state is as it was (committed); merge those files with git (`git pull`, resolve, `git commit`), then run `roadmap sync` again",
    ))
}

/// Merges the remote's state into ours here, written atomically through the
/// store and committed, so that git's merge then finds the state already
/// merged and never rewrites the file itself (git writes a work-tree file in
/// place: killed half-way, it would leave no state, or half of one).
fn merge_state_first(
    ctx: &Ctx,
    git: &Git,
    lock: &crate::shell::store::Lock,
    tracking: &str,
    rel: &str,
    remote: &str,
) -> Result<()> {
    let shown = git.run(&["show", &format!("{tracking}:{rel}")])?;
    if !shown.ok {
        return Ok(());
    }
    let theirs = codec::parse(shown.stdout.as_bytes()).map_err(|e| {
        Error::refused(format!("the state on {remote} is not one this roadmap reads: {e}")).with_hint(
            "update roadmap on this machine (a newer one wrote it?); nothing was merged and your state is as it was",
        )
    })?;
    let ours = ctx.store.read_all_locked(lock)?.ok_or_else(|| Error::refused("the state file vanished"))?;
    let merged = crate::core::state::merge::merge(&ours.state, &theirs.state);
    crate::core::progress::replay(&merged).map_err(|e| {
        Error::refused(format!("the merged state cannot be read back: {e}"))
            .with_hint("nothing was merged and your state is as it was")
    })?;
    let (mut before, mut after) = (Vec::new(), Vec::new());
    codec::encode(&ours.state, &mut before).map_err(|e| Error::refused(e.to_string()))?;
    codec::encode(&merged, &mut after).map_err(|e| Error::refused(e.to_string()))?;
    if before == after {
        return Ok(());
    }
    let added = merged.events.len().saturating_sub(ours.state.events.len());
    ctx.store.write_all(lock, &merged)?;
    git.must("add the state", &["add", "--", rel])?;
    let message =
        format!("roadmap: merge {} from {remote}", crate::core::phrase::count(added as i64, "event", "events"));
    git.must("commit the merged state", &["commit", "--quiet", "-m", &message, "--", rel])?;
    Ok(())
}

/// Merges the fetched branch; a conflict in any other file aborts the merge.
fn pull(git: &Git, tracking: &str, rel: &str) -> Result<()> {
    let merged = git.run(&["merge", "--no-edit", "--quiet", tracking])?;
    if merged.ok {
        return Ok(());
    }
    let unmerged = git.run(&["diff", "--name-only", "--diff-filter=U"])?;
    let files: Vec<String> = unmerged.out().lines().map(str::to_string).collect();
    if git.git_path_exists("MERGE_HEAD")? {
        git.run(&["merge", "--abort"])?;
    }
    if files.is_empty() {
        return Err(git::explain("merge what the remote holds", &merged));
    }
    let state_too = files.iter().any(|f| f == rel);
    let others: Vec<&String> = files.iter().filter(|f| *f != rel).collect();
    let message = if others.is_empty() {
        format!("the state file could not be merged ({})", merged.stderr.trim().lines().last().unwrap_or(""))
    } else {
        let names: Vec<&str> = others.iter().map(|f| f.as_str()).collect();
        format!("merging what the remote holds conflicts in {}, which roadmap does not merge", names.join(", "))
    };
    let hint = if state_too && others.is_empty() {
        "the other side's state is not one this roadmap reads (a newer roadmap? update); the merge was aborted and your state is as it was"
    } else {
        "the merge was aborted and your state is as it was (committed); merge those files with git (`git pull`, resolve, `git commit`), then run `roadmap sync` again"
    };
    Err(Error::refused(message).with_hint(hint))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_path_is_relative_to_the_top_with_slashes() {
        assert_eq!(relative(Path::new("/r"), Path::new("/r/a/state.jsonl")).expect("inside"), "a/state.jsonl");
        assert!(relative(Path::new("/r"), Path::new("/s/state.jsonl")).is_err());
    }
}

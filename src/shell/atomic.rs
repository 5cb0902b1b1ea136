//! The one way a whole file is replaced: the bytes go to a temporary file
//! in the same directory (`tempfile`), which is renamed over the target
//! (`NamedTempFile::persist`); a reader sees the old file or the new one,
//! never half of either. On any error the temporary file is removed (by
//! `tempfile`'s drop); only a process killed between create and rename can
//! leave one (`.NAME.tmp-XXXXXX`, which `doctor` finds for the state).

use crate::shell::fault;
use std::fs::{self, File, Permissions};
use std::io::{self, Write};
use std::path::Path;

/// What is replaced, which says how durable it must be and where faults
/// may be injected.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Target {
    /// The state file: synced before the rename, its directory after it.
    State,
    /// `export --out`: synced before the rename, as a user's file.
    Export,
    /// A cache entry: not synced. A crash may lose it; it is then rebuilt
    /// from its source, and the checksum refuses a torn one.
    Cache,
}

/// A step of a replacement.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Step {
    Create,
    Write,
    Sync,
    Rename,
}

impl Step {
    /// The verb for a message: "cannot {verb} {path}".
    pub(crate) fn action(self) -> &'static str {
        match self {
            Step::Create => "create a temporary file beside",
            Step::Write => "write",
            Step::Sync => "sync",
            Step::Rename => "replace",
        }
    }
}

impl Target {
    fn synced(self) -> bool {
        matches!(self, Target::State | Target::Export)
    }

    /// The `ROADMAP_FAULT` point of a step (see `fault`).
    fn point(self, step: Step) -> Option<&'static str> {
        match (self, step) {
            (_, Step::Create) => None,
            (Target::State, Step::Write) => Some("rewrite"),
            (Target::State, Step::Sync) => Some("rewrite-sync"),
            (Target::State, Step::Rename) => Some("rename"),
            (Target::Export, Step::Write) => Some("export"),
            (Target::Export, Step::Sync) => Some("export-sync"),
            (Target::Export, Step::Rename) => Some("export-rename"),
            (Target::Cache, Step::Write) => Some("cache"),
            (Target::Cache, Step::Sync) => None,
            (Target::Cache, Step::Rename) => Some("cache-rename"),
        }
    }
}

/// A failed replacement: the step and the error. The target is unchanged
/// and no temporary file is left.
#[derive(Debug)]
pub(crate) struct Failed {
    pub step: Step,
    pub source: io::Error,
}

/// Replaces `path` (a file name in an existing directory) by `bytes`.
pub(crate) fn replace(path: &Path, bytes: &[u8], target: Target) -> Result<(), Failed> {
    replace_with(path, bytes, target, &mut |step, out, bytes| match target.point(step) {
        Some(point) => fault::inject(point, out, bytes),
        None => Ok(()),
    })
}

/// The `.NAME.tmp-` prefix of the temporary files for `path`.
pub(crate) fn temp_prefix(path: &Path) -> String {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    format!(".{name}.tmp-")
}

/// Runs the hook before every step, so that tests can fail any of them.
type Hook<'a> = dyn FnMut(Step, &mut dyn Write, &[u8]) -> io::Result<()> + 'a;

fn replace_with(path: &Path, bytes: &[u8], target: Target, hook: &mut Hook<'_>) -> Result<(), Failed> {
    let at = |step: Step| move |source: io::Error| Failed { step, source };
    let dir = directory(path);
    hook(Step::Create, &mut io::sink(), &[]).map_err(at(Step::Create))?;
    let prefix = temp_prefix(path);
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix);
    if let Some(permissions) = permissions(path) {
        builder.permissions(permissions);
    }
    let mut temp = builder.tempfile_in(dir).map_err(at(Step::Create))?;
    hook(Step::Write, temp.as_file_mut(), bytes).map_err(at(Step::Write))?;
    temp.write_all(bytes).map_err(at(Step::Write))?;
    if target.synced() {
        hook(Step::Sync, &mut io::sink(), &[]).map_err(at(Step::Sync))?;
        temp.as_file().sync_all().map_err(at(Step::Sync))?;
    }
    hook(Step::Rename, &mut io::sink(), &[]).map_err(at(Step::Rename))?;
    // On failure the error holds the temporary file, removed as it drops.
    temp.persist(path).map_err(|e| Failed { step: Step::Rename, source: e.error })?;
    if target == Target::State {
        sync_dir(dir);
    }
    Ok(())
}

fn directory(path: &Path) -> &Path {
    path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."))
}

/// The replaced file's permissions, or a new file's (0o666 less the
/// umask, as `File::create` gives; tempfile's own default is 0o600).
fn permissions(path: &Path) -> Option<Permissions> {
    if let Ok(meta) = fs::metadata(path) {
        return Some(meta.permissions());
    }
    #[cfg(unix)]
    return Some(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    #[cfg(not(unix))]
    None
}

/// Makes a rename in `dir` durable (best effort: the new file is in place
/// either way, so a failure here is not reported as a failed write).
pub(crate) fn sync_dir(dir: &Path) {
    if let Ok(dir) = File::open(dir) {
        let _ = dir.sync_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .expect("list the directory")
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn replaces_the_file_and_leaves_nothing_else() {
        for target in [Target::State, Target::Export, Target::Cache] {
            let dir = tempfile::tempdir().expect("temp dir");
            let path = dir.path().join("file");
            replace(&path, b"one", target).expect("first");
            replace(&path, b"two", target).expect("second");
            assert_eq!(fs::read(&path).expect("read"), b"two");
            assert_eq!(names(dir.path()), ["file"], "{target:?}");
        }
    }

    /// A failure at each step leaves the old file as it was and no
    /// temporary file behind.
    #[test]
    fn a_failure_at_any_step_leaves_the_old_file_and_no_temporary_file() {
        for target in [Target::State, Target::Export, Target::Cache] {
            for failing in [Step::Create, Step::Write, Step::Sync, Step::Rename] {
                let dir = tempfile::tempdir().expect("temp dir");
                let path = dir.path().join("file");
                fs::write(&path, b"old").expect("write");
                let mut hook = |step: Step, out: &mut dyn Write, bytes: &[u8]| {
                    if step == failing {
                        // Half written, as a full disk would leave it.
                        out.write_all(&bytes[..bytes.len() / 2])?;
                        return Err(io::Error::new(io::ErrorKind::StorageFull, "injected"));
                    }
                    Ok(())
                };
                let result = replace_with(&path, b"new bytes", target, &mut hook);
                let skipped = failing == Step::Sync && !target.synced();
                match result {
                    Err(failed) => assert_eq!(failed.step, failing, "{target:?}"),
                    Ok(()) => assert!(skipped, "{target:?} {failing:?} should fail"),
                }
                let expected: &[u8] = if skipped { b"new bytes" } else { b"old" };
                assert_eq!(fs::read(&path).expect("read"), expected, "{target:?} {failing:?}");
                assert_eq!(names(dir.path()), ["file"], "{target:?} {failing:?}");
            }
        }
    }

    #[test]
    fn a_rename_over_a_directory_fails_and_removes_its_temporary_file() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("taken");
        fs::create_dir(&path).expect("mkdir");
        fs::write(path.join("inside"), b"x").expect("write");
        let failed = replace(&path, b"new", Target::Export).expect_err("a directory is in the way");
        assert_eq!(failed.step, Step::Rename);
        assert_eq!(names(dir.path()), ["taken"]);
    }

    #[cfg(unix)]
    #[test]
    fn keeps_the_permissions_of_the_file_it_replaces() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("file");
        fs::write(&path, b"old").expect("write");
        fs::set_permissions(&path, Permissions::from_mode(0o640)).expect("chmod");
        replace(&path, b"new", Target::State).expect("replace");
        let mode = fs::metadata(&path).expect("stat").permissions().mode() & 0o777;
        assert_eq!(mode, 0o640);
    }
}

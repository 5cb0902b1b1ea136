//! `roadmap merge BASE OURS THEIRS`: git's merge driver for the state file
//! (`core::state::merge`): the union of both sides' events, written to OURS.
//! BASE is not needed (events are only ever added). A side that is not a
//! state this roadmap reads is refused (exit 1): git then reports a conflict
//! and OURS is left as it was. It prints nothing on success.

use crate::core::progress::replay;
use crate::core::state::merge::merge;
use crate::shell::context::Ctx;
use crate::shell::error::{Error, Result};
use crate::shell::store::Store;
use std::path::Path;

pub(crate) fn run(_ctx: &Ctx, _base: &Path, ours: &Path, theirs: &Path) -> Result<String> {
    let read = |path: &Path| -> Result<crate::core::state::State> {
        let parsed = Store::read_other(path)?.ok_or_else(|| {
            Error::refused(format!("{} does not exist", path.display()))
                .with_hint("give the three files git passes a merge driver: BASE OURS THEIRS")
        })?;
        Ok(parsed.state)
    };
    let (a, b) = (read(ours)?, read(theirs)?);
    let merged = merge(&a, &b);
    replay(&merged).map_err(|e| {
        Error::refused(format!("the merged state cannot be read back: {e}")).with_hint("nothing was written")
    })?;
    Store::write_unlocked(ours, &merged)?;
    // Silent, as a merge driver is: git reads its exit code, and a driver's
    // output would land in what `git merge-tree` prints.
    Ok(String::new())
}

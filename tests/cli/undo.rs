//! `undo` and `redo` by event id: one command's events undo together,
//! `--dry-run` says what would be reverted, `redo` re-applies until a new
//! change is recorded.

use crate::support::Sandbox;

#[test]
fn one_commands_events_undo_and_redo_together() {
    let env = Sandbox::new();
    env.ok(&["done", "agent", "moe"]);
    let events = env.events();
    let dry = env.ok(&["undo", "--dry-run"]);
    assert_eq!(
        dry,
        "Would undo 2 events of one command:\n  done p4.frontier.agent on 2027-01-04\n  done p4.frontier.moe on 2027-01-04\nNothing was changed; `roadmap undo` does it.\n"
    );
    assert_eq!(env.events(), events, "a dry run writes nothing");
    assert_eq!(
        env.ok(&["undo"]),
        "Undid 2 events of one command:\n  done p4.frontier.agent on 2027-01-04\n  done p4.frontier.moe on 2027-01-04\n"
    );
    // Each undo names its target by id.
    let after = env.events();
    assert_eq!(after.len(), 4);
    assert_eq!(after[2]["target"], events[0]["id"]);
    assert_eq!(after[3]["target"], events[1]["id"]);
    assert_eq!(env.ok(&["redo", "--dry-run"]).lines().next(), Some("Would redo 2 events of one command:"));
    assert_eq!(
        env.ok(&["redo"]),
        "Redid 2 events of one command:\n  done p4.frontier.agent on 2027-01-04\n  done p4.frontier.moe on 2027-01-04\n"
    );
    assert!(env.ok(&["list"]).lines().any(|l| l.contains("p4.frontier.agent") && l.ends_with("done")));
    let nothing = env.run(&["redo"]);
    assert_eq!((nothing.code, nothing.stderr.as_str()), (1, "error: nothing to redo\n"));
}

#[test]
fn redo_repeats_until_a_new_change_is_recorded() {
    let env = Sandbox::new();
    env.ok(&["done", "agent"]);
    env.ok(&["log", "moe", "2h"]);
    assert_eq!(env.ok(&["undo"]), "Undid: logged p4.frontier.moe 2h on 2027-01-04\n");
    assert_eq!(env.ok(&["undo"]), "Undid: done p4.frontier.agent on 2027-01-04\n");
    assert_eq!(env.ok(&["redo"]), "Redid: done p4.frontier.agent on 2027-01-04\n");
    assert_eq!(env.ok(&["redo"]), "Redid: logged p4.frontier.moe 2h on 2027-01-04\n");
    assert_eq!(env.run(&["redo"]).stderr, "error: nothing to redo\n");
    // Undo after a redo undoes the re-applied change; a new change ends the redo chain.
    assert_eq!(env.ok(&["undo"]), "Undid: logged p4.frontier.moe 2h on 2027-01-04\n");
    env.ok(&["done", "resume"]);
    assert_eq!(env.run(&["redo"]).stderr, "error: nothing to redo\n");
    assert_eq!(
        env.ok(&["undo", "--dry-run"]),
        "Would undo: done p4.jobprep.resume on 2027-01-04\nNothing was changed; `roadmap undo` does it.\n"
    );
    let run = Sandbox::new().run(&["undo", "--dry-run"]);
    assert_eq!((run.code, run.stderr.as_str()), (1, "error: nothing to undo\n"));
}

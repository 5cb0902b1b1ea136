//! Any bytes as a state file: `codec::parse` returns a state or an error,
//! never panics; a state that parses is replayed, scheduled against the
//! built-in plan and its habits' streaks walked, as `next` does.
#![no_main]

use libfuzzer_sys::fuzz_target;
use roadmap::core::habits::HabitView;
use roadmap::core::outlook::Outlook;
use std::sync::OnceLock;

fn plan() -> &'static roadmap::core::plan::Plan {
    static PLAN: OnceLock<roadmap::core::plan::Plan> = OnceLock::new();
    PLAN.get_or_init(|| {
        let b = roadmap::core::plan::builtin::default_plan();
        roadmap::core::plan::load(b.name, b.text.as_bytes()).expect("the built-in plan loads")
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(loaded) = roadmap::core::state::codec::parse(data) else {
        return;
    };
    let Ok(progress) = roadmap::core::progress::replay(&loaded.state) else {
        return;
    };
    let plan = plan();
    let _ = progress.orphans(plan);
    let today = chrono::NaiveDate::from_ymd_opt(2027, 1, 4).expect("a date");
    let Ok(outlook) = Outlook::new(plan, &progress, today) else {
        return;
    };
    let _ = outlook.current_phase(plan, today);
    for habit in &plan.habits {
        let view = HabitView {
            habit,
            calendar: &progress.calendar,
            progress: &progress,
            clock: &outlook.clock,
            today,
        };
        let _ = view.mark(today);
        let _ = view.current_streak();
    }
});

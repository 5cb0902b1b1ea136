//! Any bytes as a plan file: `plan::load` returns a plan or errors, never
//! panics; a plan that loads is scheduled as `validate` does, and its
//! errors render.
#![no_main]

use libfuzzer_sys::fuzz_target;
use roadmap::core::calendar::{Calendar, WeekHours};
use roadmap::core::outlook::Outlook;
use roadmap::core::schedule::Work;

fuzz_target!(|data: &[u8]| {
    let today = chrono::NaiveDate::from_ymd_opt(2027, 1, 4).expect("a date");
    match roadmap::core::plan::load("fuzz.yaml", data) {
        Err(errors) => {
            let _ = errors.to_string();
        }
        Ok(plan) => {
            let calendar = Calendar::new(today, WeekHours::DEFAULT);
            let work = plan
                .tasks
                .iter()
                .map(|t| Work::Open {
                    remaining: t.effort,
                    first: None,
                })
                .collect();
            if let Ok(outlook) = Outlook::with_calendar(&plan, &calendar, work, today) {
                let _ = outlook.current_phase(&plan, today);
            }
            for t in &plan.tasks {
                let _ = plan.lookup(&t.id);
            }
        }
    }
});

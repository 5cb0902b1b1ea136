//! A month of daily use, driven through the built binary with `--today`
//! advancing: exact output after every step, and the state after it.

use super::support::*;

/// One step: today, the arguments, the exact output, the number of events
/// in the state afterwards and the kind of the last one.
struct Step {
    today: &'static str,
    args: &'static [&'static str],
    stdout: &'static str,
    events: usize,
    last: Option<&'static str>,
}

const MONTH: &[Step] = &[
    Step {
        today: "2027-01-01",
        args: &["init", "--start", "2027-01-04", "--hours", "mon-fri=1.5,sat-sun=3"],
        stdout: r#"Tracking [PLAN] · 小计划 · Small study plan
  state    [DIR]/state.jsonl
  start    Mon 2027-01-04
  hours    mon-fri=1h30m,sat-sun=3h (13h30m/week)
  tracks   all (academic, industry)
  baseline plan end 2027-01-30
  p2 深耕阶段 has 2 routes: 学术路线 (academic, 12h, 8 days, ahead of 1-2 months by 23 days) and 工业路线 (industry, 10h, 7 days, ahead of 1-2 months by 24 days); following all of them takes 22h, 14 days, ahead of 1-2 months by 17 days
  You follow all of them; to follow one: `roadmap config --track academic` or `roadmap config --track industry`
Next: `roadmap next` shows today's work.
"#,
        events: 0,
        last: None,
    },
    Step {
        today: "2027-01-04",
        args: &["next"],
        stdout: r#"Mon 2027-01-04 (2027-W01) · p1 基础阶段 · week 1 of 2-3 weeks · 0% of the plan done

Today: 1h30m available, 30m for tasks after habits
  1  p1.core.agent  Agent系统（AutoGPT）  30m today · 6h left · ends Sat 01-09
       [ ] 搭建科研助手Agent

Habits due today
  leetcode  LeetCode 每日2题  0/2 题  streak 0 days
  arxiv     速读arXiv         0/1     streak 0 weeks

Coming up
  Sat 01-09  2  p1.core.moe     MoE架构（Mixtral）   8h
  Sat 01-16  3  p1.jobs.resume  简历优化技巧         4h
  Sun 01-17  4  p2.paths.paper  顶会论文冲刺        12h

On track · plan ends 2027-01-30
"#,
        events: 0,
        last: None,
    },
    Step {
        today: "2027-01-04",
        args: &["done", "leetcode"],
        stdout: r#"Checked in: leetcode  LeetCode 每日2题  2/2 题 on 2027-01-04 (met)
"#,
        events: 1,
        last: Some("checkin"),
    },
    Step {
        today: "2027-01-04",
        args: &["log", "agent", "30m"],
        stdout: r#"Logged 30m on p1.core.agent  Agent系统（AutoGPT） (2027-01-04)
  30m of 6h logged · 5h30m left
"#,
        events: 2,
        last: Some("logged"),
    },
    Step {
        today: "2027-01-06",
        args: &["done", "agent", "--note", "提前完成"],
        stdout: r#"Done: p1.core.agent  Agent系统（AutoGPT）  (6h, 2027-01-06)
  Deliverables not checked: 1 of 1 (roadmap done agent --deliverable 1)
  p1 基础阶段: 6h of 18h (33%) · forecast end 2027-01-15 · ahead of 2-3 weeks by 2 days
  Plan: 4 days ahead of the baseline · plan ends 2027-01-26
"#,
        events: 3,
        last: Some("done"),
    },
    Step {
        today: "2027-01-07",
        args: &["done", "moe", "--deliverable", "1"],
        stdout: r#"Checked: 1. 对比MoE与稠密模型的吞吐量
  p1.core.moe: 1 of 2 deliverables checked
"#,
        events: 4,
        last: Some("deliverable"),
    },
    Step {
        today: "2027-01-08",
        args: &["skip", "resume"],
        stdout: r#"Skipped: p1.jobs.resume  简历优化技巧 (4h left out of the schedule; `roadmap reopen resume` brings it back)
  p1 基础阶段: 6h of 14h (42%) · forecast end 2027-01-13 · ahead of 2-3 weeks by 4 days
"#,
        events: 5,
        last: Some("skipped"),
    },
    Step {
        today: "2027-01-08",
        args: &["undo"],
        stdout: r#"Undid: skipped p1.jobs.resume on 2027-01-08
"#,
        events: 6,
        last: Some("undo"),
    },
    Step {
        today: "2027-01-08",
        args: &["done", "leetcode", "--count", "1"],
        stdout: r#"Checked in: leetcode  LeetCode 每日2题  1/2 题 on 2027-01-08 (partial)
"#,
        events: 7,
        last: Some("checkin"),
    },
    Step {
        today: "2027-01-09",
        args: &["off", "2027-01-11..2027-01-12", "--note", "出差"],
        stdout: r#"Days off: Mon 2027-01-11 – Tue 2027-01-12 (2 days) 出差
  On track · plan ends 2027-01-30
"#,
        events: 8,
        last: Some("day_off"),
    },
    Step {
        today: "2027-01-13",
        args: &["next"],
        stdout: r#"Wed 2027-01-13 (2027-W02) · p1 基础阶段 · week 2 of 2-3 weeks · 15% of the plan done

Today: 1h30m available, 1h for tasks after habits
  2  p1.core.moe  MoE架构（Mixtral）  1h today · 8h left · ends Sun 01-17
       [ ] 部署Mixtral-Instruct API

Habits due today
  leetcode  LeetCode 每日2题  0/2 题  streak 0 days

Coming up
  Mon 01-18  3  p1.jobs.resume  简历优化技巧     4h
  Fri 01-22  4  p2.paths.paper  顶会论文冲刺    12h
  Fri 01-29  5  p2.paths.lead   技术领导力培养  10h

3 days behind the baseline · plan ends 2027-02-02 (baseline 2027-01-30)
"#,
        events: 8,
        last: Some("day_off"),
    },
    Step {
        today: "2027-01-14",
        args: &["log", "moe", "1.5h", "--on", "yesterday"],
        stdout: r#"Logged 1h30m on p1.core.moe  MoE架构（Mixtral） (2027-01-13)
  1h30m of 8h logged · 6h30m left
"#,
        events: 9,
        last: Some("logged"),
    },
    Step {
        today: "2027-01-15",
        args: &["done", "moe"],
        stdout: r#"Done: p1.core.moe  MoE架构（Mixtral）  (8h, 2027-01-15)
  Deliverables not checked: 1 of 2 (roadmap done moe --deliverable 2)
  p1 基础阶段: 14h of 18h (77%) · forecast end 2027-01-17 · fits 2-3 weeks
  Plan: 1 day ahead of the baseline · plan ends 2027-01-29
"#,
        events: 10,
        last: Some("done"),
    },
    Step {
        today: "2027-01-16",
        args: &["start", "简历"],
        stdout: r#"Started: p1.jobs.resume  简历优化技巧 on 2027-01-16
"#,
        events: 11,
        last: Some("started"),
    },
    Step {
        today: "2027-01-17",
        args: &["next"],
        stdout: r#"Sun 2027-01-17 (2027-W02) · p1 基础阶段 · week 2 of 2-3 weeks · 35% of the plan done

Today: 3h available, 2h30m for tasks after habits
  3  p1.jobs.resume  简历优化技巧  2h30m today · 4h left · ends Tue 01-19

Habits due today
  leetcode  LeetCode 每日2题  0/2 题  streak 0 days

Coming up
  Wed 01-20  4  p2.paths.paper  顶会论文冲刺    12h
  Tue 01-26  5  p2.paths.lead   技术领导力培养  10h

1 day behind the baseline · plan ends 2027-01-31 (baseline 2027-01-30)
"#,
        events: 11,
        last: Some("started"),
    },
    Step {
        today: "2027-01-20",
        args: &["done", "resume", "--on", "mon"],
        stdout: r#"Done: p1.jobs.resume  简历优化技巧  (4h, 2027-01-18)
  p1 基础阶段: 18h of 18h (100%) · forecast end 2027-01-18 · fits 2-3 weeks
  Plan: 1 day behind the baseline · plan ends 2027-01-31
"#,
        events: 12,
        last: Some("done"),
    },
    Step {
        today: "2027-01-20",
        args: &["config", "--track", "academic"],
        stdout: r#"Settings changed; the baseline stays (`roadmap rebaseline --yes` replaces it).
  state     [DIR]/state.jsonl
  plan      [PLAN]
  start     2027-01-04
  hours     mon-fri=1h30m,sat-sun=3h (13h30m/week)
  tracks    academic
  days off  1
  baseline  plan end 2027-01-30
"#,
        events: 13,
        last: Some("settings"),
    },
    Step {
        today: "2027-01-21",
        args: &["next"],
        stdout: r#"Thu 2027-01-21 (2027-W03) · p2 深耕阶段 · week 1 of 1-2 months · 60% of the plan done

Today: 1h30m available, 1h30m for tasks after habits
  4  p2.paths.paper  顶会论文冲刺  1h30m today · 12h left · ends Wed 01-27

3 days ahead of the baseline · plan ends 2027-01-27 (baseline 2027-01-30)
"#,
        events: 13,
        last: Some("settings"),
    },
    Step {
        today: "2027-01-25",
        args: &["log", "4", "3h"],
        stdout: r#"Logged 3h on p2.paths.paper  顶会论文冲刺 (2027-01-25)
  3h of 12h logged · 9h left
"#,
        events: 14,
        last: Some("logged"),
    },
    Step {
        today: "2027-01-28",
        args: &["done", "paper"],
        stdout: r#"Done: p2.paths.paper  顶会论文冲刺  (12h, 2027-01-28)
  p2 深耕阶段: 12h of 12h (100%) · forecast end 2027-01-28 · ahead of 1-2 months by 27 days
  Plan: 2 days ahead of the baseline · plan ends 2027-01-28
"#,
        events: 15,
        last: Some("done"),
    },
    Step {
        today: "2027-01-31",
        args: &["next"],
        stdout: r#"Sun 2027-01-31 (2027-W04) · p2 深耕阶段 · week 1 of 1-2 months · 100% of the plan done

Every task on your tracks is done or skipped.

2 days ahead of the baseline · plan ends 2027-01-28 (baseline 2027-01-30)
"#,
        events: 15,
        last: Some("done"),
    },
    Step {
        today: "2027-01-31",
        args: &["list"],
        stdout: r#"  #  id                title                                      effort  status
     p1                基础阶段 · fits 2-3 weeks                     18h  100% done
     p1.core           核心概念                                      14h
  1    p1.core.agent   Agent系统（AutoGPT）                           6h  done
  2    p1.core.moe     MoE架构（Mixtral）                             8h  done
     p1.jobs           求职准备                                       4h
  3    p1.jobs.resume  简历优化技巧                                   4h  done
     p2                深耕阶段 · ahead of 1-2 months by 27 days     12h  100% done
     p2.paths          路线                                          12h
  4    p2.paths.paper  顶会论文冲刺                                  12h  done
  5    p2.paths.lead   技术领导力培养                                10h  off track
"#,
        events: 15,
        last: Some("done"),
    },
    Step {
        today: "2027-01-31",
        args: &["off", "--list"],
        stdout: r#"  Mon 2027-01-11 – Tue 2027-01-12 (2 days) 出差
"#,
        events: 15,
        last: Some("done"),
    },
    Step {
        today: "2027-01-31",
        args: &["schedule"],
        stdout: r#"  #  id              title               effort  start       end         baseline    slip  status
     p1              基础阶段 · fits        18h  2027-01-04  2027-01-18  2027-01-17   +1d
                     2-3 weeks
  1  p1.core.agent   Agent系统（AutoGPT      6h  2027-01-04  2027-01-06  2027-01-09   -3d  done
                     ）
  2  p1.core.moe     MoE架构（Mixtral）      8h  2027-01-13  2027-01-15  2027-01-15     0  done
  3  p1.jobs.resume  简历优化技巧            4h  2027-01-16  2027-01-18  2027-01-17   +1d  done
     p2              深耕阶段 · ahead       12h  2027-01-25  2027-01-28  2027-01-30   -2d
                     of 1-2 months by
                     27 days
  4  p2.paths.paper  顶会论文冲刺           12h  2027-01-25  2027-01-28  2027-01-24   +4d  done
  5  p2.paths.lead   技术领导力培养         10h                          2027-01-30        off track

2 days ahead of the baseline · plan ends 2027-01-28 (baseline 2027-01-30)
"#,
        events: 15,
        last: Some("done"),
    },
];

#[test]
fn a_month_of_daily_use() {
    let env = Sandbox::with_fixture("study.yaml");
    for step in MONTH {
        let run = env.on(step.today).args(step.args).run();
        assert_eq!(run.code, 0, "roadmap {:?} on {}: {}", step.args, step.today, run.stderr);
        assert_eq!(run.stdout, step.stdout, "roadmap {:?} on {}", step.args, step.today);
        let events = env.events();
        assert_eq!(events.len(), step.events, "events after {:?}", step.args);
        assert_eq!(events.last().and_then(|e| e["kind"].as_str()), step.last, "last event after {:?}", step.args);
    }
    // The recorded facts, field by field.
    let events = env.events();
    // Events by their place in the file's order; an undo's target by the place of the event it names.
    let place = |id: &serde_json::Value| events.iter().position(|e| &e["id"] == id).map_or(0, |p| p + 1);
    let brief: Vec<String> = events
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let fields = ["task", "habit", "on", "count", "minutes", "target", "note"];
            let mut parts = vec![(i + 1).to_string(), e["kind"].as_str().unwrap_or("?").to_string()];
            for f in fields {
                if f == "target"
                    && let Some(v) = e.get(f)
                {
                    parts.push(format!("target={}", place(v)));
                } else if let Some(v) = e.get(f) {
                    parts.push(format!("{f}={}", v.as_str().map_or_else(|| v.to_string(), str::to_string)));
                }
            }
            parts.join(" ")
        })
        .collect();
    assert_eq!(
        brief,
        [
            "1 checkin habit=leetcode on=2027-01-04 count=2",
            "2 logged task=p1.core.agent on=2027-01-04 minutes=30",
            "3 done task=p1.core.agent on=2027-01-06 note=提前完成",
            "4 deliverable task=p1.core.moe on=2027-01-07",
            "5 skipped task=p1.jobs.resume on=2027-01-08",
            "6 undo target=5",
            "7 checkin habit=leetcode on=2027-01-08 count=1",
            "8 day_off",
            "9 logged task=p1.core.moe on=2027-01-13 minutes=90",
            "10 done task=p1.core.moe on=2027-01-15",
            "11 started task=p1.jobs.resume on=2027-01-16",
            "12 done task=p1.jobs.resume on=2027-01-18",
            "13 settings",
            "14 logged task=p2.paths.paper on=2027-01-25 minutes=180",
            "15 done task=p2.paths.paper on=2027-01-28",
        ]
    );
}

//! The plans shipped inside the binary.

/// A plan embedded at build time.
pub struct Builtin {
    pub name: &'static str,
    pub text: &'static str,
}

/// Every built-in plan; the first is the default.
pub const BUILTINS: &[Builtin] = &[
    Builtin { name: "llm-career-4-6.zh", text: include_str!("../../../plans/llm-career-4-6.zh.yaml") },
    Builtin { name: "llm-career-4-6.en", text: include_str!("../../../plans/llm-career-4-6.en.yaml") },
];

pub fn default_plan() -> &'static Builtin {
    &BUILTINS[0]
}

/// A built-in plan by name; `zh` and `en` are accepted for the shipped pair.
pub fn find(name: &str) -> Option<&'static Builtin> {
    BUILTINS.iter().find(|b| b.name == name || b.name.rsplit('.').next() == Some(name))
}

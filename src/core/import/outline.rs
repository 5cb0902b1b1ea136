//! A Markdown guide as an outline: its sections (headings, and bold
//! numbered paragraphs such as `**1. Agent系统**`) in order, each with the
//! body that follows it up to the next section. Read with `pulldown-cmark`
//! event by event; the body keeps each top-level block's Markdown source as
//! written (so code blocks stay whole), and what the importer looks for
//! inside it: links, checkboxes, ✅ lines and plain-text lines.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use std::ops::Range;

/// The rank a bold numbered paragraph gets: deeper than any heading.
pub(crate) const BOLD: u8 = 7;

/// A link in the guide: its text and target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Link {
    pub title: String,
    pub url: String,
}

/// What follows a section's title, up to the next section.
#[derive(Debug, Clone, Default)]
pub(crate) struct Body {
    /// The Markdown source of each top-level block, as written.
    pub blocks: Vec<String>,
    pub links: Vec<Link>,
    /// `- [ ]` / `- [x]` items: their text and whether they are ticked.
    pub checks: Vec<(String, bool)>,
    /// The text after ✅ on each line that has one.
    pub ticks: Vec<String>,
    /// The plain text of every paragraph, list item and table cell (code
    /// blocks left out), for routines.
    pub lines: Vec<String>,
}

impl Body {
    /// The blocks as one Markdown text.
    pub(crate) fn markdown(&self) -> String {
        self.blocks.join("\n\n")
    }

    fn absorb(&mut self, other: Body) {
        self.blocks.extend(other.blocks);
        self.links.extend(other.links);
        self.checks.extend(other.checks);
        self.ticks.extend(other.ticks);
        self.lines.extend(other.lines);
    }
}

/// A heading (rank 1–6) or a bold numbered paragraph (rank [`BOLD`]).
#[derive(Debug, Clone)]
pub(crate) struct Section {
    pub rank: u8,
    /// The title's plain text, as written (number and duration included).
    pub title: String,
    /// The heading's own Markdown line, for when it ends up inside notes.
    pub source: String,
    pub body: Body,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct Outline {
    /// What comes before the first section.
    pub preamble: Body,
    pub sections: Vec<Section>,
}

impl Outline {
    /// The body everything after `section` up to the next one goes to.
    fn current(&mut self) -> &mut Body {
        match self.sections.last_mut() {
            Some(section) => &mut section.body,
            None => &mut self.preamble,
        }
    }
}

/// Reads the guide. Time and memory are linear in its size.
pub(crate) fn read(text: &str) -> Outline {
    let options = Options::ENABLE_TABLES | Options::ENABLE_TASKLISTS | Options::ENABLE_STRIKETHROUGH;
    let mut outline = Outline::default();
    let mut block: Vec<(Event<'_>, Range<usize>)> = Vec::new();
    let mut depth = 0usize;
    for (event, range) in Parser::new_ext(text, options).into_offset_iter() {
        let opens = matches!(event, Event::Start(_));
        let closes = matches!(event, Event::End(_));
        if opens {
            depth += 1;
        }
        if closes {
            depth = depth.saturating_sub(1);
        }
        block.push((event, range));
        if depth == 0 {
            let events = std::mem::take(&mut block);
            take_block(&mut outline, text, events);
        }
    }
    if !block.is_empty() {
        take_block(&mut outline, text, block);
    }
    outline
}

/// One top-level block: a new section, or more body for the current one.
fn take_block(outline: &mut Outline, text: &str, events: Vec<(Event<'_>, Range<usize>)>) {
    let Some((first, range)) = events.first() else { return };
    let range = range.clone();
    let source = text.get(range.clone()).unwrap_or("").trim_end().to_string();
    let rank = match first {
        Event::Start(Tag::Heading { level, .. }) => Some(*level as u8),
        Event::Start(Tag::Paragraph) if is_bold_numbered(&events) => Some(BOLD),
        Event::Rule => return,
        _ => None,
    };
    let body = scan(&events);
    match rank {
        Some(rank) => {
            let title = body.lines.first().cloned().unwrap_or_default();
            let mut section = Section { rank, title, source, body: Body::default() };
            // A heading's own links stay with it (its title may be a link).
            section.body.links = body.links;
            outline.sections.push(section);
        }
        None => {
            let mut body = body;
            if !source.is_empty() {
                body.blocks = vec![source];
            }
            outline.current().absorb(body);
        }
    }
}

/// `**1. Title**` alone in its paragraph (the number may be `1.`, `1、`, `1)`).
fn is_bold_numbered(events: &[(Event<'_>, Range<usize>)]) -> bool {
    let inner = &events[1..events.len().saturating_sub(1)];
    let Some((Event::Start(Tag::Strong), _)) = inner.first() else { return false };
    let Some((Event::End(TagEnd::Strong), _)) = inner.last() else { return false };
    let middle = &inner[1..inner.len().saturating_sub(1)];
    if middle.iter().any(|(e, _)| matches!(e, Event::Start(Tag::Strong) | Event::SoftBreak | Event::HardBreak)) {
        return false;
    }
    let text: String = middle
        .iter()
        .filter_map(|(e, _)| match e {
            Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
            _ => None,
        })
        .collect();
    super::heading::leading_number(text.trim()).is_some()
}

/// The links, checkboxes, ✅ lines and plain lines of one block.
fn scan(events: &[(Event<'_>, Range<usize>)]) -> Body {
    let mut body = Body::default();
    // Open text holders: (text, checkbox state).
    let mut stack: Vec<(String, Option<bool>)> = Vec::new();
    let mut link: Option<(String, String)> = None;
    let mut in_code = 0usize;
    for (event, _) in events {
        match event {
            Event::Start(Tag::Paragraph | Tag::Item | Tag::Heading { .. } | Tag::TableCell) => {
                stack.push((String::new(), None));
            }
            Event::End(TagEnd::Paragraph | TagEnd::Item | TagEnd::Heading(_) | TagEnd::TableCell) => {
                if let Some((text, check)) = stack.pop() {
                    finish_line(&mut body, text, check);
                }
            }
            Event::Start(Tag::List(_)) => {
                // A nested list ends its item's own line.
                if let Some((text, check)) = stack.last_mut() {
                    let text = std::mem::take(text);
                    let check = check.take();
                    finish_line(&mut body, text, check);
                }
            }
            Event::Start(Tag::CodeBlock(_)) => in_code += 1,
            Event::End(TagEnd::CodeBlock) => in_code = in_code.saturating_sub(1),
            Event::Start(Tag::Link { dest_url, .. }) => link = Some((String::new(), dest_url.to_string())),
            Event::End(TagEnd::Link) => {
                if let Some((title, url)) = link.take() {
                    let title = title.trim();
                    let title = if title.is_empty() { url.clone() } else { title.to_string() };
                    body.links.push(Link { title, url });
                }
            }
            Event::TaskListMarker(ticked) => {
                if let Some((_, check)) = stack.last_mut() {
                    *check = Some(*ticked);
                }
            }
            Event::Text(t) | Event::Code(t) if in_code == 0 => {
                if let Some((text, _)) = stack.last_mut() {
                    text.push_str(t);
                }
                if let Some((title, _)) = link.as_mut() {
                    title.push_str(t);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some((text, _)) = stack.last_mut() {
                    text.push(' ');
                }
            }
            _ => {}
        }
    }
    body
}

fn finish_line(body: &mut Body, text: String, check: Option<bool>) {
    let text = text.trim().to_string();
    if text.is_empty() {
        return;
    }
    if let Some((_, after)) = text.split_once('✅') {
        let after = after.trim();
        if !after.is_empty() {
            body.ticks.push(after.to_string());
        }
    }
    if let Some(ticked) = check {
        body.checks.push((text.clone(), ticked));
    }
    body.lines.push(text);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_and_bold_numbers_are_sections_with_their_bodies() {
        let text = "intro [a](https://a.example)\n\n## Stage\n\n**1. First**\n\n- [x] done it\n- ✅ ship it\n\n```sh\n# not a heading\n```\n\n**Not numbered**\n";
        let outline = read(text);
        assert_eq!(outline.preamble.links, [Link { title: "a".into(), url: "https://a.example".into() }]);
        let ranks: Vec<(u8, &str)> = outline.sections.iter().map(|s| (s.rank, s.title.as_str())).collect();
        assert_eq!(ranks, [(2, "Stage"), (BOLD, "1. First")]);
        let body = &outline.sections[1].body;
        assert_eq!(body.checks, [("done it".to_string(), true)]);
        assert_eq!(body.ticks, ["ship it"]);
        assert_eq!(body.blocks.len(), 3, "{:?}", body.blocks);
        assert!(body.blocks[1].contains("# not a heading"));
        assert_eq!(body.lines, ["done it", "✅ ship it", "Not numbered"]);
    }
}

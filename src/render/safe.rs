//! Note text made safe to print or write.
//!
//! Names, titles, task texts and file names come from notes, and notes are
//! untrusted: they may hold newlines, terminal escape sequences or text that
//! looks like rapport's own structure. These functions are the one place
//! where such text is defused before it reaches a terminal or a checklist
//! file, so it can only ever be shown, never act.

use std::borrow::Cow;
use std::fmt::Write as _;

/// True for the characters a terminal may act on: C0 controls (except tab),
/// DEL and C1 controls.
fn is_terminal_control(c: char) -> bool {
    (c.is_control() && c != '\t') || ('\u{80}'..='\u{9f}').contains(&c)
}

/// Text for the terminal: every C0 control character except tab, DEL and
/// every C1 control is replaced by a visible escape (`\x1b`, `\n`, `\u{9b}`),
/// so no escape sequence, window-title change or link can pass, and column
/// widths count what is shown.
pub fn terminal(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_terminal_control) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x80 && is_terminal_control(c) => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c if is_terminal_control(c) => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// One line of text: every control character (newlines and tabs included)
/// becomes a space.
pub fn one_line(s: &str) -> Cow<'_, str> {
    if !s.chars().any(|c| c.is_control() || is_terminal_control(c)) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(
        s.chars()
            .map(|c| {
                if c.is_control() || is_terminal_control(c) {
                    ' '
                } else {
                    c
                }
            })
            .collect(),
    )
}

/// Note text for one line of the checklist file: one line, and no HTML
/// comment can open or close in it (`<!--` and `-->` are written as
/// entities, which Markdown shows as the same characters), so note text
/// never forges an item id or hides the rest of a line.
pub fn markdown_line(s: &str) -> String {
    one_line(s)
        .replace("<!--", "&lt;!--")
        .replace("-->", "--&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_are_shown_not_sent() {
        assert_eq!(terminal("plain"), "plain");
        assert_eq!(terminal("a\x1b]0;t\x07b"), "a\\x1b]0;t\\x07b");
        assert_eq!(terminal("x\ny\tz\x7f"), "x\\ny\tz\\x7f");
        assert_eq!(terminal("\u{9b}2J"), "\\u{9b}2J");
        assert_eq!(one_line("a\nb\r\tc"), "a b  c");
        assert_eq!(
            markdown_line("t <!-- id:abc -->\n## Notes"),
            "t &lt;!-- id:abc --&gt; ## Notes"
        );
    }
}

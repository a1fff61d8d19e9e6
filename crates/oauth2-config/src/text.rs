//! Character helpers shared by the field parsers.

/// Removes ASCII whitespace at both ends. No-break and zero-width spaces are kept so that the
/// parsers can name them instead of hiding them.
pub(crate) fn trim_ascii(input: &str) -> &str {
    input.trim_matches(|c: char| c.is_ascii_whitespace())
}

/// Returns a readable name for a character that is hard to see or to type.
pub(crate) fn describe_char(c: char) -> String {
    let name = match c {
        ' ' => "a space",
        '\t' => "a tab",
        '\n' => "a line break",
        '\r' => "a carriage return",
        '\u{00A0}' => "a no-break space",
        '\u{2007}' => "a figure space (no-break)",
        '\u{202F}' => "a narrow no-break space",
        '\u{200B}' => "a zero-width space",
        '\u{200C}' => "a zero-width non-joiner",
        '\u{200D}' => "a zero-width joiner",
        '\u{2060}' => "a word joiner (zero-width)",
        '\u{FEFF}' => "a zero-width no-break space (byte order mark)",
        '\u{00AD}' => "a soft hyphen (invisible)",
        c if c.is_control() => "a control character",
        c if is_bidi_control(c) => "a text-direction control character",
        _ => return format!("'{c}' (U+{:04X})", c as u32),
    };
    format!("{name} (U+{:04X})", c as u32)
}

/// Zero-width and no-break characters that look like nothing or like a plain space.
pub(crate) fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00A0}'
            | '\u{2007}'
            | '\u{202F}'
            | '\u{200B}'
            | '\u{200C}'
            | '\u{200D}'
            | '\u{2060}'
            | '\u{FEFF}'
            | '\u{00AD}'
    )
}

/// Characters that render as blank space although they are not spaces: Hangul and Braille
/// fillers, the Mongolian vowel separator, invisible operators and tag characters.
pub(crate) fn is_blank_filler(c: char) -> bool {
    matches!(c, '\u{115F}' | '\u{1160}' | '\u{3164}' | '\u{FFA0}' | '\u{2800}' | '\u{180E}' | '\u{034F}' | '\u{2061}'..='\u{2064}' | '\u{E0000}'..='\u{E007F}')
}

/// Characters that reorder displayed text, so a value can read differently from what it is.
pub(crate) fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

/// Printable ASCII, the `VSCHAR` set of RFC 6749 Appendix A (`%x20-7E`).
pub(crate) fn is_vschar(c: char) -> bool {
    matches!(c, '\u{20}'..='\u{7E}')
}

/// Finds the first character for which `bad` holds, with its 1-based position.
pub(crate) fn find_char(input: &str, bad: impl Fn(char) -> bool) -> Option<(usize, char)> {
    input
        .chars()
        .enumerate()
        .find(|&(_, c)| bad(c))
        .map(|(index, c)| (index + 1, c))
}

/// Returns `input` with control, invisible and text-direction characters written as `\u{…}`, so a
/// message can quote hostile input without hiding or reordering the text around it.
pub(crate) fn quote_visible(input: &str) -> String {
    input
        .chars()
        .map(|c| {
            if c.is_control() || is_invisible(c) || is_bidi_control(c) {
                format!("\\u{{{:04X}}}", c as u32)
            } else {
                c.to_string()
            }
        })
        .collect()
}

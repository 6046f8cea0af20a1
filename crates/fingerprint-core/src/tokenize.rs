//! Step 3 of the recipe: tokens are runs of letters, marks and digits; apostrophes inside a word
//! keep it whole; each character of a script written without spaces is a token of its own.

use crate::normalize::normalize;
use icu_properties::props::{GeneralCategory, GeneralCategoryGroup};
use icu_properties::CodePointMapData;

/// What one character of normalized text is to the tokenizer.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Class {
    Word,
    Spaceless,
    Apostrophe,
    Separator,
}

/// Scripts written without spaces between words (`docs/spec.md`, step 3).
const SPACELESS_RANGES: [(u32, u32); 9] = [
    (0x0E00, 0x0EFF),
    (0x1000, 0x109F),
    (0x1780, 0x17FF),
    (0x3040, 0x30FF),
    (0x31F0, 0x31FF),
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xF900, 0xFAFF),
    (0x20000, 0x3FFFF),
];

/// Default_Ignorable_Code_Point: invisible format characters (soft hyphen, zero-width joiners,
/// variation selectors, byte order mark), removed before tokenizing, so `co\u{AD}operate` is one
/// word and an emoji's variation selector is no token.
const IGNORABLE_RANGES: [(u32, u32); 17] = [
    (0x00AD, 0x00AD),
    (0x034F, 0x034F),
    (0x061C, 0x061C),
    (0x115F, 0x1160),
    (0x17B4, 0x17B5),
    (0x180B, 0x180F),
    (0x200C, 0x200F),
    (0x202A, 0x202E),
    (0x2060, 0x206F),
    (0x3164, 0x3164),
    (0xFE00, 0xFE0F),
    (0xFEFF, 0xFEFF),
    (0xFFA0, 0xFFA0),
    (0xFFF0, 0xFFF8),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0000, 0xE0FFF),
];

fn in_ranges(c: char, ranges: &[(u32, u32)]) -> bool {
    let c = c as u32;
    ranges.iter().any(|&(lo, hi)| (lo..=hi).contains(&c))
}

fn is_spaceless(c: char) -> bool {
    in_ranges(c, &SPACELESS_RANGES)
}

fn is_ignorable(c: char) -> bool {
    !c.is_ascii() && in_ranges(c, &IGNORABLE_RANGES)
}

fn classify(c: char) -> Class {
    if c.is_ascii() {
        return classify_ascii(c as u8);
    }
    if c == '\u{2019}' || c == '\u{2BC}' {
        return Class::Apostrophe;
    }
    let category = CodePointMapData::<GeneralCategory>::new().get(c);
    let word = GeneralCategoryGroup::Letter
        .union(GeneralCategoryGroup::Mark)
        .union(GeneralCategoryGroup::Number);
    match (word.contains(category), is_spaceless(c)) {
        (false, _) => Class::Separator,
        (true, true) => Class::Spaceless,
        (true, false) => Class::Word,
    }
}

fn classify_ascii(b: u8) -> Class {
    match b {
        b'\'' => Class::Apostrophe,
        _ if ASCII_WORD[usize::from(b)] => Class::Word,
        _ => Class::Separator,
    }
}

/// Calls `emit` with each token of `text`, in order. `buf` is scratch space, reused across calls.
pub fn for_each_token(text: &str, buf: &mut String, mut emit: impl FnMut(&str)) {
    buf.clear();
    if text.is_ascii() {
        scan_ascii(text, buf, &mut emit);
    } else {
        let normalized = normalize(text);
        scan(normalized.chars().filter(|&c| !is_ignorable(c)), classify, buf, &mut emit);
    }
}

/// ASCII letters and digits: the word characters of ASCII text.
const ASCII_WORD: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = (b as u8).is_ascii_alphanumeric();
        b += 1;
    }
    table
};

/// The state machine of [`scan`] for ASCII text, where normalization is lowercasing and every
/// token is a slice of the text: it is emitted in place unless it has capitals to lower.
fn scan_ascii(text: &str, buf: &mut String, emit: &mut impl FnMut(&str)) {
    let bytes = text.as_bytes();
    let is_word = |i: usize| i < bytes.len() && ASCII_WORD[usize::from(bytes[i])];
    let mut i = 0;
    while i < bytes.len() {
        while i < bytes.len() && !is_word(i) {
            i += 1;
        }
        let start = i;
        let mut capitals = false;
        loop {
            while is_word(i) {
                capitals |= bytes[i].is_ascii_uppercase();
                i += 1;
            }
            if i < bytes.len() && bytes[i] == b'\'' && is_word(i + 1) {
                i += 1;
            } else {
                break;
            }
        }
        if start == i {
            break;
        }
        let token = &text[start..i];
        if capitals {
            buf.clear();
            buf.push_str(token);
            buf.make_ascii_lowercase();
            emit(buf);
        } else {
            emit(token);
        }
    }
}

/// The tokenizer's state machine over normalized characters; `buf` holds the token being built.
#[inline(always)]
fn scan(
    chars: impl Iterator<Item = char>,
    classify: impl Fn(char) -> Class,
    buf: &mut String,
    emit: &mut impl FnMut(&str),
) {
    let mut chars = chars.peekable();
    while let Some(c) = chars.next() {
        match classify(c) {
            Class::Word => buf.push(c),
            Class::Spaceless => {
                flush(buf, emit);
                emit(c.encode_utf8(&mut [0; 4]));
            }
            // `buf` is non-empty exactly when the previous character was a word character.
            Class::Apostrophe
                if !buf.is_empty() && chars.peek().is_some_and(|&n| classify(n) == Class::Word) =>
            {
                buf.push('\'');
            }
            Class::Apostrophe | Class::Separator => flush(buf, emit),
        }
    }
    flush(buf, emit);
}

fn flush(buf: &mut String, emit: &mut impl FnMut(&str)) {
    if !buf.is_empty() {
        emit(buf);
        buf.clear();
    }
}

/// The tokens of `text` under recipe v1.
///
/// ```
/// assert_eq!(fingerprint_core::tokens("They’ve met Nazarbayev's aides."),
///            ["they've", "met", "nazarbayev's", "aides"]);
/// assert_eq!(fingerprint_core::tokens("東京タワー"), ["東", "京", "タ", "ワ", "ー"]);
/// ```
pub fn tokens(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for_each_token(text, &mut String::new(), |t| out.push(t.to_owned()));
    out
}

#[cfg(test)]
mod tests {
    use super::tokens;

    #[test]
    fn punctuation_and_symbols_separate() {
        assert_eq!(tokens("Hello, world! 3.14 -- a_b"), ["hello", "world", "3", "14", "a", "b"]);
        assert!(tokens(" \t\n\0 ...").is_empty());
    }

    #[test]
    fn apostrophes_join_only_inside_words() {
        assert_eq!(tokens("rock 'n' roll"), ["rock", "n", "roll"]);
        assert_eq!(tokens("they'' ve dogs'"), ["they", "ve", "dogs"]);
        assert_eq!(tokens("o’neill O'Neill"), ["o'neill", "o'neill"]);
    }

    #[test]
    fn marks_stay_inside_words() {
        assert_eq!(tokens("नमस्ते दुनिया"), ["नमस्ते", "दुनिया"]);
        assert_eq!(tokens("Cafe\u{301} crème"), ["caf\u{e9}", "crème"]);
    }

    #[test]
    fn invisible_format_characters_are_removed() {
        assert_eq!(tokens("co\u{AD}operate I \u{2764}\u{FE0F} news"), ["cooperate", "i", "news"]);
        assert_eq!(tokens("don\u{2BC}t"), ["don't"]);
    }

    #[test]
    fn hangul_is_spaced_but_thai_is_not() {
        assert_eq!(tokens("안녕 세계"), ["안녕", "세계"]);
        assert_eq!(tokens("สวัส").len(), 4);
    }
}

//! Plain text into blocks: paragraphs and headings, with their byte offsets in the input.
//!
//! Paragraphs are separated by blank lines. Text hard-wrapped at a fixed width (wire copy broken at
//! 70-80 columns) is rejoined into paragraphs: inside a run of non-blank lines, a line ends a
//! paragraph when it ends a sentence (or is a capitalized headline) and is well short of the wrap
//! width or the next line's first word would have fit on it; an indented line or a capitalized
//! headline starts one. Text that is not
//! hard-wrapped has one paragraph per line. The wrap width is the document's, not a run's: a
//! headline, a dateline and a byline on consecutive lines are three blocks, not a wrapped
//! paragraph, because they are short of the width the rest of the document wraps at.

/// What a block of plain text is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BlockKind {
    Paragraph,
    /// A single short line with no sentence-ending punctuation: a headline or subheading.
    Heading,
}

impl BlockKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Paragraph => "paragraph",
            Self::Heading => "heading",
        }
    }
}

/// One block: its kind, its byte range in the input, and its text with wrapped lines rejoined.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TextBlock {
    pub kind: BlockKind,
    pub start: usize,
    pub end: usize,
    pub text: String,
}

/// The version of how text and pages are cut into blocks (this file, and `html.py` in the Python
/// package): a stored index records it beside its recipe, since blocks decide every report. Any
/// change to where blocks start or end, or to their kinds or texts, raises it
/// (`tests/data/golden/segmentation_v1.jsonl` holds what version 1 cuts).
pub const SEGMENTATION_VERSION: u32 = 1;

/// Text wrapped wider than this is taken as one paragraph per line.
const MAX_WRAP_WIDTH: usize = 100;
/// A line shorter than this share of the wrap width is the last line of its paragraph.
const SHORT_LINE_SHARE: f64 = 0.7;
/// In hard-wrapped text, most lines that continue onto another line come close to the width.
const NEAR_WIDTH_SHARE: f64 = 0.75;
const NEAR_WIDTH_LINES: f64 = 0.6;
/// A heading has at most this many words.
const MAX_HEADING_WORDS: usize = 14;

/// A line of the input without its line break, trimmed, with its byte range.
#[derive(Clone, Copy, Debug)]
struct Line<'a> {
    text: &'a str,
    start: usize,
    indent: usize,
}

impl<'a> Line<'a> {
    fn width(&self) -> usize {
        self.indent + self.text.chars().count()
    }

    fn end(&self) -> usize {
        self.start + self.text.len()
    }
}

/// The blocks of plain text, in order.
///
/// ```
/// use fingerprint_core::segment::{segment, BlockKind};
/// let text = "Wire headline\n\n\
///             The first paragraph of the story is wrapped at a fixed\n\
///             width by the wire service, as copy used to be.\n\
///             The second paragraph starts on the next line, also\n\
///             wrapped at the same width.";
/// let blocks = segment(text);
/// assert_eq!(blocks.len(), 3);
/// assert_eq!(blocks[0].kind, BlockKind::Heading);
/// assert!(blocks[1].text.ends_with("fixed width by the wire service, as copy used to be."));
/// assert_eq!(&text[blocks[2].start..blocks[2].start + 10], "The second");
/// ```
pub fn segment(text: &str) -> Vec<TextBlock> {
    let runs = runs_of_lines(text);
    let wrap_width = wrap_width(&runs);
    let mut blocks = Vec::new();
    for run in &runs {
        for paragraph in split_run(run, wrap_width) {
            blocks.push(block_of(paragraph));
        }
    }
    blocks
}

/// The width the text is hard-wrapped at, if it is: the 90th percentile width of the lines that
/// continue onto another line, when most of those lines come close to it.
fn wrap_width(runs: &[Vec<Line<'_>>]) -> Option<usize> {
    let mut widths: Vec<usize> =
        runs.iter().flat_map(|run| run.iter().rev().skip(1).map(Line::width)).collect();
    if widths.len() < 2 {
        return None;
    }
    widths.sort_unstable();
    let width = widths[(widths.len() * 9 / 10).min(widths.len() - 1)];
    let near = widths.iter().filter(|&&w| w as f64 >= NEAR_WIDTH_SHARE * width as f64).count();
    let wrapped = width <= MAX_WRAP_WIDTH && near as f64 >= NEAR_WIDTH_LINES * widths.len() as f64;
    wrapped.then_some(width)
}

/// Runs of consecutive non-blank lines.
fn runs_of_lines(text: &str) -> Vec<Vec<Line<'_>>> {
    let mut runs = vec![Vec::new()];
    let mut offset = 0;
    for raw in text.split_inclusive('\n') {
        let content = raw.trim_end_matches(['\n', '\r']);
        let trimmed = content.trim_start();
        let indent = content.len() - trimmed.len();
        let trimmed = trimmed.trim_end();
        if trimmed.is_empty() {
            runs.push(Vec::new());
        } else {
            let start = offset + indent;
            runs.last_mut().expect("never empty").push(Line { text: trimmed, start, indent });
        }
        offset += raw.len();
    }
    runs.retain(|run| !run.is_empty());
    runs
}

/// Splits a run of lines into paragraphs (consecutive line ranges).
fn split_run<'r, 'a>(run: &'r [Line<'a>], wrap_width: Option<usize>) -> Vec<&'r [Line<'a>]> {
    let Some(wrap_width) = wrap_width else {
        return run.chunks(1).collect();
    };
    let short = (wrap_width as f64 * SHORT_LINE_SHARE) as usize;
    let base_indent = run.iter().map(|l| l.indent).min().unwrap_or(0);
    // In text set all in capitals, a capitalized line is no headline.
    let mixed_case = run.iter().any(|l| l.text.chars().any(char::is_lowercase));
    let headline = |line: &Line<'_>| mixed_case && is_upper(line.text);
    let mut paragraphs = Vec::new();
    let mut first = 0;
    for i in 1..run.len() {
        let (line, next) = (&run[i - 1], &run[i]);
        let first_word = next.text.split_whitespace().next().map_or(0, |w| w.chars().count());
        // A wrapping program breaks a line only when the next word does not fit on it.
        let next_word_fits = line.width() + 1 + first_word <= wrap_width;
        // A paragraph ends at the end of a sentence (or of a capitalized headline): a short line
        // ending mid-sentence is a wrapped line that lost its start, like a stripped dateline.
        let ends_paragraph = (line.width() < short || next_word_fits)
            && (ends_sentence(line.text) || headline(line));
        let starts_paragraph = next.indent > base_indent || headline(next);
        if ends_paragraph || starts_paragraph {
            paragraphs.push(&run[first..i]);
            first = i;
        }
    }
    paragraphs.push(&run[first..]);
    paragraphs
}

/// Whether a line ends where a sentence or a quotation can end (`<` ends wire-copy paragraphs).
fn ends_sentence(line: &str) -> bool {
    line.ends_with(['.', '!', '?', ':', ';', '"', '\'', '”', '’', '<', ')', ']'])
}

/// Whether a line has letters and all of them are capitals: a wire headline.
fn is_upper(line: &str) -> bool {
    line.chars().any(char::is_alphabetic) && !line.chars().any(char::is_lowercase)
}

fn block_of(lines: &[Line<'_>]) -> TextBlock {
    let text = lines.iter().map(|l| l.text).collect::<Vec<_>>().join(" ");
    let kind = if lines.len() == 1 && looks_like_heading(&text) {
        BlockKind::Heading
    } else {
        BlockKind::Paragraph
    };
    TextBlock { kind, start: lines[0].start, end: lines[lines.len() - 1].end(), text }
}

fn looks_like_heading(line: &str) -> bool {
    let words = line.split_whitespace().count();
    let last = line.chars().next_back().unwrap_or('.');
    // A caption with a photo credit ("... on Thursday. /Reuters/Name") holds a sentence end.
    let holds_sentence_end = [". ", "! ", "? "].iter().any(|end| line.contains(end));
    words <= MAX_HEADING_WORDS
        && !holds_sentence_end
        && !matches!(last, '.' | '!' | '?' | ':' | ';' | ',' | '"' | '”' | '’' | '\'')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str) -> Vec<String> {
        segment(text).into_iter().map(|b| b.text).collect()
    }

    #[test]
    fn blank_lines_separate_paragraphs_and_offsets_point_back() {
        let text = "  One para.\r\n\r\n\n Two para.  \n";
        let blocks = segment(text);
        assert_eq!(texts(text), ["One para.", "Two para."]);
        for b in &blocks {
            assert_eq!(&text[b.start..b.end], b.text);
        }
    }

    #[test]
    fn hard_wrapped_lines_are_rejoined_and_short_lines_end_paragraphs() {
        let text = "The first paragraph of wire copy is wrapped at a narrow\n\
                    column width by the wire service and goes on for a\n\
                    while.\n\
                    The second paragraph starts on the next line and is\n\
                    also wrapped at the same width by the wire service.";
        assert_eq!(texts(text).len(), 2);
        assert!(texts(text)[0].ends_with("for a while."));
    }

    #[test]
    fn indented_lines_start_paragraphs() {
        let text = "Rain fell across the northern growing region for most of the\n\
                    week, easing a long dry spell, traders said today in their\n\
                    weekly report.\n    \
                    Shipments for the week were well above those of the same\n\
                    week a year ago, they said, and prices held firm.";
        let texts = texts(text);
        assert_eq!(texts.len(), 2);
        assert!(texts[1].starts_with("Shipments") && texts[1].ends_with("held firm."));
    }

    #[test]
    fn a_short_first_line_ending_mid_sentence_is_not_a_paragraph() {
        let text = "Talk abroad that the\n\
                    government will cut interest rates this week has pushed the\n\
                    currency down against the dollar and the yen, dealers said.\n\
                    COMPOSER WINS PRIZE<\n\
                    A composer won the prize on Tuesday for the third time in a\n\
                    row, the jury said.";
        let texts = texts(text);
        assert_eq!(texts.len(), 3);
        assert!(texts[0].starts_with("Talk abroad that the government"));
        assert_eq!(texts[1], "COMPOSER WINS PRIZE<");
    }

    #[test]
    fn text_all_in_capitals_still_wraps() {
        let text = "THE MINISTER SAID ON TUESDAY THAT THE GOVERNMENT WOULD NOT\n\
                    RAISE TAXES THIS YEAR, DESPITE A WIDENING BUDGET GAP AND\n\
                    CALLS FROM THE OPPOSITION FOR MORE SPENDING.";
        assert_eq!(texts(text).len(), 1);
    }

    #[test]
    fn one_paragraph_per_long_line() {
        let long = "word ".repeat(30);
        let text = format!("{long}\n{long}\n{long}");
        assert_eq!(texts(&text).len(), 3);
    }

    #[test]
    fn stacked_short_lines_of_unwrapped_text_are_blocks_of_their_own() {
        let long = "word ".repeat(30);
        let text =
            format!("Russia sends troops to Kazakhstan\nUpdated 03:18\nBy A Reporter\n\n{long}");
        assert_eq!(texts(&text).len(), 4);
    }

    #[test]
    fn headings_are_short_unpunctuated_lines() {
        let blocks = segment("Foreign reaction\n\nThe UN said it was concerned.");
        assert_eq!(blocks[0].kind, BlockKind::Heading);
        assert_eq!(blocks[1].kind, BlockKind::Paragraph);
        let caption = segment("Crowds in the square on Thursday. /Reuters/A Photographer");
        assert_eq!(caption[0].kind, BlockKind::Paragraph);
    }
}

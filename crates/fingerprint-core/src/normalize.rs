//! Step 2 of the recipe: NFKC, then full case folding.

use icu_casemap::CaseMapper;
use icu_normalizer::ComposingNormalizerBorrowed;
use std::borrow::Cow;

/// Normalizes text as the recipe does: Unicode NFKC, then full case folding.
///
/// ASCII text takes a fast path with the same result: NFKC leaves it alone and case folding is
/// lowercasing.
pub fn normalize(text: &str) -> Cow<'_, str> {
    if text.is_ascii() {
        if text.bytes().any(|b| b.is_ascii_uppercase()) {
            Cow::Owned(text.to_ascii_lowercase())
        } else {
            Cow::Borrowed(text)
        }
    } else {
        let nfkc = ComposingNormalizerBorrowed::new_nfkc().normalize(text);
        match CaseMapper::new().fold_string(&nfkc) {
            Cow::Borrowed(_) => nfkc,
            Cow::Owned(folded) => Cow::Owned(folded),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::normalize;

    #[test]
    fn folds_case_and_compatibility_forms() {
        assert_eq!(normalize("Hello World"), "hello world");
        assert_eq!(normalize("ＡＢＣ ﬁx Straße ΣΑΣ"), "abc fix strasse σασ");
        assert_eq!(normalize("e\u{301}"), "\u{e9}");
    }
}

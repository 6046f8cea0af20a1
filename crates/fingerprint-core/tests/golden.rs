//! The committed golden vectors (`tests/data/golden/recipe_v1.jsonl`, made by the plain-Python
//! reference in `tests/reference.py`) agree with the core bit for bit.

use fingerprint_core::{tokens, Recipe, Sketcher};
use serde_json::Value;

const GOLDEN: &str =
    concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/data/golden/recipe_v1.jsonl");

fn numbers(case: &Value, key: &str) -> Option<Vec<u64>> {
    let values = case.get(key)?.as_array()?;
    Some(values.iter().map(|v| v.as_u64().expect("unsigned integer")).collect())
}

#[test]
fn golden_vectors_agree_with_the_core() {
    let text = std::fs::read_to_string(GOLDEN).expect("golden vectors are committed");
    let mut checked = 0;
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let case: Value = serde_json::from_str(line).expect("one JSON object per line");
        let name = case["name"].as_str().expect("name");
        let input = case["text"].as_str().expect("text");
        let param = |key: &str| case[key].as_u64().expect(key);
        let recipe =
            Recipe::new(param("shingle_size") as usize, param("num_perm") as usize, param("seed"))
                .expect("valid recipe");
        let expected_tokens: Vec<&str> = case["tokens"]
            .as_array()
            .expect("tokens")
            .iter()
            .map(|t| t.as_str().unwrap())
            .collect();
        assert_eq!(tokens(input), expected_tokens, "tokens of {name}");
        let mut sketcher = Sketcher::new(recipe);
        assert_eq!(
            sketcher.shingle_hashes(input),
            numbers(&case, "shingle_hashes").expect("shingle_hashes"),
            "shingle hashes of {name}"
        );
        if let Some(signature) = numbers(&case, "signature") {
            let actual: Vec<u64> = sketcher.sketch(input).into_iter().map(u64::from).collect();
            assert_eq!(actual, signature, "signature of {name}");
        }
        checked += 1;
    }
    assert!(checked >= 50, "only {checked} golden vectors");
}

fn golden_cases(name: &str) -> Vec<Value> {
    let path = format!("{}/../../tests/data/golden/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(path).expect("golden vectors are committed");
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect()
}

#[test]
fn segmentation_cuts_as_its_golden_vectors() {
    use fingerprint_core::segment::{segment, SEGMENTATION_VERSION};
    let cases = golden_cases("segmentation_v1.jsonl");
    for case in &cases {
        assert_eq!(case["version"].as_u64(), Some(u64::from(SEGMENTATION_VERSION)));
        let text = case["text"].as_str().expect("text");
        // The vectors give offsets in characters, as Python sees them.
        let chars = |byte: usize| text[..byte].chars().count() as u64;
        let cut: Vec<Value> = segment(text)
            .iter()
            .map(|b| serde_json::json!([chars(b.start), chars(b.end), b.kind.as_str(), b.text]))
            .collect();
        assert_eq!(cut, case["blocks"].as_array().expect("blocks").clone(), "{}", case["name"]);
    }
    assert!(cases.len() >= 8);
}

#[test]
fn stored_documents_encode_as_their_golden_vectors() {
    use fingerprint_core::document::DocumentSketch;
    let cases = golden_cases("stored_v1.jsonl");
    for case in &cases {
        let blocks: Vec<&str> = case["blocks"]
            .as_array()
            .expect("blocks")
            .iter()
            .map(|b| b.as_str().unwrap())
            .collect();
        let sketch = DocumentSketch::new(Recipe::default(), &blocks);
        let hex: String = sketch.encode().iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(hex, case["encoding"].as_str().expect("encoding"), "{}", case["name"]);
        let decoded = DocumentSketch::decode(Recipe::default(), &sketch.encode()).expect("decodes");
        assert_eq!(decoded.block_shingles(), sketch.block_shingles());
    }
    assert!(cases.len() >= 8);
}

use proptest::prelude::*;
use rapport::vault::refs::{link_target, wikilinks};

fn old(text: &str) -> Vec<(&str, usize)> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = text[from..].find("[[") {
        let start = from + i;
        let Some(len) = text[start + 2..].find("]]") else {
            break;
        };
        let inner = &text[start + 2..start + 2 + len];
        from = start + 2 + len + 2;
        if inner.contains("[[") || inner.contains('\n') {
            from = start + 2;
            continue;
        }
        if start > 0 && text.as_bytes()[start - 1] == b'!' {
            continue;
        }
        let target = link_target(inner);
        if !target.is_empty() {
            out.push((target, start));
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(20000))]
    #[test]
    fn same(s in "[\\[\\]!a|\n#]{0,30}") {
        prop_assert_eq!(old(&s), wikilinks(&s));
    }
}

use std::time::Instant;
#[test]
fn scratch_big() {
    let text = std::fs::read_to_string("/tmp/hv/v/big.md").unwrap();
    let s = Instant::now();
    let v: Vec<usize> = text
        .bytes()
        .enumerate()
        .filter(|(_, b)| *b == b'\n')
        .map(|(i, _)| i + 1)
        .collect();
    eprintln!("lines iter {:?} {}", s.elapsed(), v.len());
    let s = Instant::now();
    let v: Vec<usize> = text.match_indices('\n').map(|(i, _)| i + 1).collect();
    eprintln!("lines match {:?} {}", s.elapsed(), v.len());
    let s = Instant::now();
    let mut tags = Vec::new();
    rapport::vault::markdown::scan_tags(&text, None, &mut tags);
    eprintln!("scan_tags {:?} {}", s.elapsed(), tags.len());
    let s = Instant::now();
    let w = rapport::vault::refs::wikilinks(&text);
    eprintln!("wikilinks {:?} {}", s.elapsed(), w.len());
    let s = Instant::now();
    let w = text.chars().filter(|c| *c == '`').count();
    eprintln!("chars {:?} {}", s.elapsed(), w);
}

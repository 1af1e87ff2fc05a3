//! Peak heap while decoding a 10,000-item List response: generated types against the hand-written
//! baseline. Each measurement runs in its own child process, since a process's peak cannot be reset.

use std::process::Command;

use benchmarks::{HandListResponse, list_response_json};
use conductorone_personal_client::types::PersonalClientServiceListResponse;

#[global_allocator]
static ALLOCATOR: dhat::Alloc = dhat::Alloc;

const ITEMS: usize = 10_000;

fn main() {
    let arguments: Vec<String> = std::env::args().collect();
    if let Some(position) = arguments.iter().position(|argument| argument == "--measure") {
        let which = arguments.get(position + 1).map(String::as_str).unwrap_or_default();
        measure(which);
        return;
    }
    // `cargo bench` passes `--bench`; any other run is a request to measure both.
    let exe = std::env::current_exe().expect("the bench knows its path");
    println!("peak heap while decoding a {ITEMS}-item List response (body parsed from a Vec<u8> held in memory)");
    println!("{:<24} {:>14} {:>14} {:>10}", "decoder", "body bytes", "peak bytes", "ratio");
    let mut baseline = None;
    for which in ["hand_written_baseline", "generated"] {
        let output = Command::new(&exe).args(["--measure", which]).output().expect("the child runs");
        let line = String::from_utf8_lossy(&output.stdout);
        let mut numbers = line.split_whitespace().filter_map(|word| word.parse::<u64>().ok());
        let (body, peak) = (numbers.next().unwrap_or(0), numbers.next().unwrap_or(0));
        let base = *baseline.get_or_insert(peak);
        println!("{which:<24} {body:>14} {peak:>14} {:>10.3}", peak as f64 / base.max(1) as f64);
    }
}

fn measure(which: &str) {
    let body = list_response_json(ITEMS);
    // Count only what decoding adds on top of the body.
    let profiler = dhat::Profiler::builder().testing().build();
    let before = dhat::HeapStats::get();
    let items = match which {
        "generated" => serde_json::from_slice::<PersonalClientServiceListResponse>(&body)
            .map(|decoded| decoded.list.map_or(0, |list| list.len())),
        _ => serde_json::from_slice::<HandListResponse>(&body).map(|decoded| decoded.list.map_or(0, |list| list.len())),
    }
    .expect("decodes");
    let after = dhat::HeapStats::get();
    assert_eq!(items, ITEMS);
    println!("{} {}", body.len(), after.max_bytes.saturating_sub(before.curr_bytes));
    drop(profiler);
}

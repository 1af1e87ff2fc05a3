//! Decoding List responses and encoding Create requests: generated types against hand-written serde structs.

use benchmarks::{HandListResponse, create_requests, list_response_json};
use conductorone_personal_client::types::PersonalClientServiceListResponse;
use divan::Bencher;
use divan::counter::BytesCount;

fn main() {
    divan::main();
}

const SIZES: [usize; 3] = [1, 100, 10_000];

/// Runs first (divan orders by name) so that neither side of a comparison pays for a cold machine:
/// without it, whichever decoder ran first measured up to 1.5× slower on this machine.
#[divan::bench(min_time = 2)]
fn a_warm_up(bencher: Bencher<'_, '_>) {
    let body = list_response_json(100);
    bencher.bench(|| (decode_generated(&body), decode_baseline(&body)));
}

/// Decoders and encoders under test, as plain functions so both orders share them.
fn decode_generated(body: &[u8]) -> PersonalClientServiceListResponse {
    serde_json::from_slice(body).expect("decodes")
}

fn decode_baseline(body: &[u8]) -> HandListResponse {
    serde_json::from_slice(body).expect("decodes")
}

// On this machine the first of two benchmarks in a group measured up to 25% slower than the
// same code run second, whichever it was. Each comparison therefore runs in both orders, and
// BENCHMARKS.md compares each side with the other in the same position.
//
// Many iterations per sample: with one, a sample of the one-item case mostly measures a cold cache.
#[divan::bench_group(sample_count = 100, sample_size = 50, max_time = 10)]
mod decode_list_baseline_first {
    use super::*;

    #[divan::bench(args = SIZES)]
    fn a_baseline_hand_written(bencher: Bencher<'_, '_>, count: usize) {
        let body = list_response_json(count);
        bencher.counter(BytesCount::of_slice(&body)).bench(|| decode_baseline(divan::black_box(&body)));
    }

    #[divan::bench(args = SIZES)]
    fn b_generated(bencher: Bencher<'_, '_>, count: usize) {
        let body = list_response_json(count);
        bencher.counter(BytesCount::of_slice(&body)).bench(|| decode_generated(divan::black_box(&body)));
    }
}

#[divan::bench_group(sample_count = 100, sample_size = 50, max_time = 10)]
mod decode_list_generated_first {
    use super::*;

    #[divan::bench(args = SIZES)]
    fn a_generated(bencher: Bencher<'_, '_>, count: usize) {
        let body = list_response_json(count);
        bencher.counter(BytesCount::of_slice(&body)).bench(|| decode_generated(divan::black_box(&body)));
    }

    #[divan::bench(args = SIZES)]
    fn b_baseline_hand_written(bencher: Bencher<'_, '_>, count: usize) {
        let body = list_response_json(count);
        bencher.counter(BytesCount::of_slice(&body)).bench(|| decode_baseline(divan::black_box(&body)));
    }
}

#[divan::bench_group(sample_count = 100, sample_size = 1000)]
mod encode_create_baseline_first {
    use super::*;

    #[divan::bench]
    fn a_baseline_hand_written(bencher: Bencher<'_, '_>) {
        let (_, request) = create_requests();
        bencher.bench(|| serde_json::to_vec(divan::black_box(&request)).expect("encodes"));
    }

    #[divan::bench]
    fn b_generated(bencher: Bencher<'_, '_>) {
        let (request, _) = create_requests();
        bencher.bench(|| serde_json::to_vec(divan::black_box(&request)).expect("encodes"));
    }
}

#[divan::bench_group(sample_count = 100, sample_size = 1000)]
mod encode_create_generated_first {
    use super::*;

    #[divan::bench]
    fn a_generated(bencher: Bencher<'_, '_>) {
        let (request, _) = create_requests();
        bencher.bench(|| serde_json::to_vec(divan::black_box(&request)).expect("encodes"));
    }

    #[divan::bench]
    fn b_baseline_hand_written(bencher: Bencher<'_, '_>) {
        let (_, request) = create_requests();
        bencher.bench(|| serde_json::to_vec(divan::black_box(&request)).expect("encodes"));
    }
}

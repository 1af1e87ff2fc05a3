//! Decoding List responses and encoding Create requests: generated types against hand-written serde structs.

use benchmarks::{HandListResponse, create_requests, list_response_json};
use conductorone_personal_client::types::PersonalClientServiceListResponse;
use divan::Bencher;
use divan::counter::BytesCount;

fn main() {
    divan::main();
}

const SIZES: [usize; 3] = [1, 100, 10_000];

// Many iterations per sample: with one, a sample of the one-item case mostly measures a cold cache.
#[divan::bench_group(sample_count = 100, sample_size = 50, max_time = 10)]
mod decode_list {
    use super::*;

    #[divan::bench(args = SIZES)]
    fn generated(bencher: Bencher<'_, '_>, count: usize) {
        let body = list_response_json(count);
        bencher.counter(BytesCount::of_slice(&body)).bench(|| {
            let decoded: PersonalClientServiceListResponse = serde_json::from_slice(divan::black_box(&body)).expect("decodes");
            decoded
        });
    }

    #[divan::bench(args = SIZES)]
    fn baseline_hand_written(bencher: Bencher<'_, '_>, count: usize) {
        let body = list_response_json(count);
        bencher.counter(BytesCount::of_slice(&body)).bench(|| {
            let decoded: HandListResponse = serde_json::from_slice(divan::black_box(&body)).expect("decodes");
            decoded
        });
    }
}

#[divan::bench_group(sample_count = 100, sample_size = 1000)]
mod encode_create {
    use super::*;

    #[divan::bench]
    fn generated(bencher: Bencher<'_, '_>) {
        let (request, _) = create_requests();
        bencher.bench(|| serde_json::to_vec(divan::black_box(&request)).expect("encodes"));
    }

    #[divan::bench]
    fn baseline_hand_written(bencher: Bencher<'_, '_>) {
        let (_, request) = create_requests();
        bencher.bench(|| serde_json::to_vec(divan::black_box(&request)).expect("encodes"));
    }
}

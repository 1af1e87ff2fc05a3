//! One `get` round trip on loopback: through the SDK against raw reqwest + serde_json, same server.

use std::sync::OnceLock;

use benchmarks::{personal_client_json, serve_fixed};
use conductorone_personal_client::types::PersonalClientServiceGetResponse;
use conductorone_personal_client::{Client, RetryPolicy};
use divan::Bencher;

fn main() {
    divan::main();
}

struct Setup {
    runtime: tokio::runtime::Runtime,
    sdk: Client,
    sdk_without_retries: Client,
    raw: reqwest::Client,
    raw_with_timeouts: reqwest::Client,
    url: String,
}

fn setup() -> &'static Setup {
    static SETUP: OnceLock<Setup> = OnceLock::new();
    SETUP.get_or_init(|| {
        // One thread by default: client and server share it, so a round trip measures their CPU
        // work rather than cross-thread wake-ups, which dominated (and blurred) the numbers on two
        // cores. `ROUND_TRIP_RUNTIME=multi_thread` measures with tokio's multi-thread runtime.
        let multi_thread = std::env::var("ROUND_TRIP_RUNTIME").is_ok_and(|value| value == "multi_thread");
        let mut builder = if multi_thread {
            tokio::runtime::Builder::new_multi_thread()
        } else {
            tokio::runtime::Builder::new_current_thread()
        };
        let runtime = builder.enable_all().build().expect("a runtime");
        let body = serde_json::to_vec(&serde_json::json!({ "client": personal_client_json(1) })).expect("a body");
        let address = runtime.block_on(serve_fixed(body)).expect("the server starts");
        let base = format!("http://{address}");
        // The default policy: retries are on for get, and cost nothing when the first attempt succeeds.
        let sdk = Client::builder()
            .base_url(&base)
            .access_token("bench-token")
            .retry_policy(RetryPolicy::default())
            .build()
            .expect("the SDK client");
        let sdk_without_retries = Client::builder()
            .base_url(&base)
            .access_token("bench-token")
            .retry_policy(RetryPolicy::disabled())
            .build()
            .expect("the SDK client");
        let _ = rustls::crypto::ring::default_provider().install_default();
        let raw = reqwest::Client::builder().build().expect("a reqwest client");
        // The same timeouts the SDK's own client sets, to show what they cost on their own.
        let raw_with_timeouts = reqwest::Client::builder()
            .timeout(conductorone_personal_client::DEFAULT_TIMEOUT)
            .connect_timeout(conductorone_personal_client::DEFAULT_CONNECT_TIMEOUT)
            .build()
            .expect("a reqwest client");
        Setup {
            runtime,
            sdk,
            sdk_without_retries,
            raw,
            raw_with_timeouts,
            url: format!("{base}/api/v1/iam/personal_clients/pc-1"),
        }
    })
}

async fn raw_get(setup: &Setup) -> PersonalClientServiceGetResponse {
    raw_get_with(&setup.raw, &setup.url).await
}

async fn raw_get_with(client: &reqwest::Client, url: &str) -> PersonalClientServiceGetResponse {
    let response = client
        .get(url)
        .header(reqwest::header::AUTHORIZATION, "Bearer bench-token")
        .header(reqwest::header::ACCEPT, "application/json")
        .send()
        .await
        .expect("the server answers");
    let bytes = response.bytes().await.expect("a body");
    serde_json::from_slice(&bytes).expect("decodes")
}

/// Runs first (divan orders by name) so that neither side of a comparison pays for a cold machine.
#[divan::bench(min_time = 2)]
fn a_warm_up(bencher: Bencher<'_, '_>) {
    let setup = setup();
    bencher.bench(|| {
        let _ = setup.runtime.block_on(setup.sdk.get("pc-1"));
        setup.runtime.block_on(raw_get(setup))
    });
}

/// The bodies of the benchmarks; each comparison below runs them in both orders.
fn sdk_once(bencher: Bencher<'_, '_>) {
    let setup = setup();
    bencher.bench(|| setup.runtime.block_on(setup.sdk.get("pc-1")).expect("succeeds"));
}

fn raw_once(bencher: Bencher<'_, '_>) {
    let setup = setup();
    bencher.bench(|| setup.runtime.block_on(raw_get(setup)));
}

const CONCURRENCY: usize = 64;

fn sdk_concurrent(bencher: Bencher<'_, '_>) {
    let setup = setup();
    bencher
        .counter(divan::counter::ItemsCount::new(CONCURRENCY))
        .bench(|| setup.runtime.block_on(futures::future::join_all((0..CONCURRENCY).map(|_| setup.sdk.get("pc-1")))));
}

fn raw_concurrent(bencher: Bencher<'_, '_>) {
    let setup = setup();
    bencher
        .counter(divan::counter::ItemsCount::new(CONCURRENCY))
        .bench(|| setup.runtime.block_on(futures::future::join_all((0..CONCURRENCY).map(|_| raw_get(setup)))));
}

#[divan::bench_group(sample_count = 500, sample_size = 20)]
mod sequential_baseline_first {
    use super::*;

    #[divan::bench]
    fn a_raw_reqwest_baseline(bencher: Bencher<'_, '_>) {
        raw_once(bencher);
    }

    #[divan::bench]
    fn b_sdk(bencher: Bencher<'_, '_>) {
        sdk_once(bencher);
    }

    #[divan::bench]
    fn c_sdk_without_retries(bencher: Bencher<'_, '_>) {
        let setup = setup();
        bencher.bench(|| setup.runtime.block_on(setup.sdk_without_retries.get("pc-1")).expect("succeeds"));
    }

    #[divan::bench]
    fn d_sdk_generated_method(bencher: Bencher<'_, '_>) {
        let setup = setup();
        bencher.bench(|| setup.runtime.block_on(setup.sdk.generated().get("pc-1")).expect("succeeds"));
    }

    #[divan::bench]
    fn e_raw_reqwest_with_the_sdk_timeouts(bencher: Bencher<'_, '_>) {
        let setup = setup();
        bencher.bench(|| setup.runtime.block_on(raw_get_with(&setup.raw_with_timeouts, &setup.url)));
    }
}

/// The sequential comparison again with the SDK first, to cancel the position effect.
#[divan::bench_group(sample_count = 500, sample_size = 20)]
mod sequential_sdk_first {
    use super::*;

    #[divan::bench]
    fn a_sdk(bencher: Bencher<'_, '_>) {
        sdk_once(bencher);
    }

    #[divan::bench]
    fn b_raw_reqwest_baseline(bencher: Bencher<'_, '_>) {
        raw_once(bencher);
    }
}

#[divan::bench_group(sample_count = 200, sample_size = 2)]
mod concurrent_64_baseline_first {
    use super::*;

    #[divan::bench]
    fn a_raw_reqwest_baseline(bencher: Bencher<'_, '_>) {
        raw_concurrent(bencher);
    }

    #[divan::bench]
    fn b_sdk(bencher: Bencher<'_, '_>) {
        sdk_concurrent(bencher);
    }
}

/// The concurrent comparison again with the SDK first.
#[divan::bench_group(sample_count = 200, sample_size = 2)]
mod concurrent_64_sdk_first {
    use super::*;

    #[divan::bench]
    fn a_sdk(bencher: Bencher<'_, '_>) {
        sdk_concurrent(bencher);
    }

    #[divan::bench]
    fn b_raw_reqwest_baseline(bencher: Bencher<'_, '_>) {
        raw_concurrent(bencher);
    }
}

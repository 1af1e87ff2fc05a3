//! Generation time: codegen on the checked-in spec, on synthetic specs that repeat its six
//! operations under new names, and on the whole published document. Throughput is reported per
//! operation, so a flat curve shows as a constant items/s.

use benchmarks::synthetic_spec;
use divan::Bencher;
use divan::counter::ItemsCount;

/// The allocator `cargo xtask` runs the generator with.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    divan::main();
}

const SPEC: &[u8] = include_bytes!("../../spec/personal-client.yaml");

/// Copies of the six operations: 6, 12, 102 and 1,002 operations.
const COPIES: [usize; 4] = [1, 2, 17, 167];

#[divan::bench(args = COPIES, sample_count = 5, sample_size = 1)]
fn generate(bencher: Bencher<'_, '_>, copies: usize) {
    let spec = if copies == 1 { SPEC.to_vec() } else { synthetic_spec(SPEC, copies).expect("a synthetic spec") };
    bencher.counter(ItemsCount::new(6 * copies)).bench(|| {
        codegen::generate("spec/personal-client.yaml", divan::black_box(&spec), "conductorone_personal_client")
            .expect("generates")
    });
}

const PUBLISHED: &[u8] = include_bytes!("../../spec/upstream/openapi.yaml");

/// The whole published document (638 operations), as `cargo xtask generate --whole` generates it.
#[divan::bench(sample_count = 3, sample_size = 1)]
fn whole_published_document(bencher: Bencher<'_, '_>) {
    bencher.counter(ItemsCount::new(638_usize)).bench(|| {
        codegen::generate_standalone("spec/upstream/openapi.yaml", divan::black_box(PUBLISHED)).expect("generates")
    });
}

/// Links of an alias chain (`Alias0: {$ref: Alias1}`, …): 1,000, 5,000 and 20,000 schemas.
const CHAIN_LENGTHS: [usize; 3] = [1_000, 5_000, 20_000];

/// A chain of schema aliases, generated as `cargo xtask generate --whole` would; throughput per
/// link, so a flat items/s shows that cost grows linearly with the chain.
#[divan::bench(args = CHAIN_LENGTHS, sample_count = 3, sample_size = 1)]
fn alias_chain(bencher: Bencher<'_, '_>, length: usize) {
    let spec = benchmarks::alias_chain_spec(length);
    bencher
        .counter(ItemsCount::new(length))
        .bench(|| codegen::generate_standalone("alias-chain.json", divan::black_box(&spec)).expect("generates"));
}

/// Sizes along each growth axis, ×10 apart.
const GROWTH: [usize; 3] = [100, 1_000, 10_000];

/// One synthetic spec per axis and size ([`benchmarks::Axis`]), generated as `cargo xtask generate
/// --whole` would; throughput per item, so a flat items/s along an axis shows linear growth.
#[divan::bench(args = GROWTH, sample_count = 3, sample_size = 1)]
fn growth_properties(bencher: Bencher<'_, '_>, size: usize) {
    grow(bencher, benchmarks::Axis::Properties, size);
}

#[divan::bench(args = GROWTH, sample_count = 3, sample_size = 1)]
fn growth_schemas(bencher: Bencher<'_, '_>, size: usize) {
    grow(bencher, benchmarks::Axis::Schemas, size);
}

#[divan::bench(args = GROWTH, sample_count = 3, sample_size = 1)]
fn growth_operations(bencher: Bencher<'_, '_>, size: usize) {
    grow(bencher, benchmarks::Axis::Operations, size);
}

fn grow(bencher: Bencher<'_, '_>, axis: benchmarks::Axis, size: usize) {
    let spec = axis.spec(size);
    bencher
        .counter(ItemsCount::new(size))
        .bench(|| codegen::generate_standalone("growth.json", divan::black_box(&spec)).expect("generates"));
}

//! The threads the generator shares its work over: a rayon pool whose stacks are as deep as any
//! reading of a document needs (serde, typify and syn recurse as deep as a document nests).

use std::sync::{OnceLock, mpsc};

/// The stack of every thread of the pool: more than a main thread's usual 8 MiB, so that whatever
/// the caller could read, a worker can. Only what is used is committed.
const STACK_SIZE: usize = 32 << 20;

/// Runs `work` on the pool (or here, when the system refuses threads); rayon's `join` and
/// parallel iterators inside it share the work over the pool's threads.
pub(crate) fn install<R: Send>(work: impl FnOnce() -> R + Send) -> R {
    match pool() {
        Some(pool) => pool.install(work),
        None => work(),
    }
}

/// Runs `work` on the pool and returns what it gives `answer`, without waiting for the rest of
/// `work` (which frees what it built); `None` if `work` ended without answering.
pub(crate) fn answer_early<R: Send + 'static>(work: impl FnOnce(&dyn Fn(R)) + Send + 'static) -> Option<R> {
    let (sender, receiver) = mpsc::channel();
    let run = move || {
        work(&|value| {
            let _ = sender.send(value);
        })
    };
    match pool() {
        Some(pool) => pool.spawn(run),
        None => run(),
    }
    receiver.recv().ok()
}

/// The pool, made on first use. A panic in work handed to it ends that work only (its caller
/// then gets no answer), never the process.
fn pool() -> Option<&'static rayon::ThreadPool> {
    static POOL: OnceLock<Option<rayon::ThreadPool>> = OnceLock::new();
    POOL.get_or_init(|| {
        rayon::ThreadPoolBuilder::new()
            .stack_size(STACK_SIZE)
            .thread_name(|index| format!("codegen-{index}"))
            .panic_handler(|_| {})
            .build()
            .ok()
    })
    .as_ref()
}

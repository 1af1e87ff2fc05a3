//! Work on a large document split over two threads; a small one stays on the calling thread,
//! where a thread would cost more than it saves (the fuzzer and the tests call the generator
//! thousands of times on small specs).

use serde_json::Value;

/// A document with at least this many paths and component schemas together is large.
pub const LARGE: usize = 200;

/// A spec file of at least this many bytes is large.
pub const LARGE_INPUT: usize = 256 * 1024;

/// Whether `document` (an OpenAPI document as JSON) is large enough to split work over threads.
pub fn is_large(document: &Value) -> bool {
    let count = |pointer: &str| document.pointer(pointer).and_then(Value::as_object).map_or(0, serde_json::Map::len);
    count("/paths") + count("/components/schemas") >= LARGE
}

/// The stack of every thread this crate starts: more than a main thread's usual 8 MiB, so that
/// whatever the calling thread can read (serde, typify and syn recurse as deep as a document
/// nests) a helper thread can too. Only what is used is committed.
pub const STACK_SIZE: usize = 32 << 20;

/// Starts `work` on a thread of its own, detached, with [`STACK_SIZE`]; `None` if the system
/// refuses a thread (the caller then does the work itself).
pub fn spawn<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Option<std::thread::JoinHandle<T>> {
    std::thread::Builder::new().stack_size(STACK_SIZE).spawn(work).ok()
}

/// Runs `first` and `second`, on two threads when `split` is true and the machine has two cores
/// or more, else one after the other. A panic in either is passed on.
pub fn both<A, B>(split: bool, first: impl FnOnce() -> A + Send, second: impl FnOnce() -> B) -> (A, B)
where
    A: Send,
{
    if !split || cores() < 2 {
        let first = first();
        return (first, second());
    }
    // The task waits in a slot, so that it can still run here if the system refuses a thread.
    let slot = std::sync::Mutex::new(Some(first));
    std::thread::scope(|scope| {
        let run = || slot.lock().unwrap_or_else(std::sync::PoisonError::into_inner).take().map(|first| first());
        let helper = std::thread::Builder::new().stack_size(STACK_SIZE).spawn_scoped(scope, run).ok();
        let second = second();
        let first = match helper.map(std::thread::ScopedJoinHandle::join) {
            Some(Err(panic)) => std::panic::resume_unwind(panic),
            Some(Ok(done)) => done,
            None => None,
        }
        .or_else(run);
        let Some(first) = first else { unreachable!("the first task runs on the helper thread or on this one") };
        (first, second)
    })
}

/// `work` applied to every item, on two threads when `split` is true and the machine has two
/// cores or more, else on this one; the threads take the items in turn, one at a time, so that
/// neither waits while the other has much left. The results come in the items' order.
pub fn map<T, R>(split: bool, items: &[T], work: impl Fn(&T) -> R + Sync) -> Vec<R>
where
    T: Sync,
    R: Send,
{
    if !split || cores() < 2 || items.len() < 2 {
        return items.iter().map(work).collect();
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    let take = || {
        let mut done = Vec::new();
        loop {
            let index = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let Some(item) = items.get(index) else { break };
            done.push((index, work(item)));
        }
        done
    };
    let (mut first, second) = both(true, take, take);
    first.extend(second);
    first.sort_by_key(|(index, _)| *index);
    first.into_iter().map(|(_, result)| result).collect()
}

/// The cores this process may run on.
pub fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, std::num::NonZero::get)
}

#[cfg(test)]
mod tests {
    use super::{both, is_large};

    #[test]
    fn both_runs_both_in_either_mode() {
        for split in [false, true] {
            let (first, second) = both(split, || 1 + 1, || "two");
            assert_eq!((first, second), (2, "two"));
        }
    }

    #[test]
    fn map_keeps_the_order_in_either_mode() {
        let items: Vec<u64> = (0..1000).collect();
        for split in [false, true] {
            let squares = super::map(split, &items, |item| item * item);
            assert_eq!(squares, items.iter().map(|item| item * item).collect::<Vec<_>>());
        }
    }

    #[test]
    fn largeness_counts_paths_and_schemas() {
        let schemas: serde_json::Map<String, serde_json::Value> =
            (0..150).map(|index| (format!("S{index}"), serde_json::json!({}))).collect();
        let paths: serde_json::Map<String, serde_json::Value> =
            (0..50).map(|index| (format!("/p{index}"), serde_json::json!({}))).collect();
        assert!(!is_large(&serde_json::json!({"components": {"schemas": schemas.clone()}})));
        assert!(is_large(&serde_json::json!({"paths": paths, "components": {"schemas": schemas}})));
        assert!(!is_large(&serde_json::json!("not a document")));
    }
}

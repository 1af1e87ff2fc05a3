//! When and how long to wait before sending a request again.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use reqwest::header::{HeaderMap, RETRY_AFTER};

/// Waits for a while and tells the time; replaceable so that tests can observe delays and
/// deadlines without sleeping.
pub trait Sleeper: Send + Sync + fmt::Debug {
    /// A future that completes after `duration`.
    fn sleep(&self, duration: Duration) -> Pin<Box<dyn Future<Output = ()> + Send>>;

    /// The current time, against which the call timeout and the token fetch backoff are measured.
    ///
    /// The default is the monotonic clock; a test sleeper that advances a clock of its own
    /// overrides both methods.
    fn now(&self) -> Instant {
        Instant::now()
    }
}

/// Sleeps on the tokio timer.
#[derive(Debug, Clone, Copy, Default)]
pub struct TokioSleeper;

impl Sleeper for TokioSleeper {
    fn sleep(&self, duration: Duration) -> Pin<Box<dyn Future<Output = ()> + Send>> {
        Box::pin(tokio::time::sleep(duration))
    }
}

/// How failed requests are retried.
///
/// A request is retried when the connection fails or times out, or when the server answers
/// 429, 502, 503 or 504. The wait grows exponentially from [`RetryPolicy::initial_backoff`],
/// capped at [`RetryPolicy::max_backoff`], with full jitter; a `Retry-After` header, in
/// seconds or as an HTTP date, is honoured when it asks for no more than
/// [`RetryPolicy::max_retry_after`] (a longer wait returns the answer instead).
///
/// By default only the operations that read are retried, three times: those whose HTTP method
/// is safe (`GET`), those that ask for a page of results (search), and those the spec's
/// overlay marks with `x-rust-read-only` ([`crate::Operation::is_read_only`]). Operations that
/// change state (create, update, delete) are retried only after [`RetryPolicy::retry_writes`].
#[derive(Clone)]
pub struct RetryPolicy {
    max_retries: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    max_retry_after: Duration,
    retry_writes: bool,
    sleeper: Arc<dyn Sleeper>,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_retries: 3,
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(10),
            max_retry_after: Duration::from_secs(60),
            retry_writes: false,
            sleeper: Arc::new(TokioSleeper),
        }
    }
}

impl fmt::Debug for RetryPolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RetryPolicy")
            .field("max_retries", &self.max_retries)
            .field("initial_backoff", &self.initial_backoff)
            .field("max_backoff", &self.max_backoff)
            .field("max_retry_after", &self.max_retry_after)
            .field("retry_writes", &self.retry_writes)
            .finish_non_exhaustive()
    }
}

impl RetryPolicy {
    /// A policy that never retries.
    pub fn disabled() -> Self {
        Self { max_retries: 0, ..Self::default() }
    }

    /// How many times a request may be sent again after the first attempt (default 3).
    pub fn max_retries(mut self, max_retries: u32) -> Self {
        self.max_retries = max_retries;
        self
    }

    /// The wait before the first retry; each later wait doubles it (default 200 ms).
    pub fn initial_backoff(mut self, initial_backoff: Duration) -> Self {
        self.initial_backoff = initial_backoff;
        self
    }

    /// The longest computed wait (default 10 s).
    pub fn max_backoff(mut self, max_backoff: Duration) -> Self {
        self.max_backoff = max_backoff;
        self
    }

    /// The longest `Retry-After` that is waited for (default 60 s).
    pub fn max_retry_after(mut self, max_retry_after: Duration) -> Self {
        self.max_retry_after = max_retry_after;
        self
    }

    /// Also retry the operations that change state, such as create, update and delete (default
    /// off: a retried write may apply twice).
    pub fn retry_writes(mut self, retry_writes: bool) -> Self {
        self.retry_writes = retry_writes;
        self
    }

    /// Replaces how the policy waits; for tests that must not sleep.
    pub fn sleeper(mut self, sleeper: Arc<dyn Sleeper>) -> Self {
        self.sleeper = sleeper;
        self
    }

    /// How many retries an operation may have: only one that reads
    /// ([`crate::Operation::is_read_only`]) is retried, unless writes are too.
    pub(crate) fn retries_for(&self, read_only: bool) -> u32 {
        if self.retry_writes || read_only { self.max_retries } else { 0 }
    }

    pub(crate) async fn wait(&self, duration: Duration) {
        self.sleeper.sleep(duration).await;
    }

    /// The time on the policy's clock.
    pub(crate) fn now(&self) -> Instant {
        self.sleeper.now()
    }

    /// The sleeper, whose clock the token cache shares.
    pub(crate) fn sleeper_handle(&self) -> Arc<dyn Sleeper> {
        Arc::clone(&self.sleeper)
    }

    /// The wait before retry number `retry` (0-based), or `None` when the answer should stand.
    pub(crate) fn delay(&self, retry: u32, retry_after: Option<Duration>) -> Option<Duration> {
        if let Some(asked) = retry_after {
            return (asked <= self.max_retry_after).then_some(asked);
        }
        let exponential = self.initial_backoff.saturating_mul(2_u32.saturating_pow(retry.min(30)));
        let capped = exponential.min(self.max_backoff);
        Some(Duration::try_from_secs_f64(capped.as_secs_f64() * jitter_fraction()).unwrap_or(capped))
    }
}

/// Whether an answer with this status is worth retrying.
pub(crate) fn is_retryable_status(status: StatusCode) -> bool {
    matches!(status.as_u16(), 429 | 502 | 503 | 504)
}

/// Whether a transport error is worth retrying.
pub(crate) fn is_retryable_error(error: &reqwest::Error) -> bool {
    error.is_connect() || error.is_timeout()
}

/// The `Retry-After` header as a duration: delay-seconds or an HTTP date.
pub(crate) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    let wait = date.with_timezone(&chrono::Utc) - chrono::Utc::now();
    Some(wait.to_std().unwrap_or(Duration::ZERO))
}

/// A uniformly random fraction in [0, 1), from the operating system's generator.
fn jitter_fraction() -> f64 {
    use ring::rand::SecureRandom as _;
    let mut bytes = [0_u8; 4];
    if ring::rand::SystemRandom::new().fill(&mut bytes).is_err() {
        return 0.5;
    }
    f64::from(u32::from_le_bytes(bytes)) / (f64::from(u32::MAX) + 1.0)
}

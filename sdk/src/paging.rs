//! Pages of a listing, and a stream that follows the next page's token across them.

use std::collections::HashSet;
use std::future::Future;

use futures::Stream;

use crate::error::Error;
use crate::operations::Operation;

/// One page of a listing: its items and the token of the next page, if any.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Page<T> {
    /// The items on this page.
    pub items: Vec<T>,
    /// The token that reads the next page; `None` on the last page.
    pub next_page_token: Option<String>,
}

impl<T> Default for Page<T> {
    fn default() -> Self {
        Self { items: Vec::new(), next_page_token: None }
    }
}

impl<T> Page<T> {
    /// A page; an empty token means there is no next page.
    pub fn new(items: Vec<T>, next_page_token: Option<String>) -> Self {
        Self { items, next_page_token: next_page_token.filter(|token| !token.is_empty()) }
    }
}

/// Reads pages with `fetch` (given each page's token) and yields their items in order; a token
/// the server already returned ends the stream with [`Error::RepeatedPageToken`].
pub(crate) fn stream<T, F, Fut>(
    operation: Operation,
    first_token: Option<String>,
    fetch: F,
) -> impl Stream<Item = Result<T, Error>> + Send + 'static
where
    T: Send + 'static,
    F: Fn(Option<String>) -> Fut + Send + 'static,
    Fut: Future<Output = Result<Page<T>, Error>> + Send + 'static,
{
    struct State<F, T> {
        fetch: F,
        next: Option<Option<String>>,
        seen: HashSet<String>,
        buffered: std::vec::IntoIter<T>,
    }
    let state = State { fetch, next: Some(first_token), seen: HashSet::new(), buffered: Vec::new().into_iter() };
    futures::stream::try_unfold(state, move |mut state| async move {
        loop {
            if let Some(item) = state.buffered.next() {
                return Ok(Some((item, state)));
            }
            let Some(token) = state.next.take() else { return Ok(None) };
            let page = (state.fetch)(token).await?;
            if let Some(next) = &page.next_page_token {
                if !state.seen.insert(next.clone()) {
                    return Err(Error::RepeatedPageToken { operation: operation.name(), token: next.clone() });
                }
                state.next = Some(Some(next.clone()));
            }
            state.buffered = page.items.into_iter();
        }
    })
}

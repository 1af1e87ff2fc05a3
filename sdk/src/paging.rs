//! Pages of personal clients, and a stream that follows `nextPageToken` across them.

use std::collections::HashSet;
use std::future::Future;

use futures::Stream;

use crate::error::Error;
use crate::generated::types::PersonalClient;

/// One page of a listing: its personal clients and the token of the next page, if any.
#[derive(Debug, Clone, Default)]
pub struct Page {
    /// The personal clients on this page.
    pub items: Vec<PersonalClient>,
    /// The token that reads the next page; `None` on the last page.
    pub next_page_token: Option<String>,
}

impl Page {
    /// A page; an empty token means there is no next page.
    pub fn new(items: Vec<PersonalClient>, next_page_token: Option<String>) -> Self {
        Self { items, next_page_token: next_page_token.filter(|token| !token.is_empty()) }
    }
}

/// Reads pages with `fetch` (given each page's token) and yields their items in order.
pub(crate) fn stream<F, Fut>(
    operation: &'static str,
    first_token: Option<String>,
    fetch: F,
) -> impl Stream<Item = Result<PersonalClient, Error>> + Send + 'static
where
    F: Fn(Option<String>) -> Fut + Send + 'static,
    Fut: Future<Output = Result<Page, Error>> + Send + 'static,
{
    struct State<F> {
        fetch: F,
        next: Option<Option<String>>,
        seen: HashSet<String>,
        buffered: std::vec::IntoIter<PersonalClient>,
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
                    return Err(Error::RepeatedPageToken { operation, token: next.clone() });
                }
                state.next = Some(Some(next.clone()));
            }
            state.buffered = page.items.into_iter();
        }
    })
}

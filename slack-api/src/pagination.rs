//! Cursor pagination as streams: pages, and the items in them.

use std::collections::HashSet;

use futures_util::stream::{self, Stream, StreamExt, TryStreamExt};

use crate::error::Error;
use crate::{Page, Paginated};
use crate::Client;

struct State<M> {
    client: Client,
    next: Option<M>,
    /// Every cursor this stream has followed: a server that hands one out again would lead the
    /// stream round in a circle.
    seen: HashSet<String>,
    pages: u64,
}

impl Client {
    /// Every page of a cursor-paginated method, fetched one at a time as the stream is polled,
    /// following `response_metadata.next_cursor` until it is empty. Memory stays constant: only
    /// the current page is held. Each page goes through [`call`](Self::call), so retries and the
    /// rate limiter apply. The stream ends after the first error, and with
    /// [`Error::CursorRepeated`] if the server hands out a cursor the stream has already
    /// followed (which would otherwise never end).
    ///
    /// ```no_run
    /// # async fn run(client: slack_api::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// use slack_api::stream::TryStreamExt;
    /// use slack_api::users::UsersListRequest;
    ///
    /// let mut pages = std::pin::pin!(client.pages(UsersListRequest::new().limit(200)));
    /// while let Some(page) = pages.try_next().await? {
    ///     println!("{} members", page.members.as_ref().map_or(0, Vec::len));
    /// }
    /// # Ok(()) }
    /// ```
    pub fn pages<M>(&self, request: M) -> impl Stream<Item = Result<M::Response, Error<M::Error>>> + Send + 'static
    where
        M: Paginated + Send + Sync + 'static,
        M::Response: Page + Send,
    {
        let state = State { client: self.clone(), next: Some(request), seen: HashSet::new(), pages: 0 };
        stream::try_unfold(state, |mut st| async move {
            let Some(mut request) = st.next.take() else { return Ok(None) };
            let page = st.client.call(&request).await?;
            st.pages += 1;
            if let Some(cursor) = page.next_cursor() {
                if !st.seen.insert(cursor.to_owned()) {
                    return Err(Error::CursorRepeated { cursor: cursor.to_owned(), pages: st.pages });
                }
                request.set_cursor(cursor.to_owned());
                st.next = Some(request);
            }
            Ok(Some((page, st)))
        })
    }

    /// Every item of a cursor-paginated list (`members` of `users.list`, `channels` of
    /// `conversations.list`, …), page after page: typed (a [`User`](crate::objects::User), …)
    /// where the spec knows the list's type. Needs the method's list field to be known
    /// ([`Paginated::LIST_FIELD`]); for the few methods where it is not, the stream yields one
    /// [`Error::InvalidRequest`] — use [`pages`](Self::pages) there.
    pub fn items<M>(
        &self,
        request: M,
    ) -> impl Stream<Item = Result<<M::Response as Page>::Item, Error<M::Error>>> + Send + 'static
    where
        M: Paginated + Send + Sync + 'static,
        M::Response: Page + Send,
        <M::Response as Page>::Item: Send,
    {
        match M::LIST_FIELD {
            Some(field) => self
                .pages(request)
                .map_ok(move |mut page| stream::iter(page.take_items(field).into_iter().map(Ok)))
                .try_flatten()
                .left_stream(),
            None => stream::once(async {
                Err(Error::InvalidRequest(format!(
                    "the spec does not say which field of `{}` holds the list; use Client::pages",
                    M::INFO.name
                )))
            })
            .right_stream(),
        }
    }
}

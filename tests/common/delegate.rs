//! Test doubles wrap a real store and change one or two of its answers; `delegate!` writes the
//! rest, each read passed straight to the wrapped store, so that a new port method is added here
//! once instead of in every double.

/// Inside `impl AccountStore for Double`: the named reads, each passed to `self.$inner`
/// (a field name or a tuple index). Not every test crate has doubles, hence the `allow`s.
#[allow(unused_macros)]
macro_rules! delegate {
    ($inner:tt; $($method:ident),* $(,)?) => {
        $( $crate::common::delegate::delegate!(@one $inner $method); )*
    };
    (@one $inner:tt find_at) => {
        async fn find_at(
            &self,
            email: &user_service::domain::Email,
        ) -> Result<user_service::service::AtAddress, user_service::service::StoreError> {
            self.$inner.find_at(email).await
        }
    };
    (@one $inner:tt find_codes) => {
        async fn find_codes(
            &self,
            email: &user_service::domain::Email,
            purpose: user_service::domain::CodePurpose,
        ) -> Result<
            (user_service::service::AtAddress, user_service::domain::CodeRecord),
            user_service::service::StoreError,
        > {
            self.$inner.find_codes(email, purpose).await
        }
    };
    (@one $inner:tt find_challenge) => {
        async fn find_challenge(
            &self,
            email: &user_service::domain::Email,
            id: user_service::domain::ChallengeId,
        ) -> Result<
            (user_service::service::AtAddress, Option<user_service::domain::MfaChallenge>),
            user_service::service::StoreError,
        > {
            self.$inner.find_challenge(email, id).await
        }
    };
    (@one $inner:tt find_session) => {
        async fn find_session(
            &self,
            id: user_service::domain::SessionId,
        ) -> Result<Option<user_service::domain::Session>, user_service::service::StoreError> {
            self.$inner.find_session(id).await
        }
    };
    (@one $inner:tt sessions_of) => {
        async fn sessions_of(
            &self,
            user: user_service::domain::UserId,
        ) -> Result<Vec<user_service::domain::SessionId>, user_service::service::StoreError> {
            self.$inner.sessions_of(user).await
        }
    };
    (@one $inner:tt find_sessions_of) => {
        async fn find_sessions_of(
            &self,
            user: user_service::domain::UserId,
        ) -> Result<Vec<user_service::domain::Session>, user_service::service::StoreError> {
            self.$inner.find_sessions_of(user).await
        }
    };
    (@one $inner:tt find_by_id) => {
        async fn find_by_id(
            &self,
            id: user_service::domain::UserId,
        ) -> Result<Option<user_service::service::AccountRecord>, user_service::service::StoreError>
        {
            self.$inner.find_by_id(id).await
        }
    };
    (@one $inner:tt accounts) => {
        async fn accounts(
            &self,
            prefix: &user_service::domain::EmailPrefix,
            after: Option<&user_service::domain::AccountCursor>,
            limit: usize,
        ) -> Result<user_service::service::AccountPage, user_service::service::StoreError> {
            user_service::service::AccountStore::accounts(&self.$inner, prefix, after, limit).await
        }
    };
    (@one $inner:tt events_of) => {
        async fn events_of(
            &self,
            user: user_service::domain::UserId,
            before: Option<u64>,
            limit: usize,
        ) -> Result<Vec<user_service::domain::AccountEvent>, user_service::service::StoreError>
        {
            self.$inner.events_of(user, before, limit).await
        }
    };
}

#[allow(unused_imports)]
pub(crate) use delegate;

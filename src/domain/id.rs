//! Random identifiers: a v4 UUID behind a name that says what it identifies, so an account id
//! cannot be passed where a session id is expected.

/// Declares `$name`, a v4 UUID with `generate`, `parse` and a hyphenated `Display`.
macro_rules! uuid_id {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub struct $name(uuid::Uuid);

        impl $name {
            pub fn generate() -> Self {
                Self(uuid::Uuid::new_v4())
            }

            /// Parses the lower-case hyphenated form written by `Display`, and only that: an
            /// id has one spelling, so a token or key holding it has one too.
            pub fn parse(raw: &str) -> Result<Self, $crate::domain::Invalid> {
                uuid::Uuid::try_parse(raw)
                    .ok()
                    .filter(|id| id.as_hyphenated().to_string() == raw)
                    .map(Self)
                    .ok_or_else(|| $crate::domain::Invalid::new("must be a UUID"))
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.as_hyphenated().fmt(f)
            }
        }
    };
}

pub(crate) use uuid_id;

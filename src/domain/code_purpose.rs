//! What a one-time code proves, which sets its length, its lifetime and the mail that carries it.

/// What a mailed code proves when it comes back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CodePurpose {
    /// The account's address is its owner's (6 digits).
    Verification,
    /// Whoever reads the address's mail may set the account's password (8 digits).
    PasswordReset,
    /// The account may move to the address the code was sent to (8 digits).
    EmailChange,
}

impl CodePurpose {
    /// Every purpose, in a fixed order.
    pub const ALL: [CodePurpose; 3] = [Self::Verification, Self::PasswordReset, Self::EmailChange];

    /// How many decimal digits its codes have: those that hand an account over are longer.
    pub fn digits(self) -> usize {
        match self {
            Self::Verification => 6,
            Self::PasswordReset | Self::EmailChange => 8,
        }
    }

    /// Its name in stored items, logs and mail templates.
    pub fn name(self) -> &'static str {
        match self {
            Self::Verification => "verification",
            Self::PasswordReset => "password_reset",
            Self::EmailChange => "email_change",
        }
    }
}

//! Structured logs: one JSON object per line on stdout, which CloudWatch Logs indexes as is.
//!
//! `RUST_LOG` picks the level (default `info`). Whatever it says, TRACE events from other
//! crates are dropped: at TRACE, the Lambda runtime logs each raw event (passwords included)
//! and the AWS SDK logs whole requests and responses (password hashes included). Our own code
//! never logs a secret at any level, and a test holds both promises.
//!
//! Each invocation runs inside the Lambda runtime's `Lambda runtime invoke` span, whose
//! `requestId` field is copied onto every line logged while it is handled.

use tracing::{Level, Metadata, Subscriber};
use tracing_subscriber::filter::{FilterExt, LevelFilter, Targets, filter_fn};
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{Layer, Registry};

/// The variable that sets the log filter.
pub const RUST_LOG: &str = "RUST_LOG";

/// Builds the subscriber: JSON lines to `writer`, filtered by `rust_log` (a `RUST_LOG` value).
/// Tests pass a buffer as the writer to read what would have been logged.
pub fn subscriber<W>(writer: W, rust_log: Option<&str>) -> impl Subscriber + Send + Sync
where
    W: for<'w> MakeWriter<'w> + Send + Sync + 'static,
{
    let levels = levels(rust_log.unwrap_or_default());
    let layer = tracing_subscriber::fmt::layer()
        .json()
        .flatten_event(true)
        .with_current_span(true)
        .with_span_list(false)
        .with_writer(writer)
        .with_filter(levels.and(filter_fn(never_traces_payloads)));
    Registry::default().with(layer)
}

/// The levels `rust_log` asks for: a level (`debug`), `target=level` pairs, or both
/// (`user_service=debug,info`); targets it does not name log at INFO. Span and field filters are
/// not supported: `tracing-subscriber`'s `EnvFilter` would bring a regex engine into the binary
/// for them. A value that does not parse is ignored, and INFO applies.
fn levels(rust_log: &str) -> Targets {
    let rust_log = rust_log.trim();
    let parsed = match rust_log {
        "" => Targets::new(),
        _ => rust_log.parse::<Targets>().unwrap_or_default(),
    };
    match parsed.default_level() {
        Some(_) => parsed,
        None => parsed.with_default(LevelFilter::INFO),
    }
}

/// Installs [`subscriber`] for the whole process, reading `RUST_LOG`.
pub fn init<W>(writer: W)
where
    W: for<'w> MakeWriter<'w> + Send + Sync + 'static,
{
    let rust_log = std::env::var(RUST_LOG).ok();
    // Fails only if a subscriber is already installed, in which case that one is kept.
    let _ = subscriber(writer, rust_log.as_deref()).try_init();
}

/// TRACE is reserved for this crate; other crates may log payloads there (see module docs).
fn never_traces_payloads(metadata: &Metadata<'_>) -> bool {
    *metadata.level() < Level::TRACE || metadata.target().starts_with(env!("CARGO_CRATE_NAME"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rust_log_sets_levels_per_target_and_info_elsewhere() {
        let cases = [
            ("", Level::INFO, Level::INFO),
            ("debug", Level::DEBUG, Level::DEBUG),
            ("user_service=debug", Level::DEBUG, Level::INFO),
            ("user_service=trace,warn", Level::TRACE, Level::WARN),
            ("user_service=nonsense", Level::INFO, Level::INFO),
        ];
        for (rust_log, ours, others) in cases {
            let levels = levels(rust_log);
            for (target, expected) in [("user_service::http", ours), ("aws_smithy_runtime", others)]
            {
                let most_verbose = [
                    Level::TRACE,
                    Level::DEBUG,
                    Level::INFO,
                    Level::WARN,
                    Level::ERROR,
                ]
                .into_iter()
                .find(|level| levels.would_enable(target, level));
                assert_eq!(most_verbose, Some(expected), "{rust_log:?} for {target}");
            }
        }
    }
}

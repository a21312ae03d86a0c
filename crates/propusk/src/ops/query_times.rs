//! Database query latency for `/metrics`: sqlx reports every statement it ran as a
//! `tracing` event (target `sqlx::query`, with `summary` and `elapsed_secs`); this layer
//! turns those events into the histogram `propusk_db_query_duration_seconds` by kind of
//! statement. It is installed only when metrics are served, so otherwise sqlx does not
//! even build the events. Statements' text and bound values are never recorded.

use tracing::field::{Field, Visit};
use tracing::{Event, Level, Metadata, Subscriber};
use tracing_subscriber::Layer;
use tracing_subscriber::filter::{FilterFn, Filtered};
use tracing_subscriber::layer::Context;

const TARGET: &str = "sqlx::query";

pub struct QueryTimes;

/// Which events the layer sees.
type OnlyQueries = FilterFn<fn(&Metadata<'_>) -> bool>;

/// The layer with its own filter: sqlx's statement events only.
pub fn layer<S: Subscriber>() -> Filtered<QueryTimes, OnlyQueries, S> {
    let only_queries: fn(&Metadata<'_>) -> bool =
        |meta| meta.target() == TARGET && *meta.level() <= Level::DEBUG;
    QueryTimes.with_filter(FilterFn::new(only_queries))
}

#[derive(Default)]
struct Fields {
    seconds: Option<f64>,
    kind: Option<&'static str>,
}

impl Visit for Fields {
    fn record_f64(&mut self, field: &Field, value: f64) {
        if field.name() == "elapsed_secs" {
            self.seconds = Some(value);
        }
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "summary" {
            self.kind = Some(kind(value));
        }
    }

    fn record_debug(&mut self, _: &Field, _: &dyn std::fmt::Debug) {}
}

/// The statement's kind from the first word of sqlx's summary; a bounded label set.
fn kind(summary: &str) -> &'static str {
    let first = summary.split_whitespace().next().unwrap_or("");
    match first.to_ascii_lowercase().as_str() {
        "select" | "with" => "select",
        "insert" => "insert",
        "update" => "update",
        "delete" => "delete",
        "begin" | "commit" | "rollback" => "transaction",
        _ => "other",
    }
}

impl<S: Subscriber> Layer<S> for QueryTimes {
    fn on_event(&self, event: &Event<'_>, _: Context<'_, S>) {
        let mut fields = Fields::default();
        event.record(&mut fields);
        if let Some(seconds) = fields.seconds {
            metrics::histogram!(
                "propusk_db_query_duration_seconds",
                "statement" => fields.kind.unwrap_or("other")
            )
            .record(seconds);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statement_kinds_are_a_small_set() {
        assert_eq!(kind("SELECT data FROM clients"), "select");
        assert_eq!(kind("update outbox SET …"), "update");
        assert_eq!(kind("INSERT INTO leases"), "insert");
        assert_eq!(kind("BEGIN"), "transaction");
        assert_eq!(kind("PRAGMA foreign_keys"), "other");
        assert_eq!(kind(""), "other");
    }
}

//! The account repositories of `propusk_core::store` (migration `0002_accounts`):
//! throttling counters, the audit trail, sign-in challenges, the delivery outbox, second
//! factors with recovery codes, and the account-wide sign-out a password reset needs.
//! Each atomic decision (a counter hit, a code attempt, a TOTP step, a claimed message)
//! is one conditional statement, so concurrent requests and nodes agree.

pub(crate) mod audit;
mod challenges;
mod counters;
mod factors;
mod outbox;
mod revocation;

use crate::error::backend;
use propusk_core::store::StoreResult;
use sqlx::any::AnyRow;
use sqlx::{Any, Decode, Row, Type};

fn get<'r, T: Decode<'r, Any> + Type<Any>>(row: &'r AnyRow, column: &str) -> StoreResult<T> {
    row.try_get(column).map_err(backend)
}

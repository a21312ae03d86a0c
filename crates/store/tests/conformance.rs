//! The storage conformance suite: every case is written once against `SqlStore` and run
//! on SQLite (a fresh temporary file per test) and on PostgreSQL (a fresh database per
//! test on the server named by `PROPUSK_TEST_DATABASE_URL`).
//!
//! Run one backend with `cargo test -p propusk-store --test conformance sqlite::`
//! (or `postgres::`). Without `PROPUSK_TEST_DATABASE_URL` the PostgreSQL tests are skipped
//! with a notice, unless `CI` is set, where they fail.

/// The cases, one file per repository, and the harness (files under `conformance/`).
mod conformance {
    pub mod account_security;
    pub mod accounts;
    pub mod admin;
    pub mod certificates;
    pub mod clients;
    pub mod consents;
    pub mod coordination;
    pub mod developer;
    pub mod devices;
    pub mod fixtures;
    pub mod grants;
    pub mod harness;
    pub mod holder;
    pub mod interactions;
    pub mod keys;
    pub mod logout;
    pub mod migrate;
    pub mod passkeys;
    pub mod products;
    pub mod pushed;
    pub mod registrations;
    pub mod replay;
    pub mod sessions;
    pub mod tokens;
    pub mod trusted_issuers;
}

/// Instantiates each `module::case_…(store, url)` (cases that open the same database again,
/// as other nodes do) as `sqlite_nodes::case_…` and `postgres_nodes::case_…`.
macro_rules! conformance_nodes {
    ($($module:ident :: $case:ident),* $(,)?) => {
        mod sqlite_nodes {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $case() {
                    crate::conformance::harness::on_sqlite(|store, url| async move {
                        crate::conformance::$module::$case(&store, &url).await
                    })
                    .await
                }
            )*
        }

        mod postgres_nodes {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $case() {
                    crate::conformance::harness::on_postgres(|store, url| async move {
                        crate::conformance::$module::$case(&store, &url).await
                    })
                    .await
                }
            )*
        }
    };
}

conformance_nodes! {
    coordination::case_a_change_on_one_node_is_seen_on_another,
    coordination::case_a_singleton_job_runs_once_across_three_nodes,
}

/// Instantiates each `module::case_…` as `sqlite::case_…` and `postgres::case_…`.
macro_rules! conformance {
    ($($module:ident :: $case:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $case() {
                    crate::conformance::harness::on_sqlite(|store, _url| async move {
                        crate::conformance::$module::$case(&store).await
                    })
                    .await
                }
            )*
        }

        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $case() {
                    crate::conformance::harness::on_postgres(|store, _url| async move {
                        crate::conformance::$module::$case(&store).await
                    })
                    .await
                }
            )*
        }
    };
}

conformance! {
    holder::case_token_holder_joins_grant_and_account,
    account_security::case_counter_hits_and_windows,
    account_security::case_counter_hits_concurrently,
    account_security::case_audit_round_trip,
    admin::case_search_accounts,
    admin::case_search_audit,
    admin::case_count_audit,
    admin::case_record_audit_batch,
    admin::case_audit_writer_flushes,
    admin::case_audit_writer_counts_drops,
    admin::case_operators,
    account_security::case_account_audit_pages,
    account_security::case_challenge_lifecycle,
    account_security::case_challenge_attempts_concurrently,
    account_security::case_outbox_claim_send_fail,
    account_security::case_outbox_claims_concurrently,
    account_security::case_outbox_drops_bodies_of_messages_given_up,
    account_security::case_factors_and_totp_steps,
    account_security::case_recovery_codes_single_use,
    account_security::case_revoke_everything_of_an_account,
    migrate::case_migrate_is_idempotent,
    clients::case_client_round_trip,
    clients::case_client_duplicate_is_conflict,
    clients::case_client_update,
    clients::case_client_delete_removes_secrets,
    clients::case_client_secret_delete,
    accounts::case_account_round_trip,
    accounts::case_account_identifier_conflicts,
    accounts::case_account_update,
    accounts::case_find_account_by_any_identifier,
    accounts::case_list_accounts_pages,
    accounts::case_erase_account_is_all_or_nothing,
    products::case_product_round_trip,
    products::case_product_duplicate_is_conflict,
    products::case_product_update_and_delete,
    keys::case_key_round_trip,
    keys::case_key_update_and_unpublish,
    grants::case_grant_round_trip,
    grants::case_revoke_grant_cascades,
    grants::case_redeem_code_once,
    grants::case_redeem_code_concurrently,
    tokens::case_refresh_token_rotation,
    tokens::case_refresh_token_concurrently,
    tokens::case_access_token_lookup,
    tokens::case_revoke_recorded_access_token,
    tokens::case_revoke_unrecorded_access_token,
    tokens::case_purge_expired,
    tokens::case_refresh_token_dpop_binding,
    tokens::case_dpop_proof_jti_once,
    consents::case_consent_upsert_and_overwrite,
    consents::case_consent_list_and_delete,
    consents::case_account_grants_newest_first,
    consents::case_revoke_access_is_all_or_nothing,
    sessions::case_session_lookup,
    sessions::case_session_touch_and_end,
    sessions::case_session_clients,
    sessions::case_session_reauthentication,
    sessions::case_session_device,
    sessions::case_earlier_devices,
    interactions::case_interaction_lifecycle,
    replay::case_remember_once,
    replay::case_remember_once_concurrently,
    devices::case_device_lifecycle,
    devices::case_device_redeemed_once_concurrently,
    devices::case_attempt_counter_windows,
    pushed::case_pushed_request_taken_once,
    pushed::case_pushed_request_expires,
    pushed::case_pushed_request_taken_once_concurrently,
    logout::case_session_grants,
    logout::case_logout_delivery_queue,
    trusted_issuers::case_trusted_issuer_round_trip,
    certificates::case_certificate_bindings,
    certificates::case_certificate_challenge_used_once,
    certificates::case_erasing_an_account_drops_its_certificates,
    passkeys::case_passkeys_added_listed_and_unique,
    passkeys::case_passkey_use_rename_and_remove,
    passkeys::case_erasing_an_account_drops_its_passkeys,
    registrations::case_registration_token_round_trip,
    registrations::case_register_client_at_once,
    registrations::case_replace_registered_client_with_its_keys,
    coordination::case_lease_is_exclusive_and_expires,
    coordination::case_cached_data_version_moves_with_admin_writes,
    developer::case_integrator_round_trip,
    developer::case_client_owners,
    developer::case_api_keys_revoke_and_touch,
    developer::case_scope_requests_decided_once,
    developer::case_client_logo_round_trip,
    developer::case_client_usage_per_day,
}

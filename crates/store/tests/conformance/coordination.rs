//! `CoordinationRepo`: the version of cached data moves with every write to what nodes
//! cache and with nothing else; another node sees a change within one poll; a lease is
//! held by one node at a time and is free once it expires; a singleton job runs once per
//! round across three nodes, and another node takes it over from one that stops.

use super::fixtures::*;
use propusk_core::clock::{Clock, SystemClock};
use propusk_core::coordination::{Singleton, watch_cached_data};
use propusk_core::crypto::SystemRng;
use propusk_core::store::{
    ClientRepo, CoordinationRepo, GrantRepo, KeyRepo, ProductRepo, SessionRepo, Store,
};
use propusk_store::{SqlStore, connect};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub async fn case_lease_is_exclusive_and_expires(store: &SqlStore) {
    assert!(
        store
            .acquire_lease("job", "a", NOW, NOW + 10)
            .await
            .expect("a")
    );
    assert!(
        !store
            .acquire_lease("job", "b", NOW + 5, NOW + 15)
            .await
            .expect("b")
    );
    assert!(
        store
            .acquire_lease("job", "a", NOW + 5, NOW + 15)
            .await
            .expect("renew")
    );
    assert!(
        !store
            .acquire_lease("job", "b", NOW + 14, NOW + 24)
            .await
            .expect("b"),
        "the renewal moved the expiry"
    );
    assert!(
        store
            .acquire_lease("job", "b", NOW + 15, NOW + 25)
            .await
            .expect("b"),
        "an expired lease is free"
    );
    assert!(
        !store
            .acquire_lease("job", "a", NOW + 16, NOW + 26)
            .await
            .expect("a")
    );
    assert!(
        store
            .acquire_lease("other", "a", NOW + 16, NOW + 26)
            .await
            .expect("other"),
        "leases are per name"
    );
    store
        .release_lease("job", "a")
        .await
        .expect("release by a non-holder");
    assert!(
        !store
            .acquire_lease("job", "a", NOW + 17, NOW + 27)
            .await
            .expect("a")
    );
    store.release_lease("job", "b").await.expect("release");
    assert!(
        store
            .acquire_lease("job", "a", NOW + 17, NOW + 27)
            .await
            .expect("a")
    );
}

pub async fn case_cached_data_version_moves_with_admin_writes(store: &SqlStore) {
    let mut version = store.cached_data_version().await.expect("version");
    let mut moved = async |what: &str| {
        let now = store.cached_data_version().await.expect("version");
        assert!(now > version, "{what} did not move the version");
        version = now;
    };
    store.create_client(&client("c")).await.expect("client");
    moved("a new client").await;
    let mut changed = client("c");
    changed.name = "Renamed".into();
    store.update_client(&changed).await.expect("update");
    moved("a changed client").await;
    store
        .add_client_secret(&client_secret("s", "c"))
        .await
        .expect("secret");
    moved("a new api-key").await;
    store.delete_client_secret("c", "s").await.expect("delete");
    moved("a removed api-key").await;
    store
        .create_product(&product("p.api"))
        .await
        .expect("product");
    moved("a new product").await;
    store.insert_key(&key("k")).await.expect("key");
    moved("a new key").await;
    store.delete_client("c").await.expect("delete");
    moved("a removed client").await;

    let before = store.cached_data_version().await.expect("version");
    store.insert_grant(&grant("g")).await.expect("grant");
    store
        .create_session(&session("s1", "account"))
        .await
        .expect("session");
    assert_eq!(
        store.cached_data_version().await.expect("version"),
        before,
        "writes to uncached data leave the version alone"
    );
}

async fn node(url: &str) -> Arc<dyn Store> {
    Arc::new(connect(url).await.expect("connect"))
}

pub async fn case_a_change_on_one_node_is_seen_on_another(store: &SqlStore, url: &str) {
    let other = node(url).await;
    let watcher = tokio::spawn(watch_cached_data(other.clone(), Duration::from_millis(50)));
    store.create_client(&client("c")).await.expect("client");
    // The watcher's first answer drops whatever was cached before it; cache after it.
    let started = Instant::now();
    while other.cache_generation() == 0 {
        assert!(
            started.elapsed() < Duration::from_secs(1),
            "the watcher never polled"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let seen = other.get_client("c").await.expect("read").expect("client");
    assert_eq!(seen.name, client("c").name);
    let generation = other.cache_generation();

    let mut changed = client("c");
    changed.name = "Renamed on the first node".into();
    store.update_client(&changed).await.expect("update");
    let started = Instant::now();
    loop {
        let now = other.get_client("c").await.expect("read").expect("client");
        if now.name == changed.name {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(1),
            "the other node still reads the old client after a second (versions: {:?} here, {:?} there)",
            other.cached_data_version().await,
            store.cached_data_version().await,
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_ne!(
        other.cache_generation(),
        generation,
        "caches above the store can tell"
    );
    watcher.abort();
}

pub async fn case_a_singleton_job_runs_once_across_three_nodes(_store: &SqlStore, url: &str) {
    const ROUND: Duration = Duration::from_secs(1);
    let runs: Arc<Mutex<Vec<(String, Instant)>>> = Arc::default();
    let mut nodes = Vec::new();
    for _ in 0..3 {
        let job = Arc::new(Singleton::new(
            node(url).await,
            Arc::new(SystemClock) as Arc<dyn Clock>,
            &SystemRng,
            "counted",
            ROUND,
        ));
        let runs = runs.clone();
        let task = tokio::spawn({
            let job = job.clone();
            async move {
                let holder = job.holder().to_owned();
                job.run(|| {
                    let runs = runs.clone();
                    let holder = holder.clone();
                    async move {
                        let mut runs = runs.lock().unwrap_or_else(|e| e.into_inner());
                        runs.push((holder, Instant::now()));
                    }
                })
                .await;
            }
        });
        nodes.push((job, task));
    }
    let started = Instant::now();
    tokio::time::sleep(Duration::from_millis(4_500)).await;
    let first: Vec<(String, Instant)> = runs.lock().unwrap_or_else(|e| e.into_inner()).clone();
    assert!(
        (4..=6).contains(&first.len()),
        "{} runs in 4.5 s of 1 s rounds on three nodes",
        first.len()
    );
    let holder = first[0].0.clone();
    assert!(
        first.iter().all(|(h, _)| *h == holder),
        "one node ran the job"
    );

    // The holder stops without giving the lease up, as a killed node would.
    let (job, task) = nodes
        .iter()
        .find(|(job, _)| job.holder() == holder)
        .expect("the holder");
    task.abort();
    let stopped = Instant::now();
    let _ = job;
    tokio::time::sleep(Duration::from_millis(4_500)).await;
    let all = runs.lock().unwrap_or_else(|e| e.into_inner()).clone();
    let after: Vec<&(String, Instant)> = all.iter().filter(|(_, at)| *at > stopped).collect();
    assert!(!after.is_empty(), "no node took the job over");
    let successor = after[0].0.clone();
    assert_ne!(successor, holder);
    assert!(after.iter().all(|(h, _)| *h == successor), "one successor");
    assert!(
        after[0].1 - stopped <= Duration::from_secs(3),
        "taken over after {:?}",
        after[0].1 - stopped
    );
    let elapsed = started.elapsed().as_secs_f64();
    assert!(
        (all.len() as f64) <= elapsed + 1.0,
        "{} runs in {elapsed:.1} s",
        all.len()
    );
    for (_, task) in nodes {
        task.abort();
    }
}

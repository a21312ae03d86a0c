//! Values the engine derives from stored data and keeps between requests. Each entry is
//! keyed by everything it was derived from, so it is never stale: a changed input misses.
//! (The stored documents themselves are cached by the store, with a short TTL.)

use std::sync::{Arc, RwLock};

#[derive(Default)]
pub struct EngineCache {
    /// The serialized discovery document and the product scopes it lists.
    discovery: RwLock<Option<(Vec<String>, Arc<str>)>>,
}

impl EngineCache {
    /// The discovery document built for exactly these product scopes, if any.
    pub(crate) fn discovery(&self, scopes: &[String]) -> Option<Arc<str>> {
        let entry = self.discovery.read().unwrap_or_else(|e| e.into_inner());
        entry
            .as_ref()
            .filter(|(for_scopes, _)| for_scopes.as_slice() == scopes)
            .map(|(_, json)| json.clone())
    }

    pub(crate) fn put_discovery(&self, scopes: Vec<String>, json: Arc<str>) {
        let mut entry = self.discovery.write().unwrap_or_else(|e| e.into_inner());
        *entry = Some((scopes, json));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn discovery_misses_when_the_scopes_change() {
        let cache = EngineCache::default();
        let scopes = vec!["a.api".to_owned()];
        assert!(cache.discovery(&scopes).is_none());
        cache.put_discovery(scopes.clone(), Arc::from("{}"));
        assert_eq!(cache.discovery(&scopes).as_deref(), Some("{}"));
        assert!(cache.discovery(&["b.api".to_owned()]).is_none());
    }
}

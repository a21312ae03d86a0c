//! The product's own accounts, in a JSON file: one account per subject the product sees
//! in its access tokens. Propusk gives a product one subject per person whichever
//! application obtained the token, so a person is one account here whether they came
//! through App A, App B or the product's own page.

use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    /// The product's own id of the account (`P-0001`, …).
    pub id: String,
    /// `sub` of the product's access tokens: the key that finds the account again.
    pub subject: String,
    /// Seconds since the epoch.
    pub created_at: u64,
    /// The applications the person entered the product from, first entry first.
    pub arrived_via: Vec<String>,
    pub entries: u32,
}

/// What an entry found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Entry {
    /// A new person: the account was created by this entry.
    Created(Account),
    /// The account of someone who entered before.
    Returning(Account),
}

impl Entry {
    pub fn account(&self) -> &Account {
        match self {
            Entry::Created(account) | Entry::Returning(account) => account,
        }
    }
}

#[derive(Default, Serialize, Deserialize)]
struct Book {
    accounts: Vec<Account>,
}

pub struct Accounts {
    path: PathBuf,
    book: Mutex<Book>,
}

impl Accounts {
    /// The store in `path`, read when the file exists.
    pub fn open(path: &Path) -> Result<Self, String> {
        let book = match std::fs::read(path) {
            Ok(bytes) => serde_json::from_slice(&bytes)
                .map_err(|e| format!("{}: not a product store: {e}", path.display()))?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Book::default(),
            Err(e) => return Err(format!("{}: {e}", path.display())),
        };
        Ok(Self {
            path: path.to_owned(),
            book: Mutex::new(book),
        })
    }

    /// The account of `subject`, created on its first entry; `via` names the application
    /// the person came from.
    pub fn enter(&self, subject: &str, via: &str, now: u64) -> Result<Entry, String> {
        let mut book = self.book.lock().unwrap_or_else(|p| p.into_inner());
        let entry = match book.accounts.iter_mut().find(|a| a.subject == subject) {
            Some(account) => {
                account.entries += 1;
                if !account.arrived_via.iter().any(|v| v == via) {
                    account.arrived_via.push(via.to_owned());
                }
                Entry::Returning(account.clone())
            }
            None => {
                let account = Account {
                    id: format!("P-{:04}", book.accounts.len() + 1),
                    subject: subject.to_owned(),
                    created_at: now,
                    arrived_via: vec![via.to_owned()],
                    entries: 1,
                };
                book.accounts.push(account.clone());
                Entry::Created(account)
            }
        };
        self.save(&book)?;
        Ok(entry)
    }

    /// The account of `subject`, if the person entered before.
    pub fn find(&self, subject: &str) -> Option<Account> {
        let book = self.book.lock().unwrap_or_else(|p| p.into_inner());
        book.accounts.iter().find(|a| a.subject == subject).cloned()
    }

    /// Writes the whole book beside the file and renames it over, so that a crash leaves
    /// the old or the new book, never half of one.
    fn save(&self, book: &Book) -> Result<(), String> {
        let json = serde_json::to_vec_pretty(book).map_err(|e| e.to_string())?;
        let mut temporary = self.path.clone().into_os_string();
        temporary.push(".tmp");
        std::fs::write(&temporary, json)
            .and_then(|()| std::fs::rename(&temporary, &self.path))
            .map_err(|e| format!("{}: {e}", self.path.display()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store(name: &str) -> (Accounts, PathBuf) {
        let dir = std::env::temp_dir().join(format!("propusk-demo-{}-{name}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let path = dir.join("product.json");
        let _ = std::fs::remove_file(&path);
        (Accounts::open(&path).expect("opens"), path)
    }

    #[test]
    fn one_subject_is_one_account_whichever_app_it_came_from() {
        let (accounts, _) = store("one");
        let first = accounts.enter("sub-1", "demo-app-a", 10).expect("entry");
        assert!(matches!(first, Entry::Created(_)));
        let again = accounts.enter("sub-1", "demo-app-b", 20).expect("entry");
        let Entry::Returning(account) = again else {
            panic!("expected the same account back, got {again:?}");
        };
        assert_eq!(account.id, first.account().id);
        assert_eq!(account.arrived_via, ["demo-app-a", "demo-app-b"]);
        assert_eq!(account.entries, 2);
        assert_eq!(account.created_at, 10);
    }

    #[test]
    fn another_subject_is_another_account() {
        let (accounts, _) = store("two");
        let alice = accounts.enter("sub-1", "demo-app-a", 10).expect("entry");
        let bob = accounts.enter("sub-2", "demo-app-a", 10).expect("entry");
        assert!(matches!(bob, Entry::Created(_)));
        assert_ne!(alice.account().id, bob.account().id);
        assert_eq!(
            accounts.find("sub-2").map(|a| a.id),
            Some(bob.account().id.clone())
        );
        assert_eq!(accounts.find("sub-3"), None);
    }

    #[test]
    fn accounts_survive_a_restart() {
        let (accounts, path) = store("restart");
        let first = accounts
            .enter("sub-1", "demo-product-web", 10)
            .expect("entry");
        drop(accounts);
        let reopened = Accounts::open(&path).expect("reopens");
        let again = reopened.enter("sub-1", "demo-app-a", 20).expect("entry");
        assert_eq!(
            again,
            Entry::Returning(Account {
                arrived_via: vec!["demo-product-web".into(), "demo-app-a".into()],
                entries: 2,
                ..first.account().clone()
            })
        );
    }

    #[test]
    fn a_file_that_is_not_a_store_is_refused() {
        let (_, path) = store("garbage");
        std::fs::write(&path, "not json").expect("write");
        assert!(Accounts::open(&path).is_err());
    }
}

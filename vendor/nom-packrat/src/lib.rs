//! `nom-packrat` is an extension of [nom](https://docs.rs/nom) to apply "Packrat Parsing".
//!
//! ## Examples
//!
//! The following example show a quick example.
//!
//! ```
//! use nom::character::complete::char;
//! use nom::IResult;
//! use nom_packrat::{init, packrat_parser, storage};
//!
//! // Declare storage used by packrat_parser
//! storage!(String);
//!
//! // Apply packrat_parser by custom attribute
//! #[packrat_parser]
//! pub fn parser(s: &str) -> IResult<&str, String> {
//!     let (s, x) = char('a')(s)?;
//!     Ok((s, x.to_string()))
//! }
//!
//! fn main() {
//!     let input = "a";
//!
//!     // Initialize before parsing
//!     init!();
//!     let result = parser(input);
//!
//!     println!("{:?}", result);
//! }
//! ```

extern crate nom_packrat_macros;
#[doc(inline)]
pub use nom_packrat_macros::packrat_parser;
use rustc_hash::FxHashMap;
use std::hash::Hash;

/// Initialize packrat storage
///
/// This must be called before each parsing.
/// If this is not called, the parse result may be wrong.
#[macro_export]
macro_rules! init {
    () => {
        crate::PACKRAT_STORAGE.with(|storage| storage.borrow_mut().clear())
    };
}

/// Declare packrat storage
///
/// # Arguments
/// * An output type of parser. The type must implement `Clone`.
/// * (Optional) An extra key type. The type must implement `Eq + Hash + Clone`.
/// * (Optional) Maximum entries of storage.
///
/// # Examples
///
/// ```compile_fail
/// storage!(String);
/// storage!(String, 1024);
/// storage!(String, ExtraInfo);
/// storage!(String, ExtraInfo, 1024);
/// ```
#[macro_export]
macro_rules! storage {
    ($t:ty) => {
        thread_local!(
            pub(crate) static PACKRAT_STORAGE: core::cell::RefCell<
                nom_packrat::PackratStorage<$t, ()>
            > = {
                core::cell::RefCell::new(nom_packrat::PackratStorage::new(None))
            }
        );
    };
    ($t:ty, $u:ty) => {
        thread_local!(
            pub(crate) static PACKRAT_STORAGE: core::cell::RefCell<
                nom_packrat::PackratStorage<$t, $u>
            > = {
                core::cell::RefCell::new(nom_packrat::PackratStorage::new(None))
            }
        );
    };
    ($t:ty, $n:expr) => {
        thread_local!(
            pub(crate) static PACKRAT_STORAGE: core::cell::RefCell<
                nom_packrat::PackratStorage<$t, ()>
            > = {
                core::cell::RefCell::new(nom_packrat::PackratStorage::new(Some($n)))
            }
        );
    };
    ($t:ty, $u:ty, $n:expr) => {
        thread_local!(
            pub(crate) static PACKRAT_STORAGE: core::cell::RefCell<
                nom_packrat::PackratStorage<$t, $u>
            > = {
                core::cell::RefCell::new(nom_packrat::PackratStorage::new(Some($n)))
            }
        );
    };
}

// verify's patch: the memo table hashes its keys with FxHash (SipHash
// over the parser's name was about a tenth of all instructions of a small
// `verify sby` task) and keeps its values in a ring of `size` slots
// allocated once, the map holding only slot numbers: an insert moves the
// value into its slot (upstream: into a new Box, then the box into the
// map), an eviction drops the oldest slot's value in place. Which entries
// the table holds at any time is upstream's exactly: the oldest insert is
// evicted first, and evicting it removes its key from the map even when
// the key was inserted again since (upstream's `keys` deque did the same).
type Key<U> = (&'static str, *const u8, U);

pub struct PackratStorage<T, U> {
    size: Option<usize>,
    /// Key -> slot in `slots`.
    map: FxHashMap<Key<U>, usize>,
    /// Inserts in order, as a ring once `size` are held: `next` is the
    /// oldest (the one the next insert overwrites).
    #[allow(clippy::type_complexity)]
    slots: Vec<(Key<U>, Option<(T, usize)>)>,
    next: usize,
}

impl<T, U> PackratStorage<T, U>
where
    U: Eq + Hash + Clone,
{
    pub fn new(size: Option<usize>) -> Self {
        let init_size = size.unwrap_or_else(|| 0);
        PackratStorage {
            size,
            map: FxHashMap::with_capacity_and_hasher(init_size, Default::default()),
            slots: Vec::with_capacity(init_size),
            next: 0,
        }
    }

    #[inline]
    pub fn get(&self, key: &Key<U>) -> Option<&Option<(T, usize)>> {
        self.map.get(key).map(|&i| &self.slots[i].1)
    }

    // Inlined, and the value assigned straight into its slot: each move of
    // an `AnyNode` is a memcpy of the whole enum.
    #[inline]
    pub fn insert(&mut self, key: Key<U>, value: Option<(T, usize)>) {
        match self.size {
            Some(size) if self.slots.len() >= size.max(1) => {
                let i = self.next;
                self.next = (i + 1) % self.slots.len();
                let slot = &mut self.slots[i];
                self.map.remove(&slot.0);
                slot.0 = key.clone();
                slot.1 = value;
                self.map.insert(key, i);
            }
            _ => {
                self.map.insert(key.clone(), self.slots.len());
                self.slots.push((key, value));
            }
        }
    }

    pub fn clear(&mut self) {
        self.map.clear();
        self.slots.clear();
        self.next = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::PackratStorage;

    /// The upstream table (a map and a deque of keys), as the reference.
    struct Upstream {
        size: usize,
        map: std::collections::HashMap<(&'static str, *const u8, bool), Option<(u32, usize)>>,
        keys: std::collections::VecDeque<(&'static str, *const u8, bool)>,
    }

    impl Upstream {
        fn insert(&mut self, key: (&'static str, *const u8, bool), value: Option<(u32, usize)>) {
            if self.keys.len() > self.size - 1 {
                let key = self.keys.pop_front().unwrap();
                self.map.remove(&key);
            }
            self.keys.push_back(key);
            self.map.insert(key, value);
        }
    }

    #[test]
    fn holds_what_upstream_holds() {
        let names = ["a", "b", "c"];
        let text = [0u8; 16];
        for size in [1, 2, 5, 8] {
            let mut ours: PackratStorage<u32, bool> = PackratStorage::new(Some(size));
            let mut up = Upstream {
                size,
                map: Default::default(),
                keys: Default::default(),
            };
            // A fixed pseudo-random sequence with repeated keys.
            let mut x: u32 = 12345;
            for step in 0..2000u32 {
                x = x.wrapping_mul(1103515245).wrapping_add(12345);
                let key = (
                    names[(x >> 8) as usize % 3],
                    text[(x >> 12) as usize % 4..].as_ptr(),
                    (x >> 20) % 2 == 0,
                );
                let value = if (x >> 24) % 3 == 0 {
                    None
                } else {
                    Some((step, (x >> 4) as usize % 7))
                };
                ours.insert(key, value);
                up.insert(key, value);
                for n in names {
                    for o in 0..4 {
                        for e in [false, true] {
                            let k = (n, text[o..].as_ptr(), e);
                            assert_eq!(ours.get(&k), up.map.get(&k), "size {size} step {step}");
                        }
                    }
                }
                if step % 500 == 499 {
                    ours.clear();
                    up.map.clear();
                    up.keys.clear();
                }
            }
        }
    }

    #[test]
    fn unbounded_keeps_every_key() {
        let text = [0u8; 4];
        let mut s: PackratStorage<u32, ()> = PackratStorage::new(None);
        for i in 0..4 {
            s.insert(("p", text[i..].as_ptr(), ()), Some((i as u32, 1)));
        }
        s.insert(("p", text[0..].as_ptr(), ()), None);
        assert_eq!(s.get(&("p", text[0..].as_ptr(), ())), Some(&None));
        assert_eq!(s.get(&("p", text[3..].as_ptr(), ())), Some(&Some((3, 1))));
    }
}

pub trait HasExtraState<T> {
    fn get_extra_state(&self) -> T;
}

impl HasExtraState<()> for &str {
    fn get_extra_state(&self) -> () {
        ()
    }
}

impl HasExtraState<()> for &[u8] {
    fn get_extra_state(&self) -> () {
        ()
    }
}

impl<T> HasExtraState<()> for nom_locate::LocatedSpan<T, ()> {
    fn get_extra_state(&self) -> () {
        ()
    }
}

impl<T, U, V> HasExtraState<T> for nom_locate::LocatedSpan<U, V>
where
    V: HasExtraState<T>,
{
    fn get_extra_state(&self) -> T {
        self.extra.get_extra_state()
    }
}

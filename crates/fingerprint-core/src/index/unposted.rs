//! The keys of blocks that are not evidence (furniture, short blocks), kept apart from the
//! postings: a removal can make a block evidence when its document is examined again
//! (`replay.rs`). Blocks come in increasing numbers, so their numbers and a `BlockKeys` of their
//! own hold them: eight bytes a block and four a key (a tenth of Reuters' blocks are short ones,
//! of one or two shingles).

use super::block_keys::BlockKeys;

#[derive(Clone, Debug, Default)]
pub struct Unposted {
    /// The blocks held, in increasing order: block `blocks[i]` has the keys `keys.keys(i)`.
    blocks: Vec<u32>,
    keys: BlockKeys,
}

impl Unposted {
    /// Holds the keys of `block` (sorted), numbered after every block held; each key once.
    pub fn push(&mut self, block: u32, keys: impl ExactSizeIterator<Item = u32>) {
        debug_assert!(self.blocks.last().is_none_or(|&last| last < block));
        self.blocks.push(block);
        self.keys.push(keys);
    }

    /// The keys of `block`, if it is held.
    pub fn get(&self, block: u32) -> Option<&[u32]> {
        let i = self.blocks.binary_search(&block).ok()?;
        Some(self.keys.keys(i as u32))
    }

    /// Forgets the blocks `keep` rejects.
    pub fn retain(&mut self, keep: impl Fn(u32) -> bool) {
        let mut kept = Unposted::default();
        for (i, &block) in self.blocks.iter().enumerate().filter(|&(_, &b)| keep(b)) {
            kept.push(block, self.keys.keys(i as u32).iter().copied());
        }
        *self = kept;
    }

    pub fn heap_bytes(&self) -> usize {
        self.blocks.capacity() * 4 + self.keys.heap_bytes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holds_each_blocks_keys_until_it_is_dropped() {
        let mut unposted = Unposted::default();
        unposted.push(3, [1, 4, 4, 9].into_iter());
        unposted.push(7, [2].into_iter());
        unposted.push(8, std::iter::empty());
        assert_eq!(unposted.get(3), Some(&[1, 4, 9][..]));
        assert_eq!(unposted.get(7), Some(&[2][..]));
        assert_eq!(unposted.get(8), Some(&[][..]));
        assert_eq!(unposted.get(5), None);
        unposted.retain(|block| block != 3);
        assert_eq!(unposted.get(3), None);
        assert_eq!(unposted.get(7), Some(&[2][..]));
    }
}

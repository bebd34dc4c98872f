"""The Merkle Tree Hash of Certificate Transparency, its proofs and their verification (RFC 9162 §2.1).

Plain Python over 32-byte SHA-256 digests; nothing here touches the database.

- leaf hash: SHA-256(0x00 || leaf), node hash: SHA-256(0x01 || left || right) (RFC 9162 §2.1.1);
- `tree_hash(leaves)`: MTH(D[n]) for any n, the empty tree hashing to SHA-256() (§2.1.1);
- `inclusion_proof(m, leaves)` / `verify_inclusion(...)`: PATH(m, D[n]) (§2.1.3.1, §2.1.3.2);
- `consistency_proof(m, leaves)` / `verify_consistency(...)`: PROOF(m, D[n]) (§2.1.4.1, §2.1.4.2);
- `Frontier`: the roots of the perfect subtrees along the right edge of the tree (a "compact range"),
  so that appending a leaf and computing the root cost O(log n) hashes, not a pass over every leaf.
"""

import hashlib
from collections.abc import Sequence

EMPTY_TREE_HASH = hashlib.sha256(b"").digest()


def leaf_hash(leaf: bytes) -> bytes:
    """RFC 9162 §2.1.1: MTH({d(0)}) = HASH(0x00 || d(0))."""
    return hashlib.sha256(b"\x00" + leaf).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """RFC 9162 §2.1.1: HASH(0x01 || MTH(D[0:k]) || MTH(D[k:n]))."""
    return hashlib.sha256(b"\x01" + left + right).digest()


def _split(n: int) -> int:
    """The largest power of two smaller than n (n > 1), RFC 9162 §2.1.1."""
    return 1 << ((n - 1).bit_length() - 1)


def tree_hash(leaf_hashes: Sequence[bytes]) -> bytes:
    """MTH over already hashed leaves (each `leaf_hash(d(i))`)."""
    frontier = Frontier()
    for value in leaf_hashes:
        frontier.append(value)
    return frontier.root()


def _subtree_hash(hashes: Sequence[bytes], start: int, end: int) -> bytes:
    if end - start == 0:
        return EMPTY_TREE_HASH
    if end - start == 1:
        return hashes[start]
    k = _split(end - start)
    return node_hash(_subtree_hash(hashes, start, start + k), _subtree_hash(hashes, start + k, end))


def inclusion_proof(index: int, leaf_hashes: Sequence[bytes]) -> list[bytes]:
    """PATH(m, D[n]), RFC 9162 §2.1.3.1: the siblings from the leaf up to the root."""
    n = len(leaf_hashes)
    if not 0 <= index < n:
        raise ValueError(f"leaf index {index} is outside a tree of size {n}")

    def path(m: int, start: int, end: int) -> list[bytes]:
        if end - start == 1:
            return []
        k = _split(end - start)
        if m < k:
            return [*path(m, start, start + k), _subtree_hash(leaf_hashes, start + k, end)]
        return [*path(m - k, start + k, end), _subtree_hash(leaf_hashes, start, start + k)]

    return path(index, 0, n)


def verify_inclusion(
    index: int, tree_size: int, leaf: bytes, proof: Sequence[bytes], root: bytes
) -> bool:
    """RFC 9162 §2.1.3.2: does `proof` show the leaf hash `leaf` at `index` in the tree `root`?"""
    if index < 0 or index >= tree_size:
        return False
    fn, sn, r = index, tree_size - 1, leaf
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


def consistency_proof(first_size: int, leaf_hashes: Sequence[bytes]) -> list[bytes]:
    """PROOF(m, D[n]), RFC 9162 §2.1.4.1: shows the tree of the first m leaves is a prefix."""
    n = len(leaf_hashes)
    if not 0 < first_size <= n:
        raise ValueError(f"no consistency proof from size {first_size} to size {n}")

    def subproof(m: int, start: int, end: int, complete: bool) -> list[bytes]:
        if m == end - start:
            return [] if complete else [_subtree_hash(leaf_hashes, start, end)]
        k = _split(end - start)
        if m <= k:
            return [
                *subproof(m, start, start + k, complete),
                _subtree_hash(leaf_hashes, start + k, end),
            ]
        return [
            *subproof(m - k, start + k, end, False),
            _subtree_hash(leaf_hashes, start, start + k),
        ]

    return subproof(first_size, 0, n, True)


def verify_consistency(
    first_size: int,
    second_size: int,
    first_root: bytes,
    second_root: bytes,
    proof: Sequence[bytes],
) -> bool:
    """RFC 9162 §2.1.4.2: is the tree (first_size, first_root) a prefix of (second_size, second_root)?

    Equal sizes need an empty proof and equal roots; the empty tree is a prefix of every tree.
    """
    if first_size < 0 or first_size > second_size:
        return False
    if first_size == second_size:
        return not proof and first_root == second_root
    if first_size == 0:
        return not proof and first_root == EMPTY_TREE_HASH
    if not proof:
        return False
    path = list(proof)
    if first_size & (first_size - 1) == 0:  # an exact power of two
        path.insert(0, first_root)
    fn, sn = first_size - 1, second_size - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return fr == first_root and sr == second_root and sn == 0


class Frontier:
    """The right edge of a Merkle tree: one perfect-subtree root per set bit of the size.

    `Frontier.from_hashes(size, hashes)` restores one saved with `hashes` (largest subtree first).
    """

    def __init__(self) -> None:
        self.size = 0
        self.hashes: list[bytes] = []

    @classmethod
    def from_hashes(cls, size: int, hashes: Sequence[bytes]) -> "Frontier":
        if len(hashes) != size.bit_count():
            raise ValueError("a frontier holds one hash per set bit of the tree size")
        frontier = cls()
        frontier.size, frontier.hashes = size, list(hashes)
        return frontier

    def append(self, value: bytes) -> None:
        self.hashes.append(value)
        size = self.size
        # Each trailing 1 bit of the old size is a perfect subtree the new leaf completes.
        while size & 1:
            right = self.hashes.pop()
            left = self.hashes.pop()
            self.hashes.append(node_hash(left, right))
            size >>= 1
        self.size += 1

    def root(self) -> bytes:
        if not self.hashes:
            return EMPTY_TREE_HASH
        root = self.hashes[-1]
        for value in reversed(self.hashes[:-1]):
            root = node_hash(value, root)
        return root

"""RFC 9162 §2.1: the Merkle Tree Hash, inclusion and consistency proofs, checked against the text."""

import hashlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from guichet.audit import merkle


def reference_mth(leaves: list[bytes]) -> bytes:
    """MTH written as §2.1.1 states it, leaf data in, recursively."""
    n = len(leaves)
    if n == 0:
        return hashlib.sha256(b"").digest()
    if n == 1:
        return hashlib.sha256(b"\x00" + leaves[0]).digest()
    k = 1
    while k * 2 < n:
        k *= 2
    return hashlib.sha256(b"\x01" + reference_mth(leaves[:k]) + reference_mth(leaves[k:])).digest()


def data(n: int) -> list[bytes]:
    return [f"entry {i}".encode() for i in range(n)]


def hashed(n: int) -> list[bytes]:
    return [merkle.leaf_hash(d) for d in data(n)]


def test_the_empty_tree_hashes_to_the_hash_of_the_empty_string():
    assert merkle.tree_hash([]) == hashlib.sha256(b"").digest()


def test_leaf_and_node_hashes_are_domain_separated():
    assert merkle.leaf_hash(b"x") == hashlib.sha256(b"\x00x").digest()
    assert merkle.node_hash(b"a", b"b") == hashlib.sha256(b"\x01ab").digest()


@pytest.mark.parametrize("n", range(0, 70))
def test_tree_hash_is_rfc_9162_mth_for_every_size(n):
    assert merkle.tree_hash(hashed(n)) == reference_mth(data(n))


@pytest.mark.parametrize("n", [1, 2, 3, 5, 7, 8, 9, 16, 33])
def test_every_leaf_has_a_verifying_inclusion_proof(n):
    leaves = hashed(n)
    root = merkle.tree_hash(leaves)
    for m in range(n):
        proof = merkle.inclusion_proof(m, leaves)
        assert merkle.verify_inclusion(m, n, leaves[m], proof, root)
        assert not merkle.verify_inclusion(m, n, merkle.leaf_hash(b"forged"), proof, root)
        if n > 1:
            assert not merkle.verify_inclusion((m + 1) % n, n, leaves[m], proof, root)


def test_rfc_example_tree_of_seven_leaves_has_the_documented_path_lengths():
    # RFC 9162 §2.1.5: in the 7-leaf tree, the audit path of d0 is [b, h, l] and of d6 is [i, j].
    leaves = hashed(7)
    assert len(merkle.inclusion_proof(0, leaves)) == 3
    assert len(merkle.inclusion_proof(6, leaves)) == 2
    # The consistency proof between the 3-leaf and 7-leaf trees is [c, d, g, l] (four hashes).
    assert len(merkle.consistency_proof(3, leaves)) == 4
    assert len(merkle.consistency_proof(4, leaves)) == 1
    assert len(merkle.consistency_proof(6, leaves)) == 3


@pytest.mark.parametrize("n", [2, 3, 4, 5, 7, 8, 13, 32, 33])
def test_every_prefix_has_a_verifying_consistency_proof(n):
    leaves = hashed(n)
    root = merkle.tree_hash(leaves)
    for m in range(1, n + 1):
        proof = merkle.consistency_proof(m, leaves)
        first = merkle.tree_hash(leaves[:m])
        assert merkle.verify_consistency(m, n, first, root, proof)
        if m < n:
            assert not merkle.verify_consistency(m, n, merkle.leaf_hash(b"x"), root, proof)
            assert not merkle.verify_consistency(m, n, first, merkle.leaf_hash(b"x"), proof)


def test_a_rewritten_prefix_fails_the_consistency_proof():
    leaves = hashed(10)
    first = merkle.tree_hash(leaves[:6])
    rewritten = [*leaves[:3], merkle.leaf_hash(b"edited"), *leaves[4:]]
    proof = merkle.consistency_proof(6, rewritten)
    assert not merkle.verify_consistency(6, 10, first, merkle.tree_hash(rewritten), proof)


def test_a_shorter_tree_is_not_consistent_with_a_larger_one():
    leaves = hashed(8)
    assert not merkle.verify_consistency(
        8, 5, merkle.tree_hash(leaves), merkle.tree_hash(leaves[:5]), []
    )


@given(st.integers(min_value=1, max_value=300), st.data())
def test_frontier_root_equals_the_full_recomputation(n, draw):
    leaves = hashed(n)
    m = draw.draw(st.integers(min_value=0, max_value=n))
    saved = merkle.Frontier()
    for value in leaves[:m]:
        saved.append(value)
    restored = merkle.Frontier.from_hashes(saved.size, saved.hashes)
    for value in leaves[m:]:
        restored.append(value)
    assert restored.root() == merkle.tree_hash(leaves) == reference_mth(data(n))

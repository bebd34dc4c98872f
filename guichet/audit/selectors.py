"""Reading and checking the audit log.

`verify_log()` recomputes everything from the stored entries and compares it with every signed
checkpoint, in the database and outside it (RFC 9162 consistency proofs); `prove_inclusion(entry)`
gives the audit path that shows one entry is in the log at a checkpoint.
"""

import contextlib
import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone

from guichet.audit import checkpoints, merkle
from guichet.audit.models import AuditCheckpoint, AuditEntry
from guichet.audit.sealing import entry_leaf_hash, mac_is_valid


@dataclass
class LogReport:
    size: int = 0
    root: bytes = merkle.EMPTY_TREE_HASH
    problems: list[str] = field(default_factory=list)
    checkpoints_checked: int = 0
    latest_external: checkpoints.SignedCheckpoint | None = None

    @property
    def intact(self) -> bool:
        return not self.problems


def verify_log(batch_size: int = 2000, anchors: list[str] | None = None) -> LogReport:
    """Check the whole log; every problem found is named in `report.problems`.

    - each entry: position contiguous from #1 (a gap is a deleted entry), MAC valid (an edit, even
      re-hashed, or an entry written around the application), leaf hash = its content, unique uid;
    - no entry left unsequenced without a valid MAC (a forged insertion);
    - each stored checkpoint: valid signature, size within the log, root = MTH of that prefix;
    - each external checkpoint (storage, directory, `anchors` given by the operator): valid
      signature, and the stored log consistent with it (RFC 9162 §2.1.4 proof from its size to the
      current one), so a truncation, a tail deletion or a rewritten prefix cannot pass;
    - every stored checkpoint older than twice the publication interval has its external copies.
    """
    report = LogReport()
    leaves: list[bytes] = []
    prefix_roots: dict[int, bytes] = {0: merkle.EMPTY_TREE_HASH}
    wanted_sizes = _checkpoint_sizes(anchors)
    frontier = merkle.Frontier()
    seen_uids: set = set()
    expected = 1
    for entry in _sequenced_entries(batch_size):
        if entry.sequence != expected:
            if entry.sequence > expected:
                if entry.sequence - 1 > expected:
                    missing = f"entrées #{expected}–#{entry.sequence - 1} absentes du journal (supprimées)"
                else:
                    missing = f"entrée #{expected} absente du journal (supprimée)"
                report.problems.append(missing)
            expected = entry.sequence
        if not mac_is_valid(entry):
            report.problems.append(
                f"entrée #{entry.sequence} : contenu modifié ou entrée forgée (code d'authentification invalide)"
            )
        computed = entry_leaf_hash(entry)
        if computed.hex() != entry.leaf_hash:
            report.problems.append(f"entrée #{entry.sequence} : empreinte de feuille incorrecte")
        if entry.uid in seen_uids:
            report.problems.append(f"entrée #{entry.sequence} : doublon d'une entrée antérieure")
        seen_uids.add(entry.uid)
        # The tree is over what the entries are, not over the stored leaf hash.
        leaves.append(computed)
        frontier.append(computed)
        if frontier.size in wanted_sizes:
            prefix_roots[frontier.size] = frontier.root()
        expected += 1
    report.size, report.root = frontier.size, frontier.root()
    prefix_roots[report.size] = report.root

    for entry in AuditEntry.objects.filter(sequence__isnull=True).order_by("id"):
        if not mac_is_valid(entry):
            report.problems.append(
                f"entrée non séquencée id={entry.pk} ({entry.action}) : forgée (code d'authentification invalide)"
            )

    stored_texts = _check_stored_checkpoints(report, prefix_roots)
    _check_external_checkpoints(report, prefix_roots, leaves, stored_texts, anchors or [])
    return report


def _checkpoint_sizes(anchors: list[str] | None) -> set[int]:
    """The tree sizes some checkpoint claims, whose prefix roots the walk must remember."""
    texts = [text for files in checkpoints.read_external().values() for _name, text in files]
    texts += [*(anchors or []), *AuditCheckpoint.objects.values_list("text", flat=True)]
    sizes = set()
    for text in texts:
        with contextlib.suppress(ValueError):
            sizes.add(checkpoints.parse(text).tree_size)
    return sizes


def _sequenced_entries(batch_size: int):
    last = 0
    while True:
        batch = list(AuditEntry.objects.filter(sequence__gt=last).order_by("sequence")[:batch_size])
        if not batch:
            return
        yield from batch
        last = batch[-1].sequence


def _check_against_log(
    report: LogReport, where: str, signed: checkpoints.SignedCheckpoint, prefix_roots: dict
) -> None:
    if not signed.signature_is_valid():
        report.problems.append(f"{where} : signature invalide (point de contrôle forgé)")
        return
    if signed.tree_size > report.size:
        report.problems.append(
            f"{where} : il couvre {signed.tree_size} entrées, le journal n'en a que {report.size} "
            "(entrées supprimées ou journal vidé)"
        )
        return
    if prefix_roots.get(signed.tree_size) != signed.root:
        report.problems.append(
            f"{where} : la racine des {signed.tree_size} premières entrées ne correspond pas "
            "(entrées modifiées, réordonnées, insérées ou supprimées)"
        )


def _check_stored_checkpoints(report: LogReport, prefix_roots: dict) -> set[str]:
    texts = set()
    previous_size = 0
    for stored in AuditCheckpoint.objects.order_by("id"):
        where = f"point de contrôle n° {stored.pk} en base ({stored.tree_size} entrées)"
        try:
            signed = checkpoints.parse(stored.text)
        except ValueError as error:
            report.problems.append(f"{where} : illisible ({error})")
            continue
        if signed.tree_size != stored.tree_size or signed.root.hex() != stored.root_hash:
            report.problems.append(f"{where} : ne correspond pas au texte signé")
        if signed.tree_size < previous_size:
            report.problems.append(f"{where} : plus petit que le précédent (journal réécrit)")
        previous_size = max(previous_size, signed.tree_size)
        _check_against_log(report, where, signed, prefix_roots)
        report.checkpoints_checked += 1
        texts.add(stored.text)
    return texts


def _check_external_checkpoints(
    report: LogReport, prefix_roots: dict, leaves: list[bytes], stored_texts: set[str], anchors
) -> None:
    valid: list[checkpoints.SignedCheckpoint] = []
    external_texts: dict[str, set[str]] = {}
    found = checkpoints.read_external()
    found["anchor"] = [(f"ancre {n + 1}", text) for n, text in enumerate(anchors)]
    for location, files in found.items():
        external_texts[location] = set()
        for name, text in files:
            where = f"point de contrôle externe {name}"
            try:
                signed = checkpoints.parse(text, source=name)
            except ValueError as error:
                report.problems.append(f"{where} : illisible ({error})")
                continue
            external_texts[location].add(text)
            before = len(report.problems)
            _check_against_log(report, where, signed, prefix_roots)
            report.checkpoints_checked += 1
            if len(report.problems) == before:
                valid.append(signed)
    if valid:
        # RFC 9162 §2.1.4: the stored log must extend the largest external tree head.
        latest = max(valid, key=lambda c: (c.tree_size, c.timestamp))
        report.latest_external = latest
        if 0 < latest.tree_size < report.size:
            proof = merkle.consistency_proof(latest.tree_size, leaves)
            if not merkle.verify_consistency(
                latest.tree_size, report.size, latest.root, report.root, proof
            ):
                report.problems.append(
                    f"le journal n'est pas une extension du point de contrôle externe {latest.source}"
                )
    # A checkpoint stored in the database must have reached every place outside it.
    grace = dt.timedelta(seconds=2 * settings.AUDIT_CHECKPOINT_INTERVAL)
    old_enough = AuditCheckpoint.objects.filter(published_at__lt=timezone.now() - grace)
    for location in checkpoints.external_locations():
        present = external_texts.get(location, set())
        for stored in old_enough.order_by("id"):
            if stored.text not in present:
                report.problems.append(
                    f"point de contrôle n° {stored.pk} ({stored.tree_size} entrées, "
                    f"{stored.published_at:%Y-%m-%d %H:%M}) absent de {location} (copie supprimée ou restaurée)"
                )


@dataclass(frozen=True)
class InclusionProof:
    entry_id: int
    sequence: int
    leaf_index: int
    leaf_hash: bytes
    tree_size: int
    root: bytes
    path: list[bytes]
    checkpoint_text: str

    def verifies(self) -> bool:
        """RFC 9162 §2.1.3.2, against the root of the signed checkpoint."""
        signed = checkpoints.parse(self.checkpoint_text)
        return (
            signed.signature_is_valid()
            and signed.tree_size == self.tree_size
            and signed.root == self.root
            and merkle.verify_inclusion(
                self.leaf_index, self.tree_size, self.leaf_hash, self.path, self.root
            )
        )


class NotInLog(Exception):
    pass


def prove_inclusion(entry: AuditEntry, checkpoint: AuditCheckpoint | None = None) -> InclusionProof:
    """The audit path of `entry` in the tree of `checkpoint` (default: the latest covering it)."""
    if entry.sequence is None:
        raise NotInLog("entry not sequenced yet")
    if checkpoint is None:
        checkpoint = (
            AuditCheckpoint.objects.filter(tree_size__gte=entry.sequence).order_by("-id").first()
        )
    if checkpoint is None or checkpoint.tree_size < entry.sequence:
        raise NotInLog("no checkpoint covers this entry yet")
    leaves = [
        entry_leaf_hash(e)
        for e in AuditEntry.objects.filter(sequence__lte=checkpoint.tree_size).order_by("sequence")
    ]
    index = entry.sequence - 1
    return InclusionProof(
        entry_id=entry.pk,
        sequence=entry.sequence,
        leaf_index=index,
        leaf_hash=entry_leaf_hash(entry),
        tree_size=checkpoint.tree_size,
        root=bytes.fromhex(checkpoint.root_hash),
        path=merkle.inclusion_proof(index, leaves) if len(leaves) == checkpoint.tree_size else [],
        checkpoint_text=checkpoint.text,
    )


def trail_for(target) -> list[AuditEntry]:
    """Every entry about one object, oldest first."""
    return list(
        AuditEntry.objects.filter(object_type=target._meta.label_lower, object_id=str(target.pk))
        .select_related("actor", "organisation")
        .order_by("created_at", "id")
    )

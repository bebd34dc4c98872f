import base64
import json

from django.core.management.base import BaseCommand, CommandError

from guichet.audit.models import AuditCheckpoint, AuditEntry
from guichet.audit.sealing import entry_leaf
from guichet.audit.selectors import NotInLog, prove_inclusion


class Command(BaseCommand):
    help = (
        "Preuve d'inclusion (RFC 9162 §2.1.3) d'une entrée d'audit dans le journal, à un point de "
        "contrôle signé ; la preuve est vérifiée avant d'être affichée (JSON)."
    )

    def add_arguments(self, parser):
        parser.add_argument("entry_id", type=int, help="Identifiant de l'entrée (id).")
        parser.add_argument("--checkpoint", type=int, help="Numéro du point de contrôle en base.")

    def handle(self, *args, **options):
        entry = AuditEntry.objects.filter(pk=options["entry_id"]).first()
        if entry is None:
            raise CommandError(f"Aucune entrée d'audit n° {options['entry_id']}.")
        checkpoint = None
        if options["checkpoint"] is not None:
            checkpoint = AuditCheckpoint.objects.filter(pk=options["checkpoint"]).first()
            if checkpoint is None:
                raise CommandError(f"Aucun point de contrôle n° {options['checkpoint']}.")
        try:
            proof = prove_inclusion(entry, checkpoint)
        except NotInLog as error:
            raise CommandError(
                f"L'entrée n° {entry.pk} n'est pas encore couverte par un point de contrôle "
                f"({error}) : lancez « manage.py audit_checkpoint »."
            ) from error
        if not proof.verifies():
            raise CommandError(
                f"La preuve d'inclusion de l'entrée n° {entry.pk} ne se vérifie pas."
            )
        self.stdout.write(
            json.dumps(
                {
                    "entry_id": proof.entry_id,
                    "leaf_index": proof.leaf_index,
                    "tree_size": proof.tree_size,
                    "leaf": base64.b64encode(entry_leaf(entry)).decode(),
                    "leaf_hash": proof.leaf_hash.hex(),
                    "inclusion_path": [value.hex() for value in proof.path],
                    "root_hash": proof.root.hex(),
                    "checkpoint": proof.checkpoint_text,
                    "verified": True,
                },
                ensure_ascii=False,
                indent=2,
            )
        )

"""The content of a text as plain data, shared by services, the importer and the AKN renderer."""

from dataclasses import dataclass


@dataclass
class PartInput:
    """One structural unit: kind is preamble, title, chapter, section, article or paragraph."""

    kind: str
    num: str = ""
    heading: str = ""
    text: str = ""
    eid: str = ""

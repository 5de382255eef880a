"""Which worksheet part of an xlsx holds which sheet, for readable messages."""

import zipfile

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring

from .limits import MB

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_REL_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_CAP = 5 * MB


def sheet_names_by_part(archive: zipfile.ZipFile) -> dict[str, str]:
    """Part path -> sheet name; empty when the workbook cannot say."""
    workbook = _parsed(archive, "xl/workbook.xml")
    relations = _parsed(archive, "xl/_rels/workbook.xml.rels")
    if workbook is None or relations is None:
        return {}
    targets = {
        rel.get("Id"): _part_path(rel.get("Target", ""))
        for rel in relations.iter(f"{_RELS}Relationship")
    }
    return {
        targets[sheet.get(_REL_ID)]: sheet.get("name", "")
        for sheet in workbook.iter(f"{_MAIN}sheet")
        if sheet.get(_REL_ID) in targets
    }


def _part_path(target: str) -> str:
    path = target.lstrip("/")
    return path if path.startswith("xl/") else f"xl/{path}"


def _parsed(archive: zipfile.ZipFile, name: str):
    try:
        with archive.open(name) as part:
            data = part.read(_CAP + 1)
        if len(data) > _CAP:
            return None
        return fromstring(data, forbid_dtd=True)
    except (KeyError, ParseError, DefusedXmlException, zipfile.BadZipFile):
        return None

"""Licences a masterplan can be published under, by SPDX id: the name and address that the
books, the site and the open-data metadata print."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class LicenceInfo:
    spdx: str
    title: str
    url: str
    ckan: str  # the license_id a CKAN portal knows it by


LICENCES: dict[str, LicenceInfo] = {i.spdx: i for i in [
    LicenceInfo("CC-BY-4.0", "Creative Commons Atribusi 4.0 Internasional",
                "https://creativecommons.org/licenses/by/4.0/deed.id", "cc-by"),
    LicenceInfo("CC-BY-SA-4.0", "Creative Commons Atribusi-BerbagiSerupa 4.0 Internasional",
                "https://creativecommons.org/licenses/by-sa/4.0/deed.id", "cc-by-sa"),
    LicenceInfo("CC0-1.0", "Creative Commons Zero 1.0 Universal (domain publik)",
                "https://creativecommons.org/publicdomain/zero/1.0/deed.id", "cc-zero"),
    LicenceInfo("ODbL-1.0", "Open Data Commons Open Database License 1.0",
                "https://opendatacommons.org/licenses/odbl/1-0/", "odc-odbl"),
    LicenceInfo("PDDL-1.0", "Open Data Commons Public Domain Dedication and License 1.0",
                "https://opendatacommons.org/licenses/pddl/1-0/", "odc-pddl"),
    LicenceInfo("ODC-By-1.0", "Open Data Commons Attribution License 1.0",
                "https://opendatacommons.org/licenses/by/1-0/", "odc-by"),
]}


def licence(spdx: str) -> LicenceInfo:
    """The licence of an SPDX id (the validator has checked it is known)."""
    return LICENCES[spdx]

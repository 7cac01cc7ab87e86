"""The texts sessions point into: titles, locations and communities, as indexed lists.

Sessions store small integers; rendering a file turns them into text with one
``take`` per column. Each activity type owns a contiguous range of titles and of
locations.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from demo.catalog import SPECIAL_TITLES, Catalog

COMMUNITY_CENTRE = "{}党群服务中心"
COVERAGE_LOCATION = "市委党校"


@dataclass(frozen=True)
class Vocabulary:
    titles: list[str]
    title_offset: np.ndarray  # per activity type
    title_count: np.ndarray
    special_title: dict[str, int]
    locations: list[str]
    location_offset: np.ndarray
    location_count: np.ndarray
    centre_offset: int  # locations[centre_offset + c] is community c's service centre
    coverage_location: int
    communities: list[str]
    communities_per_district: int


def build_vocabulary(
    catalog: Catalog, communities: list[str], communities_per_district: int
) -> Vocabulary:
    titles: list[str] = []
    title_offset, title_count = [], []
    locations: list[str] = []
    location_offset, location_count = [], []
    for index in range(len(catalog.types)):
        profile = catalog.profile(index)
        own_titles = profile.titles or (catalog.types[index].name_zh,)
        title_offset.append(len(titles))
        title_count.append(len(own_titles))
        titles.extend(own_titles)
        location_offset.append(len(locations))
        location_count.append(len(profile.locations))
        locations.extend(profile.locations)
    special = {}
    for title in SPECIAL_TITLES:
        special[title] = len(titles)
        titles.append(title)
    centre_offset = len(locations)
    locations.extend(COMMUNITY_CENTRE.format(c) for c in communities)
    coverage = len(locations)
    locations.append(COVERAGE_LOCATION)
    return Vocabulary(
        titles=titles,
        title_offset=np.array(title_offset, dtype=np.int16),
        title_count=np.array(title_count, dtype=np.int16),
        special_title=special,
        locations=locations,
        location_offset=np.array(location_offset, dtype=np.int16),
        location_count=np.array(location_count, dtype=np.int16),
        centre_offset=centre_offset,
        coverage_location=coverage,
        communities=communities,
        communities_per_district=communities_per_district,
    )

from celery import shared_task


@shared_task(name="gazette.refresh_in_force_status")
def refresh_in_force_status() -> int:
    from guichet.gazette.indexing import refresh_in_force_status as refresh

    return refresh()


@shared_task(name="gazette.build_open_data", ignore_result=True)
def build_open_data(years: list[int] | None = None) -> None:
    """Open data files (per year and full archive, with their SHA-256 manifest), once per
    publication, rendering only `years` (None: all): anonymous downloads only ever read what this
    wrote."""
    from guichet.gazette.opendata import build

    build(years)

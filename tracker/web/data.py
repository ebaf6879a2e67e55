"""/data/: the releases, each downloadable as a zip, and how to cite them."""

from django.http import FileResponse, Http404
from django.shortcuts import render

from tracker.releases.package import zip_name
from tracker.selectors.releases import release_get, release_list


def data_index(request):
    releases = release_list()
    return render(
        request,
        "tracker/data.html",
        {"releases": releases, "latest": releases[0] if releases else None},
    )


def release_download(request, version):
    release = release_get(version)
    if release is None or not release.zip_path.exists():
        raise Http404(f"No release {version}.")
    return FileResponse(
        release.zip_path.open("rb"),
        as_attachment=True,
        filename=zip_name(release.version),
        content_type="application/zip",
    )

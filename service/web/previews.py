"""Uploads shown on the upload page before the user decides to keep them: a small cache on disk, by content hash."""
from __future__ import annotations

import json
import os
import re
import stat
import time
from dataclasses import dataclass
from pathlib import Path

from service.uploads import SavedUpload

ID = re.compile(r"^[0-9a-f]{64}$")


def private_folder(directory: Path) -> None:
    """Create `directory` readable by this machine user only (0700), or check that it already is: a folder that is a
    symlink, belongs to someone else or is open to others is refused, not used."""
    directory.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        directory.mkdir(mode=0o700)
    except FileExistsError:
        pass
    info = os.lstat(directory)
    if stat.S_ISLNK(info.st_mode) or not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid():
        raise SystemExit(f"{directory}: the preview folder must be a folder of this user, not a link "
                         "(set VANBAN_PREVIEW_DIR to a private folder)")
    if info.st_mode & 0o077:
        os.chmod(directory, 0o700)


@dataclass(frozen=True, slots=True)
class Preview:
    id: str
    path: Path
    kind: str
    display_name: str
    parsed_json: str


class PreviewCache:
    def __init__(self, directory: Path, keep: int = 64, max_age_s: float = 3600):
        self.directory = directory
        self.keep, self.max_age_s = keep, max_age_s
        private_folder(directory)

    def put(self, upload: SavedUpload, parsed_json: str) -> Preview:
        kind = json.loads(parsed_json)["source"]["kind"]
        target = self.directory / f"{upload.sha256}.{kind}"
        os.replace(upload.path, target)
        meta = {"kind": kind, "display_name": upload.display_name}
        (self.directory / f"{upload.sha256}.meta").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
        (self.directory / f"{upload.sha256}.json").write_text(parsed_json, encoding="utf-8")
        self._prune()
        return Preview(upload.sha256, target, kind, upload.display_name, parsed_json)

    def get(self, preview_id: str) -> Preview | None:
        if not ID.match(preview_id):
            return None
        try:
            meta = json.loads((self.directory / f"{preview_id}.meta").read_text(encoding="utf-8"))
            parsed = (self.directory / f"{preview_id}.json").read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        return Preview(preview_id, self.directory / f"{preview_id}.{meta['kind']}", meta["kind"], meta["display_name"],
                       parsed)

    def _prune(self) -> None:
        metas = sorted(self.directory.glob("*.meta"), key=lambda p: p.stat().st_mtime, reverse=True)
        now = time.time()
        for k, meta in enumerate(metas):
            if k >= self.keep or now - meta.stat().st_mtime > self.max_age_s:
                for f in self.directory.glob(f"{meta.stem}.*"):
                    f.unlink(missing_ok=True)

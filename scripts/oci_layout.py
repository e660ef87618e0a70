#!/usr/bin/env python3
"""Writes an OCI image layout (image-spec v1.0) from folders of files, without a container engine.

Used by scripts/build-images.sh. Reproducible: every tar entry has the time SOURCE_DATE_EPOCH, owner 0:0 (numeric,
no names), entries are sorted, and gzip stores neither a file name nor a time: the same inputs give the same
digests.

  oci_layout.py SPEC.json OUT_DIR [SPEC2.json OUT_DIR2 ...]

(several layouts in one run share the work of the layers they have in common, by their root folder)
SPEC: {"created_epoch": N, "ref": "0.1.0",
       "images": [{"arch": "amd64", "variant": null,
                   "layers": [{"root": "/path/to/tree", "comment": "..."}, ...],
                   "config": {"User": "1001:1001", "Entrypoint": [...], "Env": [...], "WorkingDir": "/",
                              "Labels": {...}},
                   "annotations": {...}}, ...]}
Each layer is the whole tree under its root (files, symlinks and folders; modes kept, owners dropped). OUT_DIR gets
oci-layout, blobs/sha256/ and index.json, whose entries are the multi-arch image index (ref name REF) and each
platform's manifest (ref name REF-ARCH: tools that do not choose a platform, such as umoci, unpack those).
"""
import datetime
import gzip
import hashlib
import io
import json
import os
import stat
import sys
import tarfile

MT_INDEX = "application/vnd.oci.image.index.v1+json"
MT_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
MT_CONFIG = "application/vnd.oci.image.config.v1+json"
MT_LAYER = "application/vnd.oci.image.layer.v1.tar+gzip"


def canonical(obj):
    return (json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False)).encode()


class Layout:
    def __init__(self, out):
        self.out = out
        os.makedirs(os.path.join(out, "blobs", "sha256"), exist_ok=True)

    def blob(self, data, media_type, **extra):
        digest = hashlib.sha256(data).hexdigest()
        path = os.path.join(self.out, "blobs", "sha256", digest)
        if not os.path.exists(path):
            with open(path, "wb") as f:
                f.write(data)
        desc = {"mediaType": media_type, "digest": "sha256:" + digest, "size": len(data)}
        desc.update(extra)
        return desc


def layer_tar(root, epoch):
    """The tree under root as an uncompressed tar: sorted, fixed times, numeric owner 0, no user/group names."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.GNU_FORMAT) as tar:
        entries = []
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames.sort()
            for name in dirnames + filenames:
                full = os.path.join(dirpath, name)
                entries.append(os.path.relpath(full, root))
        for rel in sorted(entries):
            full = os.path.join(root, rel)
            st = os.lstat(full)
            info = tarfile.TarInfo(rel)
            info.mtime = epoch
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            info.mode = stat.S_IMODE(st.st_mode) & ~0o022  # no group/world write
            if stat.S_ISLNK(st.st_mode):
                info.type = tarfile.SYMTYPE
                info.linkname = os.readlink(full)
                info.mode = 0o777
                tar.addfile(info)
            elif stat.S_ISDIR(st.st_mode):
                info.type = tarfile.DIRTYPE
                tar.addfile(info)
            elif stat.S_ISREG(st.st_mode):
                info.size = st.st_size
                with open(full, "rb") as f:
                    tar.addfile(info, f)
            else:
                raise SystemExit(f"oci_layout: {full}: not a file, folder or symlink")
    return buf.getvalue()


def gzip_bytes(data):
    out = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=out, compresslevel=9, mtime=0) as gz:
        gz.write(data)
    return out.getvalue()


LAYER_CACHE = {}  # (root, epoch) -> (uncompressed digest, gzipped bytes)


def layer_blob(root, epoch):
    if (root, epoch) not in LAYER_CACHE:
        tar = layer_tar(root, epoch)
        LAYER_CACHE[(root, epoch)] = ("sha256:" + hashlib.sha256(tar).hexdigest(), gzip_bytes(tar))
    return LAYER_CACHE[(root, epoch)]


def main():
    args = sys.argv[1:]
    for i in range(0, len(args), 2):
        print(write_layout(json.load(open(args[i])), args[i + 1]))


def write_layout(spec, out):
    epoch = int(spec["created_epoch"])
    created = datetime.datetime.fromtimestamp(epoch, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    ref = spec["ref"]
    layout = Layout(out)
    manifests = []
    for image in spec["images"]:
        layers, diff_ids, history = [], [], []
        for layer in image["layers"]:
            diff_id, gz = layer_blob(layer["root"], epoch)
            diff_ids.append(diff_id)
            layers.append(layout.blob(gz, MT_LAYER))
            history.append({"created": created, "created_by": layer.get("comment", "scripts/build-images.sh")})
        platform = {"architecture": image["arch"], "os": "linux"}
        if image.get("variant"):
            platform["variant"] = image["variant"]
        config = dict(platform)
        config.update({"created": created, "config": image["config"],
                       "rootfs": {"type": "layers", "diff_ids": diff_ids}, "history": history})
        config_desc = layout.blob(canonical(config), MT_CONFIG)
        manifest = {"schemaVersion": 2, "mediaType": MT_MANIFEST, "config": config_desc, "layers": layers}
        if image.get("annotations"):
            manifest["annotations"] = image["annotations"]
        manifests.append((image["arch"], layout.blob(canonical(manifest), MT_MANIFEST, platform=platform)))
    index = {"schemaVersion": 2, "mediaType": MT_INDEX, "manifests": [d for _, d in manifests]}
    if spec.get("annotations"):
        index["annotations"] = spec["annotations"]
    index_desc = layout.blob(canonical(index), MT_INDEX,
                             annotations={"org.opencontainers.image.ref.name": ref})
    top = [index_desc]
    for arch, desc in manifests:
        d = dict(desc)
        d["annotations"] = {"org.opencontainers.image.ref.name": f"{ref}-{arch}"}
        top.append(d)
    with open(os.path.join(out, "index.json"), "w") as f:
        json.dump({"schemaVersion": 2, "mediaType": MT_INDEX, "manifests": top}, f, indent=2, sort_keys=True)
        f.write("\n")
    with open(os.path.join(out, "oci-layout"), "w") as f:
        f.write('{"imageLayoutVersion": "1.0.0"}\n')
    # Blobs of an earlier build that no manifest names any more are removed: the folder holds this build only.
    used = {index_desc["digest"]}
    for _, d in manifests:
        used.add(d["digest"])
        m = json.load(open(os.path.join(out, "blobs", "sha256", d["digest"].split(":")[1])))
        used.add(m["config"]["digest"])
        used.update(layer["digest"] for layer in m["layers"])
    for name in os.listdir(os.path.join(out, "blobs", "sha256")):
        if "sha256:" + name not in used:
            os.remove(os.path.join(out, "blobs", "sha256", name))
    return index_desc["digest"]


if __name__ == "__main__":
    main()

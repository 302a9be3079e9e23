#!/usr/bin/env bash
# Rebuilds the compressed and archive fixtures from the text below (synthetic
# values only). Needs zip, tar, gzip, zstd, bzip2, xz and python3. The
# outputs are committed; tests never run this script.
set -euo pipefail
cd "$(dirname "$0")/../fixtures"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export TZ=UTC
stamp=202403150000

# archive/bundle.zip: a CSV, a bzip2 log and a zstd NDJSON, under folders.
mkdir -p "$work/bundle/crm" "$work/bundle/logs"
printf 'id,email,card\n1,ana.pop@example.ro,4787789328792170\n2,jean.dupont@exemple.fr,6011003307666196\n' \
  >"$work/bundle/crm/contacts.csv"
printf '2024-03-15 INFO refund to RO22RNCB0082004530230001 for kowalski.jan@przyklad.pl\n' \
  | bzip2 -9 >"$work/bundle/logs/app.log.bz2"
printf '{"user":{"email":"s.rossi@esempio.it"}}\n' | zstd -q -19 >"$work/bundle/events.ndjson.zst"
find "$work/bundle" -exec touch -t $stamp {} +
(cd "$work/bundle" && zip -q -X -r ../bundle.zip crm logs events.ndjson.zst)
cp "$work/bundle.zip" archive/bundle.zip

# archive/dump.tar.gz: a tar inside gzip, holding an SQL dump and an xz note.
mkdir -p "$work/dump"
printf "INSERT INTO users VALUES (1, 'ana.pop@example.ro', 'NL64ABNA0417164301');\n" >"$work/dump/users.sql"
printf 'Call back on card 5100-3390-7579-3836.\n' | xz -9 >"$work/dump/note.txt.xz"
find "$work/dump" -exec touch -t $stamp {} +
tar --sort=name --owner=0 --group=0 --numeric-owner -C "$work" -cf - dump | gzip -9 -n >archive/dump.tar.gz

# archive/backup.tar: a plain tar holding a zip (read as a stream).
mkdir -p "$work/backup"
printf 'name\temail\nAna Pop\tana.pop@example.ro\n' >"$work/people.tsv"
touch -t $stamp "$work/people.tsv"
(cd "$work" && zip -q -X inner.zip people.tsv && mv inner.zip backup/)
touch -t $stamp "$work/backup/inner.zip"
tar --sort=name --owner=0 --group=0 --numeric-owner -C "$work" -cf archive/backup.tar backup

# limits/locked.zip: one encrypted member, one plain one.
printf 'jean.dupont@exemple.fr\n' >"$work/secret.txt"
printf 'nothing personal here\n' >"$work/readme.txt"
touch -t $stamp "$work/secret.txt" "$work/readme.txt"
(cd "$work" && zip -q -X -P not-a-secret locked.zip secret.txt && zip -q -X locked.zip readme.txt)
cp "$work/locked.zip" limits/locked.zip

# limits/bomb.zip: 256 MiB of one letter, deflated to about 250 KiB.
python3 - "$work/bomb.zip" <<'PY'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
    info = zipfile.ZipInfo("bomb.csv", date_time=(2024, 3, 15, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    with z.open(info, "w", force_zip64=True) as f:
        block = b"A" * (1 << 20)
        for _ in range(256):
            f.write(block)
PY
cp "$work/bomb.zip" limits/bomb.zip

# limits/deep.zip: ten zips inside each other, an email at the bottom.
printf 'deep down: ana.pop@example.ro\n' >"$work/level10.txt"
touch -t $stamp "$work/level10.txt"
inner=level10.txt
for i in 9 8 7 6 5 4 3 2 1 0; do
  (cd "$work" && zip -q -X "level$i.zip" "$inner" && touch -t $stamp "level$i.zip")
  inner="level$i.zip"
done
cp "$work/level0.zip" limits/deep.zip

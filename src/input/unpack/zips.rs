//! Zip archives: members read through the central directory when it can
//! be trusted, from the local headers when it cannot (damaged, cut short,
//! undercounting) or is too large to hold; members whose bytes lie inside
//! another's are gaps, not read again.

use std::io::{self, Read, Seek, SeekFrom};
use std::ops::Range;

use super::{Budget, Counting, Member, Packed, Stop};
use crate::input::SkipReason;

/// What a zip's end-of-central-directory record (or its zip64 record)
/// says, read without parsing the directory.
#[derive(Debug, Default)]
struct End {
    /// The entries it declares; `None` when the record is not found.
    entries: Option<u64>,
    /// Bytes follow the record and its comment (text appended to the
    /// archive): no member holds them, so they are not read.
    trailing: bool,
}

fn zip_end<R: Read + Seek>(reader: &mut R) -> io::Result<End> {
    const EOCD: &[u8] = b"PK\x05\x06";
    let len = reader.seek(SeekFrom::End(0))?;
    // The record is 22 bytes and a comment of at most 65,535.
    let tail_len = len.min(22 + 0xFFFF);
    reader.seek(SeekFrom::Start(len - tail_len))?;
    let mut tail = vec![0u8; tail_len as usize];
    reader.read_exact(&mut tail)?;
    let Some(at) = tail.windows(4).rposition(|w| w == EOCD) else {
        return Ok(End::default());
    };
    let Some(record) = tail.get(at..at + 22) else {
        return Ok(End::default());
    };
    let comment = usize::from(u16::from_le_bytes([record[20], record[21]]));
    let trailing = at + 22 + comment < tail.len();
    let entries = u16::from_le_bytes([record[10], record[11]]);
    if entries != 0xFFFF {
        return Ok(End {
            entries: Some(entries.into()),
            trailing,
        });
    }
    // Zip64: a 20-byte locator just before the record gives the offset of
    // the zip64 record, whose entry count is at byte 32.
    let Some(locator) = at.checked_sub(20).map(|l| &tail[l..at]) else {
        return Ok(End::default());
    };
    if &locator[..4] != b"PK\x06\x07" {
        return Ok(End::default());
    }
    let offset = u64::from_le_bytes(locator[8..16].try_into().expect("8 bytes"));
    let mut record = [0u8; 40];
    reader.seek(SeekFrom::Start(offset))?;
    if reader.read_exact(&mut record).is_err() || &record[..4] != b"PK\x06\x06" {
        return Ok(End::default());
    }
    Ok(End {
        entries: Some(u64::from_le_bytes(
            record[32..40].try_into().expect("8 bytes"),
        )),
        trailing,
    })
}

/// Visits every file in a zip archive that can seek (one on disk), in the
/// archive's order. Returns why the archive as a whole stopped early, if it
/// did. An archive whose central directory cannot be read, or leaves out
/// members its local headers hold, is read from its local headers instead.
pub fn zip_members<R: Read + Seek>(
    mut reader: R,
    budget: &Budget,
    each: &mut dyn FnMut(&str, Member<'_>) -> io::Result<()>,
) -> io::Result<Option<SkipReason>> {
    // `zip` reads the whole central directory into memory before the first
    // member: past the member limit, read the local headers in order instead,
    // which stops at the limit.
    let end = zip_end(&mut reader)?;
    reader.seek(SeekFrom::Start(0))?;
    if end.entries.is_some_and(|n| n > budget.limits.members) {
        return zip_stream_members(reader, budget, each);
    }
    let counting = Counting::new(&mut reader);
    let count = counting.count.clone();
    let mut archive = match zip::ZipArchive::new(counting) {
        Ok(archive) => archive,
        Err(zip::result::ZipError::Io(e)) if e.kind() != io::ErrorKind::UnexpectedEof => {
            return Err(e)
        }
        // A damaged or truncated end: the members before it are intact.
        Err(_) => return salvage(reader, budget, each),
    };
    let extents = extents(&mut archive);
    let directory = archive.central_directory_start();
    let last_end = extents.iter().map(|e| e.1).max().unwrap_or(0);
    if directory > last_end {
        // Between the last member and the directory: a data descriptor,
        // padding, or members the end record does not count. Looked at
        // with the archive put down, then read again (its directory only).
        let mut counting = archive.into_inner();
        if holds_local_header(&mut counting.inner, last_end..directory)? {
            return salvage(reader, budget, each);
        }
        archive = zip::ZipArchive::new(counting).map_err(zip_error)?;
    }
    let overlapping = overlapping(&extents);
    for i in 0..archive.len() {
        if i as u64 >= budget.limits.members {
            return Ok(Some(SkipReason::TooManyMembers));
        }
        let entry = archive.by_index_raw(i).map(|f| {
            (
                f.name().to_string(),
                f.encrypted(),
                f.is_dir() && f.size() == 0,
            )
        });
        let (name, encrypted, is_dir) = match entry {
            Ok(entry) => entry,
            Err(zip::result::ZipError::Io(e)) => return Err(e),
            // One bad entry: a gap for it, and the others are still read.
            Err(_) => {
                let name = archive.name_for_index(i).unwrap_or("?").to_string();
                each(&name, Member::Gap(SkipReason::Corrupt))?;
                continue;
            }
        };
        // A folder's entry holds nothing; one named like a folder that
        // holds bytes is read like a file.
        if is_dir {
            continue;
        }
        if overlapping.contains(&i) {
            each(&name, Member::Gap(SkipReason::Overlapping))?;
            continue;
        }
        if encrypted {
            each(&name, Member::Gap(SkipReason::Encrypted))?;
            continue;
        }
        let packed = Packed {
            count: count.clone(),
            start: count.get(),
        };
        match archive.by_index(i) {
            Ok(file) => {
                let mut data = budget.limit(Box::new(file), packed);
                each(&name, Member::Data(&mut data))?;
            }
            Err(zip::result::ZipError::UnsupportedArchive(_)) => {
                each(&name, Member::Gap(SkipReason::Unsupported))?;
            }
            Err(zip::result::ZipError::Io(e)) => return Err(e),
            Err(_) => each(&name, Member::Gap(SkipReason::Corrupt))?,
        }
    }
    Ok(end.trailing.then_some(SkipReason::Corrupt))
}

/// Each member's local header and data as a byte range of the archive
/// (its local extra field left out, so the range is never longer than
/// the truth), by index.
fn extents<R: Read + Seek>(archive: &mut zip::ZipArchive<R>) -> Vec<(u64, u64)> {
    (0..archive.len())
        .map(|i| match archive.by_index_raw(i) {
            Ok(f) => {
                let start = f.header_start();
                let len = 30 + f.name_raw().len() as u64 + f.compressed_size();
                (start, start.saturating_add(len))
            }
            Err(_) => (0, 0),
        })
        .collect()
}

/// The members whose bytes begin inside an earlier member's (by offset),
/// or at the same offset: one deflate stream named by many entries gets
/// decompressed once per entry, past any per-member ratio check.
fn overlapping(extents: &[(u64, u64)]) -> std::collections::HashSet<usize> {
    let mut order: Vec<usize> = (0..extents.len()).filter(|&i| extents[i].1 > 0).collect();
    order.sort_by_key(|&i| extents[i]);
    let mut out = std::collections::HashSet::new();
    let mut reach = 0u64;
    for (n, &i) in order.iter().enumerate() {
        let (start, end) = extents[i];
        if n > 0 && start < reach {
            out.insert(i);
        }
        reach = reach.max(end);
    }
    out
}

/// True when `range` of the archive (its first megabyte) holds a local
/// header's signature.
fn holds_local_header<R: Read + Seek>(reader: &mut R, range: Range<u64>) -> io::Result<bool> {
    let len = (range.end - range.start).min(1 << 20);
    reader.seek(SeekFrom::Start(range.start))?;
    let mut gap = vec![0u8; len as usize];
    reader.read_exact(&mut gap)?;
    Ok(gap.windows(4).any(|w| w == b"PK\x03\x04"))
}

/// Reads an archive whose directory cannot be trusted from its local
/// headers, from the start; where the data breaks off, the members before
/// it stand and the archive is incomplete.
fn salvage<R: Read + Seek>(
    mut reader: R,
    budget: &Budget,
    each: &mut dyn FnMut(&str, Member<'_>) -> io::Result<()>,
) -> io::Result<Option<SkipReason>> {
    reader.seek(SeekFrom::Start(0))?;
    zip_stream_members(reader, budget, each)
}

/// Visits every file in a zip archive read as a stream (one inside another
/// archive, or on standard input), from its local headers.
pub fn zip_stream_members(
    reader: impl Read,
    budget: &Budget,
    each: &mut dyn FnMut(&str, Member<'_>) -> io::Result<()>,
) -> io::Result<Option<SkipReason>> {
    let mut reader = Counting::new(reader);
    let read = reader.count.clone();
    let mut count = 0u64;
    loop {
        let file = match zip::read::read_zipfile_from_stream(&mut reader) {
            Ok(Some(file)) => file,
            Ok(None) => return Ok(None),
            Err(zip::result::ZipError::UnsupportedArchive(_)) => {
                return Ok(Some(SkipReason::Unsupported))
            }
            Err(e) => return Err(zip_error(e)),
        };
        count += 1;
        if count > budget.limits.members {
            return Ok(Some(SkipReason::TooManyMembers));
        }
        if file.is_dir() && file.size() == 0 {
            continue;
        }
        let name = file.name().to_string();
        if file.encrypted() {
            each(&name, Member::Gap(SkipReason::Encrypted))?;
            continue;
        }
        let packed = Packed {
            count: read.clone(),
            start: read.get(),
        };
        let mut data = budget.limit(Box::new(file), packed);
        each(&name, Member::Data(&mut data))?;
    }
}

fn zip_error(e: zip::result::ZipError) -> io::Error {
    match e {
        zip::result::ZipError::Io(e) => e,
        zip::result::ZipError::UnsupportedArchive(_) => Stop::error(SkipReason::Unsupported),
        _ => Stop::error(SkipReason::Corrupt),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::unpack::{tar_members, Limits};
    use std::io::Write;

    /// A zip of `names`, each holding a line of text.
    fn zip_of(names: &[String]) -> Vec<u8> {
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        for name in names {
            zip.start_file(name, zip::write::SimpleFileOptions::default())
                .unwrap();
            zip.write_all(b"some text").unwrap();
        }
        zip.finish().unwrap().into_inner()
    }

    #[test]
    fn one_bad_zip_entry_is_a_gap_and_the_rest_are_read() {
        let mut bytes = zip_of(&["a.txt", "b.txt", "c.txt"].map(String::from));
        // Damage the second entry's local header.
        let second = bytes[1..]
            .windows(4)
            .position(|w| w == b"PK\x03\x04")
            .unwrap()
            + 1;
        bytes[second..second + 4].copy_from_slice(b"XXXX");
        let mut seen = Vec::new();
        let budget = Budget::new(Limits::default());
        let stopped = zip_members(std::io::Cursor::new(bytes), &budget, &mut |name, member| {
            let data = matches!(member, Member::Data(_));
            seen.push((name.to_string(), data));
            Ok(())
        })
        .unwrap();
        assert_eq!(stopped, None);
        let want = [("a.txt", true), ("b.txt", false), ("c.txt", true)];
        assert_eq!(seen, want.map(|(n, d)| (n.to_string(), d)));
    }

    #[test]
    fn a_zip_over_the_member_limit_is_read_in_order_up_to_it() {
        let bytes = zip_of(&(0..5).map(|i| format!("{i}.txt")).collect::<Vec<_>>());
        let mut cursor = std::io::Cursor::new(&bytes[..]);
        assert_eq!(zip_end(&mut cursor).unwrap().entries, Some(5));
        let budget = Budget::new(Limits {
            members: 3,
            ..Limits::default()
        });
        let mut seen = Vec::new();
        let stopped = zip_members(std::io::Cursor::new(&bytes[..]), &budget, &mut |name, _| {
            seen.push(name.to_string());
            Ok(())
        })
        .unwrap();
        assert_eq!(stopped, Some(SkipReason::TooManyMembers));
        assert_eq!(seen, ["0.txt", "1.txt", "2.txt"]);
        let mut plain = std::io::Cursor::new(&b"not a zip at all"[..]);
        assert_eq!(zip_end(&mut plain).unwrap().entries, None);
    }

    /// A member handed over: its bytes, or why it was not read.
    type Got = Result<Vec<u8>, SkipReason>;

    /// The members `zip_members` hands over, and why it stopped early.
    fn members_of(bytes: &[u8]) -> (Vec<(String, Got)>, Option<SkipReason>) {
        let budget = Budget::new(Limits::default());
        let mut got = Vec::new();
        let stopped = zip_members(std::io::Cursor::new(bytes), &budget, &mut |name, member| {
            let item = match member {
                Member::Data(r) => {
                    let mut v = Vec::new();
                    r.read_to_end(&mut v)?;
                    Ok(v)
                }
                Member::Gap(reason) => Err(reason),
            };
            got.push((name.to_string(), item));
            Ok(())
        });
        (got, stopped.unwrap_or(Some(SkipReason::Corrupt)))
    }

    /// One stored member `a.txt` and `n` central-directory entries that
    /// all point at it: a zip bomb past any per-member ratio check.
    fn overlapping_zip(n: u16) -> Vec<u8> {
        let data = b"x@example.com";
        let crc = crc32(data);
        let mut out = Vec::new();
        let le16 = |v: &mut Vec<u8>, x: u16| v.extend(x.to_le_bytes());
        let le32 = |v: &mut Vec<u8>, x: u32| v.extend(x.to_le_bytes());
        le32(&mut out, 0x0403_4b50);
        for x in [20, 0, 0, 0, 0] {
            le16(&mut out, x);
        }
        for x in [crc, data.len() as u32, data.len() as u32] {
            le32(&mut out, x);
        }
        le16(&mut out, 5);
        le16(&mut out, 0);
        out.extend(b"a.txt");
        out.extend(data);
        let directory = out.len() as u32;
        for i in 0..n {
            let name = format!("m{i}.txt");
            le32(&mut out, 0x0201_4b50);
            for x in [20, 20, 0, 0, 0, 0] {
                le16(&mut out, x);
            }
            for x in [crc, data.len() as u32, data.len() as u32] {
                le32(&mut out, x);
            }
            for x in [name.len() as u16, 0, 0, 0, 0] {
                le16(&mut out, x);
            }
            le32(&mut out, 0);
            le32(&mut out, 0);
            out.extend(name.as_bytes());
        }
        let size = out.len() as u32 - directory;
        le32(&mut out, 0x0605_4b50);
        for x in [0, 0, n, n] {
            le16(&mut out, x);
        }
        le32(&mut out, size);
        le32(&mut out, directory);
        le16(&mut out, 0);
        out
    }

    fn crc32(data: &[u8]) -> u32 {
        let mut crc = !0u32;
        for &b in data {
            crc ^= u32::from(b);
            for _ in 0..8 {
                crc = if crc & 1 == 1 {
                    crc >> 1 ^ 0xEDB8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }

    #[test]
    fn members_sharing_one_stream_are_read_once() {
        let (got, stopped) = members_of(&overlapping_zip(50));
        assert_eq!(stopped, None);
        assert_eq!(got.len(), 50);
        assert_eq!(got[0].1.as_deref().ok(), Some(&b"x@example.com"[..]));
        assert!(got[1..]
            .iter()
            .all(|(_, r)| *r == Err(SkipReason::Overlapping)));
    }

    #[test]
    fn no_member_is_skipped_unread() {
        // A member named like a folder that holds bytes is read.
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default();
        zip.add_directory("empty/", options).unwrap();
        zip.start_file("data/", options).unwrap();
        zip.write_all(b"a.b@example.com").unwrap();
        let bytes = zip.finish().unwrap().into_inner();
        let (got, _) = members_of(&bytes);
        let names: Vec<&str> = got.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["data/"]);

        // An end record that counts fewer members than the archive holds,
        // and one cut off: the members are read from their local headers.
        let names: Vec<String> = (0..3).map(|i| format!("m{i}.txt")).collect();
        let mut bytes = zip_of(&names);
        let end = bytes.windows(4).rposition(|w| w == b"PK\x05\x06").unwrap();
        bytes[end + 8..end + 12].copy_from_slice(&[1, 0, 1, 0]);
        let (got, _) = members_of(&bytes);
        assert_eq!(got.len(), 3, "{got:?}");
        let bytes = zip_of(&names);
        let (got, _) = members_of(&bytes[..bytes.len() - 30]);
        assert_eq!(got.iter().filter(|(_, r)| r.is_ok()).count(), 3, "{got:?}");

        // Tar entries GNU tar extracts as files: contiguous, sparse, unknown.
        for kind in [b'7', b'S', b'Z'] {
            let mut builder = tar::Builder::new(Vec::new());
            let mut header = tar::Header::new_ustar();
            header.set_size(5);
            header.set_entry_type(tar::EntryType::new(kind));
            builder
                .append_data(&mut header, "m.txt", &b"a@b.c"[..])
                .unwrap();
            let bytes = builder.into_inner().unwrap();
            let mut read = Vec::new();
            let budget = Budget::new(Limits::default());
            tar_members(&bytes[..], &budget, &mut |name, _| {
                read.push(name.to_string());
                Ok(())
            })
            .unwrap();
            assert_eq!(read, ["m.txt"], "type {}", kind as char);
        }
    }
}

//! Archives rebuilt with their members masked. A zip comes out a zip, a
//! tar (plain, or compressed as a whole) a tar, of the same members in the
//! same order, with the same names, modes and times; each text member
//! holds its masked copy, compressed again if it was; a zip or tar
//! inside (a `.tar.gz` too) is rebuilt the same way. A member that was not examined (a
//! binary file, an encrypted one) is left out and named, never copied
//! unread.

use std::collections::HashMap;
use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::Path;

use super::tree::{head, scratch, Compression, Copy};
use crate::input::read::{self, Sniffed};
use crate::input::unpack::holds_data;

/// Masked members, by their name as findings give it (`x.tar!dir/a.csv`),
/// each in an anonymous temporary file.
pub(super) type Members = HashMap<String, File>;

/// A member's masked text as the member held it: compressed again the way
/// the original member (`original`, its first bytes read here) was,
/// rewound.
fn packed(original: &mut dyn Read, mut plain: File) -> io::Result<File> {
    match Compression::of(read::sniff(&head(original)?)) {
        Compression::None => {
            plain.seek(SeekFrom::Start(0))?;
            Ok(plain)
        }
        compressed => compressed.compress(&mut plain),
    }
}

/// Rebuilds the archive at a path (named as findings name it) into a copy.
type Rebuild = fn(&Path, &str, &mut Members, Copy) -> io::Result<(Copy, Vec<String>)>;

/// Writes into `out` the tar at `source` (named `display`), each member
/// found in `members` replaced by its masked copy. Returns `out` and the
/// members left out.
pub(super) fn rebuild_tar(
    source: &Path,
    display: &str,
    members: &mut Members,
    out: Copy,
) -> io::Result<(Copy, Vec<String>)> {
    let compression = Compression::of(read::sniff(&head(File::open(source)?)?));
    let mut archive = tar::Archive::new(compression.decoder(File::open(source)?)?);
    // Concatenated archives, as the scan read them: one archive out.
    archive.set_ignore_zeros(true);
    let mut builder = tar::Builder::new(out);
    let mut omitted = Vec::new();
    for entry in archive.entries()? {
        let mut entry = entry?;
        let name = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
        let mut header = entry.header().clone();
        let kind = header.entry_type();
        if !holds_data(kind) {
            // Folders and links carry no data.
            if kind.is_dir() || kind.is_symlink() || kind.is_hard_link() {
                header.set_size(0);
                append(&mut builder, &mut header, &name, io::empty())?;
            }
            continue;
        }
        let sparse = kind.is_gnu_sparse();
        if !kind.is_file() && !sparse {
            // Contiguous and unknown types were scanned as the regular
            // files GNU tar extracts them as: so they are written.
            header.set_entry_type(tar::EntryType::Regular);
        }
        let member = format!("{display}!{name}");
        if sparse && !fits_sparse(&header, members.get(&member))? {
            return Err(io::Error::other(format!(
                "{}: a sparse member whose masked text does not fill its map (another \
                 length, or a map past its header)",
                crate::sanitize::sanitize(&name)
            )));
        }
        let Some(plain) = members.remove(&member) else {
            // An empty member has no text to hand over: copied empty.
            if header.size()? == 0 {
                append(&mut builder, &mut header, &name, io::empty())?;
            } else if let Some(mut inner) = nested(&mut entry, &member, members, &mut omitted)? {
                header.set_size(inner.metadata()?.len());
                append(&mut builder, &mut header, &name, &mut inner)?;
            } else {
                omitted.push(name);
            }
            continue;
        };
        let mut data = packed(&mut entry, plain)?;
        header.set_size(data.metadata()?.len());
        append(&mut builder, &mut header, &name, &mut data)?;
    }
    let out = builder.into_inner()?;
    Ok((out, omitted))
}

/// True when the masked text of a sparse member (none: nothing masked)
/// can be written under its own header. The scan read the bytes the
/// archive stores, which the header's map places in the file: kept as it
/// is, the map places the masked bytes if they fill the same length and
/// the map lies in the header (no extension blocks, which this writer
/// would drop).
fn fits_sparse(header: &tar::Header, plain: Option<&File>) -> io::Result<bool> {
    let extended = header.as_gnu().is_some_and(tar::GnuHeader::is_extended);
    let stored = header.entry_size()?;
    Ok(!extended && plain.map_or(Ok(stored), |p| p.metadata().map(|m| m.len()))? == stored)
}

/// Appends a member under its own header when that holds the whole name,
/// so the name stays byte for byte (`./dir/a.csv` stays so); a longer name
/// goes through `append_data`, which writes the records it needs.
fn append(
    builder: &mut tar::Builder<Copy>,
    header: &mut tar::Header,
    name: &str,
    data: impl Read,
) -> io::Result<()> {
    if header.path_bytes().as_ref() == name.as_bytes() {
        header.set_cksum();
        builder.append(header, data)
    } else {
        builder.append_data(header, name, data)
    }
}

/// Writes into `out` the zip at `source` (named `display`), each member
/// found in `members` replaced by its masked copy, with the member's
/// name, order, time, mode and compression method. Returns `out` and the
/// members left out (not examined, or encrypted).
pub(super) fn rebuild_zip(
    source: &Path,
    display: &str,
    members: &mut Members,
    out: Copy,
) -> io::Result<(Copy, Vec<String>)> {
    let reader = io::BufReader::new(File::open(source)?);
    let mut archive = zip::ZipArchive::new(reader).map_err(io::Error::other)?;
    let mut writer = zip::ZipWriter::new(out);
    let mut omitted = Vec::new();
    for i in 0..archive.len() {
        let Ok(mut file) = archive.by_index(i) else {
            // An encrypted member (or one this build cannot read).
            let name = archive.name_for_index(i).unwrap_or("?").to_string();
            omitted.push(name);
            continue;
        };
        let name = file.name().to_string();
        let method = match file.compression() {
            m @ (zip::CompressionMethod::Stored
            | zip::CompressionMethod::Bzip2
            | zip::CompressionMethod::Zstd) => m,
            _ => zip::CompressionMethod::Deflated,
        };
        let mut options = zip::write::SimpleFileOptions::default()
            .compression_method(method)
            .unix_permissions(file.unix_mode().unwrap_or(0o644));
        if let Some(time) = file.last_modified() {
            options = options.last_modified_time(time);
        }
        if file.is_dir() && file.size() == 0 {
            writer
                .add_directory(name, options)
                .map_err(io::Error::other)?;
            continue;
        }
        let member = format!("{display}!{name}");
        let Some(plain) = members.remove(&member) else {
            if file.size() == 0 {
                writer.start_file(name, options).map_err(io::Error::other)?;
            } else if let Some(mut inner) = nested(&mut file, &member, members, &mut omitted)? {
                writer.start_file(name, options).map_err(io::Error::other)?;
                io::copy(&mut inner, &mut writer)?;
            } else {
                omitted.push(name);
            }
            continue;
        };
        let mut data = packed(&mut file, plain)?;
        writer.start_file(name, options).map_err(io::Error::other)?;
        io::copy(&mut data, &mut writer)?;
    }
    let out = writer.finish().map_err(io::Error::other)?;
    Ok((out, omitted))
}

/// A member that is itself a zip or a tar (plain, or compressed as a
/// whole) with masked members of its own (`outer.tar!inner.zip!a.csv`):
/// rebuilt the same way into an anonymous temporary file, compressed again
/// as it was, rewound. `None` for any other member.
fn nested(
    reader: &mut dyn Read,
    display: &str,
    members: &mut Members,
    omitted: &mut Vec<String>,
) -> io::Result<Option<File>> {
    let prefix = format!("{display}!");
    if !members.keys().any(|k| k.starts_with(&prefix)) {
        return Ok(None);
    }
    let mut original = tempfile::NamedTempFile::new()?;
    io::copy(reader, &mut original)?;
    let sniffed = read::sniff(&head(File::open(original.path())?)?);
    // A tar compressed as a whole is read through its compression by
    // `rebuild_tar`, and written plain: compressed again below.
    let (rebuild, compression): (Rebuild, _) = match (sniffed, Compression::of(sniffed)) {
        (Sniffed::Zip, _) => (rebuild_zip, Compression::None),
        (Sniffed::Tar, _) => (rebuild_tar, Compression::None),
        (_, Compression::None) => return Ok(None),
        (_, compressed) => (rebuild_tar, compressed),
    };
    let (mut file, copy) = scratch()?;
    let (copy, left) = rebuild(original.path(), display, members, copy)?;
    copy.finish(false)?;
    let inner = display.rsplit_once('!').map_or(display, |(_, name)| name);
    omitted.extend(left.into_iter().map(|name| format!("{inner}!{name}")));
    if compression != Compression::None {
        file = compression.compress(&mut file)?;
    }
    file.seek(SeekFrom::Start(0))?;
    Ok(Some(file))
}

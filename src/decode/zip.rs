//! Zip archives and formats built on them (`.whl`, `.jar`, `.nupkg`, PyTorch `.pt`/`.pth`/
//! `.ckpt` checkpoints, whose `archive/data.pkl` holds the pickled state).
//!
//! Members are independent in a zip, so an oversized member (a compression bomb) is cut at
//! the cap and the members after it are still scanned. A zip whose central directory is
//! missing or broken (truncated download) is read from its local headers instead, which
//! recovers every member before the damage.

use std::io::{self, BufReader, Cursor, Read};

use ::zip::read::read_zipfile_from_stream;
use ::zip::write::SimpleFileOptions;
use ::zip::{CompressionMethod, ZipArchive, ZipWriter};

use super::Ctx;

pub(super) fn decode(ctx: &mut Ctx<'_, '_>, suffix: &str, bytes: &[u8], depth: usize) {
    let mut archive = match ZipArchive::new(Cursor::new(bytes)) {
        Ok(archive) => archive,
        Err(e) => {
            ctx.note(
                suffix,
                format_args!("zip directory unreadable ({e}); reading members from local headers"),
            );
            return from_local_headers(ctx, suffix, bytes, depth);
        }
    };
    let total = archive.len() as u64;
    for index in 0..archive.len() {
        if index as u64 >= ctx.options.max_members {
            too_many(ctx, suffix, total - index as u64);
            break;
        }
        let hint = super::member_name(archive.name_for_index(index).unwrap_or("?").as_bytes());
        let mut file = match archive.by_index(index) {
            Ok(file) => file,
            Err(e) => {
                let name = hint;
                ctx.skipped_part(
                    &format!("{suffix}!{name}"),
                    format_args!("not scanned: {e}"),
                );
                continue;
            }
        };
        scan_member(ctx, suffix, &mut file, depth);
    }
}

/// Hands one member (not a directory) to the scanner, named `archive!member`.
fn scan_member(
    ctx: &mut Ctx<'_, '_>,
    suffix: &str,
    file: &mut ::zip::read::ZipFile<'_, impl Read>,
    depth: usize,
) {
    if file.is_dir() {
        return;
    }
    let name = super::member_name(file.name().as_bytes());
    let declared = file.size();
    ctx.member(
        &name,
        &format!("{suffix}!{name}"),
        file,
        Some(declared),
        depth,
    );
}

/// Reads members one after another from their local headers, up to the first damage.
fn from_local_headers(ctx: &mut Ctx<'_, '_>, suffix: &str, bytes: &[u8], depth: usize) {
    let mut cursor = Cursor::new(bytes);
    let mut seen = 0u64;
    loop {
        if seen >= ctx.options.max_members {
            too_many(ctx, suffix, 1);
            return;
        }
        let mut file = match read_zipfile_from_stream(&mut cursor) {
            Ok(Some(file)) => file,
            Ok(None) => return,
            Err(e) => {
                ctx.skipped_part(
                    suffix,
                    format_args!(
                        "zip is damaged after {seen} members ({e}); the rest is not scanned"
                    ),
                );
                return;
            }
        };
        seen += 1;
        scan_member(ctx, suffix, &mut file, depth);
    }
}

fn too_many(ctx: &mut Ctx<'_, '_>, suffix: &str, left: u64) {
    ctx.report.skipped += left;
    ctx.note(
        suffix,
        format_args!(
            "more than {} members; {left} not scanned",
            ctx.options.max_members
        ),
    );
}

/// The `.pkl` members of a zip checkpoint too large to read whole, repacked (stored, at most
/// `max` bytes of them) into a small zip that decodes like the original. Seeks to the
/// central directory and reads only those members: tensor data is never touched.
pub(super) fn checkpoint_pickles(file: std::fs::File, max: u64) -> io::Result<Vec<u8>> {
    let mut archive = ZipArchive::new(BufReader::new(file)).map_err(io::Error::other)?;
    let mut out = ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(CompressionMethod::Stored);
    let mut left = max;
    for index in 0..archive.len() {
        if left == 0 {
            break;
        }
        let Ok(mut member) = archive.by_index(index) else {
            continue;
        };
        if !member.name().ends_with(".pkl") {
            continue;
        }
        out.start_file(member.name(), options)
            .map_err(io::Error::other)?;
        // A read error (corrupt member) keeps what was read; the pickle walk notes the rest.
        let mut data = Vec::new();
        let _ = (&mut member).take(left).read_to_end(&mut data);
        left -= data.len() as u64;
        io::Write::write_all(&mut out, &data)?;
    }
    Ok(out.finish().map_err(io::Error::other)?.into_inner())
}

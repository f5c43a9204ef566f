//! `.tar`, `.tar.gz` and `.tgz` archives.
//!
//! A tar is one stream: reaching a member means reading past every member before it, and
//! for `.tar.gz` that means decompressing them. So the decompressed stream as a whole is
//! capped (the item's `max_archive_bytes`), on top of the per-member cap that cuts a single
//! oversized member short; past the stream cap the rest of the archive is not scanned, and a
//! note says so.

use std::cell::Cell;
use std::io::{self, Read};

use flate2::read::MultiGzDecoder;

use super::Ctx;

pub(super) fn decode(ctx: &mut Ctx<'_, '_>, suffix: &str, bytes: &[u8], depth: usize, gz: bool) {
    let used = Cell::new(0u64);
    let limit = ctx.options.max_archive_bytes;
    let reader: Box<dyn Read + '_> = if gz {
        Box::new(Capped {
            inner: MultiGzDecoder::new(bytes),
            used: &used,
            limit,
        })
    } else {
        Box::new(bytes)
    };
    let mut archive = ::tar::Archive::new(reader);
    let entries = match archive.entries() {
        Ok(entries) => entries,
        Err(e) => {
            ctx.skipped_part(
                suffix,
                format_args!("not a readable tar ({e}); not scanned"),
            );
            return;
        }
    };
    let mut seen = 0u64;
    for entry in entries {
        if seen >= ctx.options.max_members {
            ctx.skipped_part(
                suffix,
                format_args!(
                    "more than {} members; the rest is not scanned",
                    ctx.options.max_members
                ),
            );
            return;
        }
        seen += 1;
        let mut entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                let why = if used.get() >= limit {
                    format!("decompressed more than {limit} bytes")
                } else {
                    e.to_string()
                };
                ctx.skipped_part(
                    suffix,
                    format_args!(
                        "tar unreadable after {} members ({why}); the rest is not scanned",
                        seen - 1
                    ),
                );
                return;
            }
        };
        if !entry.header().entry_type().is_file() {
            continue;
        }
        let name = super::member_name(&entry.path_bytes());
        let declared = entry.header().size().ok();
        ctx.member(
            &name,
            &format!("{suffix}!{name}"),
            &mut entry,
            declared,
            depth,
        );
    }
}

/// A reader that fails once `limit` bytes have passed through it, so a compression bomb
/// cannot keep the decompressor busy indefinitely.
struct Capped<'c, R> {
    inner: R,
    used: &'c Cell<u64>,
    limit: u64,
}

impl<R: Read> Read for Capped<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let left = self.limit.saturating_sub(self.used.get());
        if left == 0 {
            return Err(io::Error::other("decompression cap reached"));
        }
        let want = buf.len().min(usize::try_from(left).unwrap_or(usize::MAX));
        let n = self.inner.read(&mut buf[..want])?;
        self.used.set(self.used.get() + n as u64);
        Ok(n)
    }
}

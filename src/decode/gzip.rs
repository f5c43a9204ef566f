//! `.gz` files: one gzip stream (or several concatenated), decompressed with a size cap and
//! decoded by the name without `.gz` (`model.pkl.gz` is a pickle). `.tar.gz` goes to the
//! tar decoder instead, which streams the decompression.

use flate2::read::MultiGzDecoder;

use super::Ctx;

pub(super) fn decode(ctx: &mut Ctx<'_, '_>, name: &str, suffix: &str, bytes: &[u8], depth: usize) {
    let inner = match name.len().checked_sub(3) {
        Some(cut) if name.is_char_boundary(cut) && name[cut..].eq_ignore_ascii_case(".gz") => {
            &name[..cut]
        }
        _ => name,
    };
    let mut stream = MultiGzDecoder::new(bytes);
    ctx.member(inner, suffix, &mut stream, None, depth);
}

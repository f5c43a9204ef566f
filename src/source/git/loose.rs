//! A guard against one bad loose object stalling a scan.
//!
//! libgit2 (up to at least the 1.9 that `libgit2-sys` 0.18.8 bundles, checked here: a loose
//! object cut a few bytes before its end still makes `history` spin forever) loops inside
//! its zlib stream on a truncated loose object instead of failing. keyhound cannot fix the
//! library it links, so before libgit2 reads anything it inflates every loose object itself
//! with flate2 and refuses, with exit 2 and the object named, a repository holding one that
//! does not inflate to its end. Packed objects are not affected. The cost is one streaming
//! inflate per loose object (most objects of a real repository are packed).

use std::io::Read;
use std::path::Path;

use flate2::read::ZlibDecoder;

use crate::error::Error;

/// Checks every loose object under `objects` (a repository's object directory).
pub fn check_loose_objects(objects: &Path) -> Result<(), Error> {
    for (name, file) in loose_files(objects) {
        let path = file.path();
        if let Err(why) = inflates_whole(&path) {
            return Err(Error::io(
                &path,
                std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    format!(
                        "loose object {name} is damaged ({why}); `git fsck` names what is lost"
                    ),
                ),
            ));
        }
    }
    Ok(())
}

/// Every regular file under a two-hex-digit fan-out directory of `objects`, with its
/// object name (fan-out directory and file name run together).
fn loose_files(objects: &Path) -> impl Iterator<Item = (String, std::fs::DirEntry)> {
    let fanout = std::fs::read_dir(objects).into_iter().flatten().flatten();
    fanout
        .filter_map(|dir| {
            let prefix = dir.file_name().to_string_lossy().into_owned();
            let fan_out = prefix.len() == 2 && prefix.bytes().all(|b| b.is_ascii_hexdigit());
            let files = std::fs::read_dir(dir.path()).ok().filter(|_| fan_out)?;
            Some(files.flatten().map(move |file| (prefix.clone(), file)))
        })
        .flatten()
        .filter(|(_, file)| file.file_type().is_ok_and(|t| t.is_file()))
        .map(|(prefix, file)| {
            (
                format!("{prefix}{}", file.file_name().to_string_lossy()),
                file,
            )
        })
}

/// The ids of the loose objects under `objects` (a repository's object directory), from
/// their file names.
pub fn loose_object_ids(objects: &Path) -> Vec<git2::Oid> {
    loose_files(objects)
        .filter(|(name, _)| name.len() == 40)
        .filter_map(|(name, _)| git2::Oid::from_str(&name).ok())
        .collect()
}

/// Whether the file is one complete zlib stream holding `type size\0` and then exactly
/// `size` bytes.
fn inflates_whole(path: &Path) -> Result<(), String> {
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let mut z = ZlibDecoder::new(std::io::BufReader::new(file));
    let mut header = Vec::new();
    let mut byte = [0u8; 1];
    loop {
        match z.read(&mut byte) {
            Ok(0) => return Err("ends inside its header".into()),
            Ok(_) if byte[0] == 0 => break,
            Ok(_) if header.len() < 32 => header.push(byte[0]),
            Ok(_) => return Err("no object header".into()),
            Err(e) => return Err(e.to_string()),
        }
    }
    let header = String::from_utf8_lossy(&header);
    let size: u64 = header
        .split_once(' ')
        .and_then(|(_, n)| n.parse().ok())
        .ok_or("no object header")?;
    let body = std::io::copy(&mut z, &mut std::io::sink()).map_err(|e| e.to_string())?;
    if body != size {
        return Err(format!("{body} of {size} bytes"));
    }
    Ok(())
}

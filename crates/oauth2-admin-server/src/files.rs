//! Files that only the server's user may read: the encryption key and the generated admin token.

use std::fs::{self, DirBuilder, OpenOptions};
use std::io::{self, Write};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::Path;

/// Creates `path` with mode 0600 and writes `contents` to it. Fails with
/// [`io::ErrorKind::AlreadyExists`] if the file exists, so an existing key is never overwritten.
pub fn create_private(path: &Path, contents: &[u8]) -> io::Result<()> {
    let mut file = OpenOptions::new().write(true).create_new(true).mode(0o600).open(path)?;
    file.write_all(contents)?;
    file.sync_all()
}

/// Checks that group and others have no access to `path`, and returns its mode when they do.
pub fn check_private(path: &Path) -> io::Result<Result<(), u32>> {
    let mode = fs::metadata(path)?.permissions().mode() & 0o777;
    Ok(if mode & 0o077 == 0 { Ok(()) } else { Err(mode) })
}

/// Creates `dir` and its missing parents. New folders get mode 0700 because they contain the key
/// and the token. An existing folder keeps its mode.
pub fn create_private_dir(dir: &Path) -> io::Result<()> {
    DirBuilder::new().recursive(true).mode(0o700).create(dir)
}

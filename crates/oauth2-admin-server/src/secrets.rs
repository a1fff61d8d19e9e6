//! Encryption of client secrets at rest with XChaCha20-Poly1305.
//!
//! A sealed secret is one format byte, a random 24-byte nonce and the ciphertext with its 16-byte
//! tag. The configuration's id is the associated data, so a sealed secret copied into another row
//! fails to open. The key lives in its own file, so the database alone reveals no secret.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use chacha20poly1305::aead::{Aead, Payload};
use chacha20poly1305::{KeyInit, XChaCha20Poly1305, XNonce};
use uuid::Uuid;

use crate::files;

/// Length of the key file, in bytes.
pub const KEY_BYTES: usize = 32;

const NONCE_BYTES: usize = 24;

/// First byte of every sealed secret. A new format or key scheme gets a new value.
const FORMAT_V1: u8 = 1;

/// An error reading or creating the key file.
#[derive(Debug, thiserror::Error)]
pub enum KeyFileError {
    #[error("cannot read key file {path}: {source}")]
    Read { path: PathBuf, source: io::Error },
    #[error("cannot create key file {path}: {source}")]
    Create { path: PathBuf, source: io::Error },
    #[error(
        "key file {path} is {length} bytes long, but a key is exactly {KEY_BYTES} bytes; restore the original key file"
    )]
    WrongLength { path: PathBuf, length: usize },
    #[error("key file {path} has mode {mode:03o}, so other users can read it; run `chmod 600 {path}`")]
    LoosePermissions { path: PathBuf, mode: u32 },
    #[error("key file {path} is missing, but the database holds encrypted client secrets; restore the key file that was used with this database")]
    MissingForExistingSecrets { path: PathBuf },
    #[error("cannot create random bytes for a new key: {0}")]
    Random(getrandom::Error),
}

/// An error sealing or opening a secret.
#[derive(Debug, thiserror::Error)]
pub enum CipherError {
    #[error("cannot create a random nonce: {0}")]
    Random(getrandom::Error),
    #[error("encryption failed")]
    Encrypt,
    #[error("sealed secret is damaged, or was sealed with another key or for another configuration")]
    Open,
}

/// The key that seals and opens client secrets.
pub struct SecretCipher {
    cipher: XChaCha20Poly1305,
}

impl SecretCipher {
    /// Loads the key from `path`, or creates a random key there with mode 0600 when the file is
    /// missing and `may_create` is set.
    pub fn load_or_create(path: &Path, may_create: bool) -> Result<SecretCipher, KeyFileError> {
        let key = match fs::read(path) {
            Ok(key) => key,
            Err(error) if error.kind() == io::ErrorKind::NotFound => {
                if !may_create {
                    return Err(KeyFileError::MissingForExistingSecrets { path: path.to_owned() });
                }
                create_key(path)?
            }
            Err(source) => {
                return Err(KeyFileError::Read {
                    path: path.to_owned(),
                    source,
                })
            }
        };

        let permissions = files::check_private(path).map_err(|source| KeyFileError::Read {
            path: path.to_owned(),
            source,
        })?;
        if let Err(mode) = permissions {
            return Err(KeyFileError::LoosePermissions {
                path: path.to_owned(),
                mode,
            });
        }
        let cipher = XChaCha20Poly1305::new_from_slice(&key).map_err(|_| KeyFileError::WrongLength {
            path: path.to_owned(),
            length: key.len(),
        })?;
        Ok(SecretCipher { cipher })
    }

    /// Encrypts `secret` for the configuration `id` with a fresh random nonce.
    pub fn seal(&self, id: Uuid, secret: &str) -> Result<Vec<u8>, CipherError> {
        let mut nonce = [0u8; NONCE_BYTES];
        getrandom::fill(&mut nonce).map_err(CipherError::Random)?;
        let payload = Payload {
            msg: secret.as_bytes(),
            aad: id.as_bytes(),
        };
        let ciphertext = self
            .cipher
            .encrypt(&XNonce::from(nonce), payload)
            .map_err(|_| CipherError::Encrypt)?;

        let mut sealed = Vec::with_capacity(1 + NONCE_BYTES + ciphertext.len());
        sealed.push(FORMAT_V1);
        sealed.extend_from_slice(&nonce);
        sealed.extend_from_slice(&ciphertext);
        Ok(sealed)
    }

    /// Decrypts a secret sealed by [`SecretCipher::seal`] for the same `id`.
    pub fn open(&self, id: Uuid, sealed: &[u8]) -> Result<String, CipherError> {
        let Some((&FORMAT_V1, rest)) = sealed.split_first() else {
            return Err(CipherError::Open);
        };
        if rest.len() < NONCE_BYTES {
            return Err(CipherError::Open);
        }
        let (nonce, ciphertext) = rest.split_at(NONCE_BYTES);
        let nonce = XNonce::try_from(nonce).map_err(|_| CipherError::Open)?;
        let payload = Payload {
            msg: ciphertext,
            aad: id.as_bytes(),
        };
        let plaintext = self.cipher.decrypt(&nonce, payload).map_err(|_| CipherError::Open)?;
        String::from_utf8(plaintext).map_err(|_| CipherError::Open)
    }
}

/// Writes a new random key to `path`. If another process created the file first, its key is used.
fn create_key(path: &Path) -> Result<Vec<u8>, KeyFileError> {
    let mut key = vec![0u8; KEY_BYTES];
    getrandom::fill(&mut key).map_err(KeyFileError::Random)?;
    match files::create_private(path, &key) {
        Ok(()) => {
            tracing::info!(path = %path.display(), "created a new key file for client secrets");
            Ok(key)
        }
        Err(error) if error.kind() == io::ErrorKind::AlreadyExists => {
            fs::read(path).map_err(|source| KeyFileError::Read {
                path: path.to_owned(),
                source,
            })
        }
        Err(source) => Err(KeyFileError::Create {
            path: path.to_owned(),
            source,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cipher() -> SecretCipher {
        SecretCipher {
            cipher: XChaCha20Poly1305::new_from_slice(&[7u8; KEY_BYTES]).unwrap(),
        }
    }

    #[test]
    fn sealed_secret_opens_for_same_id() {
        let id = Uuid::from_u128(1);
        let sealed = cipher().seal(id, "s3cret").unwrap();

        assert_eq!(cipher().open(id, &sealed).unwrap(), "s3cret");
    }

    #[test]
    fn sealed_secret_rejects_other_id() {
        let sealed = cipher().seal(Uuid::from_u128(1), "s3cret").unwrap();

        assert!(cipher().open(Uuid::from_u128(2), &sealed).is_err());
    }

    #[test]
    fn same_secret_seals_differently() {
        let id = Uuid::from_u128(1);

        assert_ne!(
            cipher().seal(id, "s3cret").unwrap(),
            cipher().seal(id, "s3cret").unwrap()
        );
    }

    #[test]
    fn truncated_or_unknown_format_rejected() {
        let id = Uuid::from_u128(1);
        let sealed = cipher().seal(id, "s3cret").unwrap();

        assert!(cipher().open(id, &sealed[..10]).is_err());
        assert!(cipher().open(id, &[]).is_err());
        let mut other_format = sealed.clone();
        other_format[0] = 2;
        assert!(cipher().open(id, &other_format).is_err());
    }
}

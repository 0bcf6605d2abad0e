//! Tokens encrypted at rest: the record codec of the SQL stores.

use std::fmt;
use std::sync::Arc;

use ring::aead::{AES_256_GCM, Aad, LessSafeKey, NONCE_LEN, Nonce, UnboundKey};
use ring::rand::{SecureRandom, SystemRandom};

use super::record::Installation;
use super::store::{StoreError, from_hex, to_hex};

/// Encrypts installation records at rest (AES-256-GCM, from `ring`): with a key set, a store
/// writes each record as `v1:` and the hex of a random nonce and the ciphertext, bound to its
/// row (a record copied into another row does not decrypt), so a dump of the database shows
/// no token. Records written before the key was set are still read, and encrypted when next
/// saved.
#[derive(Clone)]
pub struct TokenCipher {
    key: Arc<LessSafeKey>,
}

impl fmt::Debug for TokenCipher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TokenCipher(<redacted>)")
    }
}

impl TokenCipher {
    /// A cipher from a 32-byte key (keep it apart from the database: an environment variable,
    /// a secret manager).
    pub fn new(key: &[u8]) -> Result<Self, StoreError> {
        if key.len() != 32 {
            return Err(StoreError::Config(format!("an encryption key has 32 bytes, not {}", key.len())));
        }
        let unbound = UnboundKey::new(&AES_256_GCM, key).map_err(|_| StoreError::Config("the encryption key was refused".into()))?;
        Ok(TokenCipher { key: Arc::new(LessSafeKey::new(unbound)) })
    }

    /// A cipher from a key written as 64 hex digits (`openssl rand -hex 32`).
    pub fn from_hex(hex: &str) -> Result<Self, StoreError> {
        let bytes = from_hex(hex.trim()).ok_or_else(|| StoreError::Config("the encryption key is not 64 hex digits".into()))?;
        Self::new(&bytes)
    }

    fn seal(&self, plain: &[u8], row: &str) -> Result<String, StoreError> {
        let mut nonce = [0u8; NONCE_LEN];
        SystemRandom::new().fill(&mut nonce).map_err(|_| StoreError::Unavailable("no random numbers for a nonce".into()))?;
        let mut data = plain.to_vec();
        self.key
            .seal_in_place_append_tag(Nonce::assume_unique_for_key(nonce), Aad::from(row.as_bytes()), &mut data)
            .map_err(|_| StoreError::Unavailable("encryption failed".into()))?;
        let mut out = String::with_capacity(3 + 2 * (NONCE_LEN + data.len()));
        out.push_str("v1:");
        to_hex(&nonce, &mut out);
        to_hex(&data, &mut out);
        Ok(out)
    }

    fn open(&self, sealed: &str, row: &str) -> Result<Vec<u8>, String> {
        let bytes = from_hex(sealed).ok_or("the encrypted record is not hex")?;
        if bytes.len() < NONCE_LEN + AES_256_GCM.tag_len() {
            return Err("the encrypted record is too short".into());
        }
        let (nonce, data) = bytes.split_at(NONCE_LEN);
        let nonce = Nonce::try_assume_unique_for_key(nonce).map_err(|_| "bad nonce")?;
        let mut data = data.to_vec();
        let plain = self
            .key
            .open_in_place(nonce, Aad::from(row.as_bytes()), &mut data)
            .map_err(|_| "it does not decrypt with the configured key (another key, or altered)")?;
        Ok(plain.to_vec())
    }
}

/// How records are written: JSON, sealed with the cipher when there is one.
#[derive(Clone, Debug, Default)]
pub(crate) struct Codec {
    pub cipher: Option<TokenCipher>,
}

impl Codec {
    /// `row` names the record (its table and key), for the cipher's binding and for errors.
    pub(crate) fn encode(&self, installation: &Installation, row: &str) -> Result<String, StoreError> {
        let json = serde_json::to_string(installation).map_err(|e| StoreError::Config(format!("{row}: {e}")))?;
        match &self.cipher {
            Some(c) => c.seal(json.as_bytes(), row),
            None => Ok(json),
        }
    }

    pub(crate) fn decode(&self, text: &str, row: &str) -> Result<Installation, StoreError> {
        let corrupt = |detail: String| StoreError::Corrupt { what: row.to_owned(), detail };
        let plain = match text.strip_prefix("v1:") {
            Some(sealed) => match &self.cipher {
                Some(c) => c.open(sealed, row).map_err(corrupt)?,
                None => return Err(corrupt("it is encrypted and the store has no key (TokenCipher)".into())),
            },
            None => text.as_bytes().to_vec(),
        };
        serde_json::from_slice(&plain).map_err(|e| corrupt(format!("not an installation record: {e}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::install::Installation;

    fn sample() -> Installation {
        Installation {
            team_id: Some("T1".into()),
            bot_token: Some("xoxb-secret-1".into()),
            bot_scopes: vec!["chat:write".into()],
            installed_at: 1,
            ..Installation::default()
        }
    }

    #[test]
    fn sealed_records_hide_tokens_and_are_bound_to_their_row() {
        let codec = Codec { cipher: Some(TokenCipher::new(&[7; 32]).unwrap()) };
        let sealed = codec.encode(&sample(), "bot E:T1").unwrap();
        assert!(sealed.starts_with("v1:") && !sealed.contains("xoxb"), "{sealed}");
        assert_eq!(codec.decode(&sealed, "bot E:T1").unwrap(), sample());
        let moved = codec.decode(&sealed, "bot E:T2").unwrap_err();
        assert!(matches!(moved, StoreError::Corrupt { .. }), "{moved}");
        let other = Codec { cipher: Some(TokenCipher::new(&[8; 32]).unwrap()) };
        assert!(other.decode(&sealed, "bot E:T1").unwrap_err().to_string().contains("does not decrypt"));
        assert!(Codec::default().decode(&sealed, "bot E:T1").unwrap_err().to_string().contains("has no key"));
        // A record written before the key was set is still read.
        let plain = Codec::default().encode(&sample(), "bot E:T1").unwrap();
        assert_eq!(codec.decode(&plain, "bot E:T1").unwrap(), sample());
    }

    #[test]
    fn debug_redacts_tokens() {
        let text = format!("{:?}", sample());
        assert!(!text.contains("secret"), "{text}");
    }

    #[test]
    fn keys_are_checked() {
        assert!(TokenCipher::new(&[0; 16]).is_err());
        assert!(TokenCipher::from_hex("zz").is_err());
        assert!(TokenCipher::from_hex(&"ab".repeat(32)).is_ok());
    }
}

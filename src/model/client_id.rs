//! Ids the app gives new cases and notes before sending them, so that a
//! retry after a lost response can find the first attempt instead of
//! writing a second copy.

/// Returns a new random (version 4) UUID as text, from the browser's
/// cryptographic random source. `None` outside a browser or when the
/// source is not available.
pub fn new_client_id() -> Option<String> {
    let mut bytes = [0_u8; 16];

    if !cfg!(target_arch = "wasm32") {
        return None;
    }

    let crypto = web_sys::window()?.crypto().ok()?;
    crypto.get_random_values_with_u8_array(&mut bytes).ok()?;

    Some(uuid_from_random_bytes(bytes))
}

/// Formats 16 random bytes as a version 4 UUID.
pub fn uuid_from_random_bytes(bytes: [u8; 16]) -> String {
    uuid::Builder::from_random_bytes(bytes)
        .into_uuid()
        .hyphenated()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn random_bytes_make_version_4_uuid() {
        let id = uuid_from_random_bytes([0xff; 16]);

        assert_eq!(id, "ffffffff-ffff-4fff-bfff-ffffffffffff");
    }

    #[test]
    fn zero_bytes_keep_version_bits() {
        let id = uuid_from_random_bytes([0; 16]);

        assert_eq!(id, "00000000-0000-4000-8000-000000000000");
    }
}

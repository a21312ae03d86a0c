//! Uploaded application logos: PNG, JPEG or GIF recognised by their signature bytes and
//! the dimensions their headers declare, at most [`MAX_LOGO_BYTES`]; stored in the database
//! and served by the provider with the content type found here, never fetched from a URL.

use super::{Cabinet, CabinetResult, Problem, invalid};
use crate::model::{Account, ClientLogo};

/// Largest accepted logo, bytes.
pub const MAX_LOGO_BYTES: usize = 256 * 1024;

/// Largest accepted side, pixels.
const MAX_SIDE: u32 = 2048;

/// The content type of an image whose signature and dimensions check out.
pub fn image_type(data: &[u8]) -> Option<&'static str> {
    let (content_type, width, height) = if data.starts_with(b"\x89PNG\r\n\x1a\n") {
        // IHDR is the first chunk: length, "IHDR", width, height (PNG §11.2.2).
        if data.get(12..16)? != b"IHDR" {
            return None;
        }
        ("image/png", be32(data, 16)?, be32(data, 20)?)
    } else if data.starts_with(b"GIF87a") || data.starts_with(b"GIF89a") {
        let width = u32::from(u16::from_le_bytes([*data.get(6)?, *data.get(7)?]));
        let height = u32::from(u16::from_le_bytes([*data.get(8)?, *data.get(9)?]));
        ("image/gif", width, height)
    } else if data.starts_with(&[0xFF, 0xD8, 0xFF]) {
        let (w, h) = jpeg_size(data)?;
        ("image/jpeg", w, h)
    } else {
        return None;
    };
    let sane = |side: u32| (1..=MAX_SIDE).contains(&side);
    (sane(width) && sane(height)).then_some(content_type)
}

fn be32(data: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(data.get(at..at + 4)?.try_into().ok()?))
}

/// Walks JPEG markers to the first start-of-frame and reads its dimensions.
fn jpeg_size(data: &[u8]) -> Option<(u32, u32)> {
    let mut at = 2;
    loop {
        if *data.get(at)? != 0xFF {
            return None;
        }
        let marker = *data.get(at + 1)?;
        let length = usize::from(u16::from_be_bytes([*data.get(at + 2)?, *data.get(at + 3)?]));
        if matches!(marker, 0xC0..=0xC3 | 0xC5..=0xC7 | 0xC9..=0xCB | 0xCD..=0xCF) {
            let height = u16::from_be_bytes([*data.get(at + 5)?, *data.get(at + 6)?]);
            let width = u16::from_be_bytes([*data.get(at + 7)?, *data.get(at + 8)?]);
            return Some((u32::from(width), u32::from(height)));
        }
        if length < 2 {
            return None;
        }
        at += 2 + length;
    }
}

impl Cabinet<'_> {
    /// Stores an uploaded logo for an application the account owns.
    pub async fn set_logo(
        &self,
        account: &Account,
        client_id: &str,
        data: Vec<u8>,
    ) -> CabinetResult<()> {
        let client = self.owned(account, client_id).await?;
        if data.len() > MAX_LOGO_BYTES {
            return invalid(Problem::LogoTooLarge);
        }
        let Some(content_type) = image_type(&data) else {
            return invalid(Problem::LogoNotImage);
        };
        let logo = ClientLogo {
            client_id: client.id,
            content_type: content_type.to_owned(),
            data,
            updated_at: self.p.now(),
        };
        self.p.store.put_client_logo(&logo).await?;
        Ok(())
    }

    pub async fn logo(&self, client_id: &str) -> CabinetResult<Option<ClientLogo>> {
        Ok(self.p.store.get_client_logo(client_id).await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(width: u32, height: u32) -> Vec<u8> {
        let mut data = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
        data.extend_from_slice(&width.to_be_bytes());
        data.extend_from_slice(&height.to_be_bytes());
        data.extend_from_slice(&[8, 6, 0, 0, 0]);
        data
    }

    #[test]
    fn recognises_images_by_their_bytes() {
        assert_eq!(image_type(&png(64, 64)), Some("image/png"));
        assert_eq!(image_type(b"GIF89a\x10\0\x10\0rest"), Some("image/gif"));
        let jpeg = [
            0xFF, 0xD8, 0xFF, 0xE0, 0, 4, 0, 0, 0xFF, 0xC0, 0, 11, 8, 0, 32, 0, 48, 3,
        ];
        assert_eq!(image_type(&jpeg), Some("image/jpeg"));
    }

    #[test]
    fn refuses_what_is_not_an_image() {
        assert_eq!(
            image_type(b"<svg xmlns='http://www.w3.org/2000/svg'/>"),
            None
        );
        assert_eq!(image_type(b"<html><script>"), None);
        assert_eq!(image_type(&png(0, 10)), None);
        assert_eq!(image_type(&png(100_000, 10)), None);
        assert_eq!(image_type(&[0xFF, 0xD8, 0xFF, 0x00]), None);
    }
}
